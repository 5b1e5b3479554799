"""The registry's REST API: reading, filtering, scoping and bad input."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Role
from registry.models import AdministrativeVillage, NaturalVillage, SewageFacility, Town

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(official):
    client = APIClient()
    client.force_authenticate(official)
    return client


@pytest.fixture
def worker(make_user, demo_town):
    villages = AdministrativeVillage.objects.filter(code__in=["320404116201", "320404116203"])
    return make_user("worker", Role.VILLAGE_WORKER, villages=villages)


def test_it_requires_authentication(demo_town):
    response = APIClient().get("/api/v1/natural-villages/")
    assert response.status_code in (401, 403)


def test_it_accepts_a_token(official, demo_town):
    token = Token.objects.create(user=official)
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/facilities/").status_code == 200


def test_it_paginates_and_lists_natural_villages(api, demo_town):
    response = api.get("/api/v1/natural-villages/", {"page_size": 20})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == NaturalVillage.objects.count()
    assert len(body["results"]) == 20
    assert body["next"]
    first = body["results"][0]
    assert {"code", "name", "admin_village", "sewage_mode", "sewage_mode_display"} <= set(first)


def test_it_filters_and_searches(api, demo_town):
    response = api.get(
        "/api/v1/natural-villages/", {"admin_village": "320404116201", "treated": "true"}
    )
    codes = [row["code"] for row in response.json()["results"]]
    expected = NaturalVillage.objects.filter(admin_village__code="320404116201").exclude(
        sewage_mode="none"
    )
    assert sorted(codes) == sorted(expected.values_list("code", flat=True))
    response = api.get("/api/v1/facilities/", {"search": "杨庄村", "status": "normal"})
    assert response.status_code == 200
    assert all(row["status"] == "normal" for row in response.json()["results"])


def test_it_shows_one_facility_by_code(api, demo_town):
    facility = SewageFacility.objects.first()
    response = api.get(f"/api/v1/facilities/{facility.code}/")
    assert response.status_code == 200
    assert response.json()["natural_villages"] == [v.code for v in facility.natural_villages.all()]


def test_it_answers_bad_filters_with_400(api, demo_town):
    response = api.get("/api/v1/facilities/", {"status": "broken"})
    assert response.status_code == 400
    assert "status" in response.json()
    response = api.get("/api/v1/facilities/", {"commissioned_after": "yesterday"})
    assert response.status_code == 400


def test_it_answers_bad_input_with_field_errors(api, demo_town):
    response = api.post(
        "/api/v1/natural-villages/",
        {
            "code": "12",
            "name": "",
            "admin_village": "999",
            "households": -1,
            "households_connected": 0,
            "sewage_mode": "magic",
        },
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"code", "name", "admin_village", "households", "sewage_mode"}
    response = api.post("/api/v1/natural-villages/", "{not json", content_type="application/json")
    assert response.status_code == 400


def test_it_rejects_more_connected_than_total_households(api, demo_town):
    village = NaturalVillage.objects.first()
    response = api.patch(
        f"/api/v1/natural-villages/{village.code}/",
        {"households_connected": village.households + 1},
        format="json",
    )
    assert response.status_code == 400
    assert "households_connected" in response.json()


def test_officials_create_and_update_registry_rows(api, demo_town):
    response = api.post(
        "/api/v1/natural-villages/",
        {
            "code": "320404116201099",
            "name": "杨庄村·演示99组",
            "admin_village": "320404116201",
            "households": 12,
            "sewage_mode": "none",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    response = api.patch(
        "/api/v1/natural-villages/320404116201099/", {"sewage_mode": "sewer"}, format="json"
    )
    assert response.json()["sewage_mode_display"] == "接入城镇污水管网"


def test_it_refuses_to_delete_a_village_a_facility_serves_with_409(api, demo_town):
    village = NaturalVillage.objects.filter(facilities__isnull=False).first()
    response = api.delete(f"/api/v1/natural-villages/{village.code}/")
    assert response.status_code == 409
    assert "不能删除" in response.json()["detail"]
    assert NaturalVillage.objects.filter(pk=village.pk).exists()


def test_workers_read_only_their_villages_and_cannot_write(worker):
    client = APIClient()
    client.force_authenticate(worker)
    body = client.get("/api/v1/natural-villages/", {"page_size": 1000}).json()
    assert {row["admin_village"] for row in body["results"]} == {"320404116201", "320404116203"}
    other = NaturalVillage.objects.exclude(
        admin_village__code__in=["320404116201", "320404116203"]
    ).first()
    assert client.get(f"/api/v1/natural-villages/{other.code}/").status_code == 404
    response = client.patch(
        f"/api/v1/natural-villages/{body['results'][0]['code']}/", {"households": 1}
    )
    assert response.status_code == 403


def test_contractors_see_only_their_facilities(make_user, demo_town):
    mine = list(SewageFacility.objects.order_by("code")[:2])
    contractor = make_user("om", Role.CONTRACTOR, facilities=mine)
    client = APIClient()
    client.force_authenticate(contractor)
    codes = [row["code"] for row in client.get("/api/v1/facilities/").json()["results"]]
    assert codes == [f.code for f in mine]
    assert client.get("/api/v1/water-bodies/").json()["count"] == 0


def test_it_serves_the_openapi_schema_and_docs(client, demo_town):
    schema = client.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    assert "/api/v1/facilities/" in schema.json()["paths"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
    assert b"cdn.jsdelivr" not in docs.content


def test_officials_cannot_write_into_another_towns_villages(api, demo_town):
    other_town = Town.objects.create(code="320404117", name="测试镇")
    AdministrativeVillage.objects.create(
        code="320404117201", town=other_town, name="测试村", kind="village"
    )
    response = api.post(
        "/api/v1/natural-villages/",
        {
            "code": "320404117201001",
            "name": "测试村·演示1组",
            "admin_village": "320404117201",
            "households": 10,
            "sewage_mode": "none",
        },
        format="json",
    )
    assert response.status_code == 403
    assert not NaturalVillage.objects.filter(code="320404117201001").exists()
