"""Who sees which published values: accounts.scopes, as everywhere else."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def get(user, path: str, **params):
    client = Client()
    client.force_login(user)
    return client.get(path, {"page_size": 1000, **params})


def areas(user, level: str) -> set[str]:
    response = get(user, "/api/v1/indicators/", level=level, period="2025")
    assert response.status_code == 200
    return {r["area_code"] for r in response.json()["results"]}


def test_a_village_worker_sees_only_their_villages(published, users):
    worker = users["worker"]
    mine = set(worker.villages.values_list("code", flat=True))
    assert areas(worker, "town") == set()
    assert areas(worker, "admin_village") == mine
    assert {code[:12] for code in areas(worker, "natural_village")} <= mine


def test_a_town_official_sees_the_town_and_every_village(published, users):
    official = users["official"]
    assert areas(official, "town") == {"320404116"}
    assert len(areas(official, "admin_village")) == 19


def test_a_contractor_sees_the_villages_their_facilities_serve(published, users):
    contractor = users["contractor"]
    served = {
        village.admin_village.code
        for facility in contractor.facilities.all()
        for village in facility.natural_villages.all()
    }
    assert areas(contractor, "town") == set()
    assert areas(contractor, "admin_village") == served


def test_a_worker_cannot_read_the_records_of_another_village(published, users):
    response = get(
        users["worker"],
        "/api/v1/indicators/FILM_RECOVERY/records/",
        level="admin_village",
        period="2025",
        area="320404116230",
    )
    assert response.status_code == 404
    town = get(users["worker"], "/api/v1/indicators/FILM_RECOVERY/records/", period="2025")
    assert town.status_code == 404


def test_anonymous_requests_are_refused(published):
    assert Client().get("/api/v1/indicators/").status_code in (401, 403)
