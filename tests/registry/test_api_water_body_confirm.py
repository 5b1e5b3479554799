"""Town officials confirm newly reported water bodies through the API; facilities show their
latest faults."""

import pytest
from rest_framework.test import APIClient

from accounts.models import Role
from audit.models import AuditAction, AuditEntry
from registry.models import AdministrativeVillage, SewageFacility, Town, WaterBody

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def reported(demo_town) -> WaterBody:
    """A water body as a field report creates it: unconfirmed, screened."""
    admin = AdministrativeVillage.objects.get(code="320404116201")
    return WaterBody.objects.create(
        code="ZQ-HC-901",
        name="杨庄村演示新报告沟渠",
        kind="ditch",
        admin_village=admin,
        natural_village=admin.natural_villages.order_by("code").first(),
        stage="screened",
        is_confirmed=False,
    )


def test_a_town_official_confirms_a_reported_water_body_and_it_is_audited(official, reported):
    response = client_for(official).post(f"/api/v1/water-bodies/{reported.code}/confirm/")
    assert response.status_code == 200
    assert response.json()["is_confirmed"] is True
    reported.refresh_from_db()
    assert reported.is_confirmed
    entry = AuditEntry.objects.filter(
        action=AuditAction.REGISTRY_CHANGE, object_id=str(reported.pk)
    ).latest("at")
    assert entry.username == "official"
    assert entry.changes["is_confirmed"] == [False, True]


def test_confirming_twice_is_a_conflict(official, reported):
    client = client_for(official)
    assert client.post(f"/api/v1/water-bodies/{reported.code}/confirm/").status_code == 200
    response = client.post(f"/api/v1/water-bodies/{reported.code}/confirm/")
    assert response.status_code == 409
    assert "已经确认" in response.json()["detail"]


def test_only_officials_of_the_bodys_town_may_confirm(make_user, district_admin, reported):
    other_town = Town.objects.create(code="320404117", name="他镇")
    stranger = make_user("stranger", Role.TOWN_OFFICIAL)
    stranger.town = other_town
    stranger.save(update_fields=["town"])
    worker = make_user(
        "worker",
        Role.VILLAGE_WORKER,
        villages=AdministrativeVillage.objects.filter(code="320404116201"),
    )
    url = f"/api/v1/water-bodies/{reported.code}/confirm/"
    assert client_for(stranger).post(url).status_code == 404  # not in their scope at all
    assert client_for(worker).post(url).status_code == 403
    response = client_for(district_admin).post(url)
    assert response.status_code == 403
    assert "镇级管理人员" in response.json()["detail"]
    assert APIClient().post(url).status_code in (401, 403)
    reported.refresh_from_db()
    assert not reported.is_confirmed


def test_confirming_an_unknown_water_body_is_not_found(official, demo_town):
    response = client_for(official).post("/api/v1/water-bodies/ZQ-HC-999/confirm/")
    assert response.status_code == 404


def test_facilities_show_their_latest_faults_read_only(official, demo_town):
    facility = SewageFacility.objects.order_by("code").first()
    facility.faults = [{"type": "power", "severity": "severe"}]
    facility.save(update_fields=["faults"])
    client = client_for(official)
    body = client.get(f"/api/v1/facilities/{facility.code}/").json()
    assert body["faults"] == [{"type": "power", "severity": "severe"}]
    response = client.patch(f"/api/v1/facilities/{facility.code}/", {"faults": []}, format="json")
    assert response.status_code == 200
    facility.refresh_from_db()
    assert facility.faults == [{"type": "power", "severity": "severe"}]
