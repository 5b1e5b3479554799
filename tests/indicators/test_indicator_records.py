"""GET /api/v1/indicators/<code>/records/: the records behind one published value."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def records(user, code: str, **params):
    client = Client()
    client.force_login(user)
    return client.get(f"/api/v1/indicators/{code}/records/", params)


def test_the_records_add_up_to_the_value(published, users):
    response = records(users["official"], "SEWAGE_COVERAGE", level="town", period="2025")
    assert response.status_code == 200
    body = response.json()
    assert len(body["records"]) == body["records_count"] == body["denominator"] == 198
    assert sum(r["numerator"] for r in body["records"]) == body["numerator"]
    assert {r["kind"] for r in body["records"]} == {"natural_village"}


def test_a_record_decided_by_a_submission_links_to_it(published, users):
    untreated = published["untreated"]
    response = records(
        users["official"],
        "SEWAGE_COVERAGE",
        level="natural_village",
        period="2025",
        area=untreated.code,
    )
    (record,) = response.json()["records"]
    assert record["id"] == untreated.code
    assert record["numerator"] == 1 and record["category"] == "sewer"
    assert record["registry_url"].endswith(f"/api/v1/natural-villages/{untreated.code}/")
    instance_id = record["source_instance_id"]
    assert instance_id.startswith("uuid:")
    assert "/api/v1/submissions/?instance_id=uuid%3A" in record["submission_url"]
    client = Client()
    client.force_login(users["official"])
    listed = client.get(record["submission_url"]).json()["results"]
    assert [s["instance_id"] for s in listed] == [instance_id]


def test_film_records_are_the_reports(published, users):
    response = records(
        users["official"],
        "FILM_RECOVERY",
        level="admin_village",
        period="2025",
        area="320404116201",
    )
    body = response.json()
    assert body["numerator"] == 1100 + 820 and body["denominator"] == 1200 + 800
    assert {r["kind"] for r in body["records"]} == {"submission"}
    assert all(r["submission_url"] for r in body["records"])


def test_the_town_needs_no_area(published, users):
    response = records(users["district"], "FACILITY_OPERATION", period="2025")
    assert response.status_code == 200
    assert response.json()["area_code"] == "320404116"
