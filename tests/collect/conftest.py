"""Fixtures of the collect tests: a small registry, one user per role, the five real
questionnaires from forms/, and clients that log in as ODK Collect does."""

from pathlib import Path

import pytest
from django.test import Client

from accounts.models import Role
from collect.models import Form
from collect.services import form_publish
from registry.models import FacilityVillage, NaturalVillage, SewageFacility, WaterBody
from tests.collect.live import LiveServer, live_server
from tests.collect.support import IN_SCOPE, OUT_OF_SCOPE, PASSWORD, basic, xlsform_bytes


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Basic logins check the password on every request; PBKDF2 would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def registry(town):
    """Two natural villages, facilities and water bodies: one in the worker's scope, one not."""
    rows = {}
    for scope in (IN_SCOPE, OUT_OF_SCOPE):
        admin = town.admin_villages.get(code=scope["admin_village"])
        village = NaturalVillage.objects.create(
            code=scope["natural_village"], admin_village=admin, name=f"{admin.name}一组"
        )
        facility = SewageFacility.objects.create(
            code=scope["facility"],
            name=f"{admin.name}污水站",
            process_type="ao",
            design_capacity=20,
        )
        FacilityVillage.objects.create(facility=facility, natural_village=village)
        water_body = WaterBody.objects.create(
            code=scope["water_body"], name=f"{admin.name}东塘", kind="pond", admin_village=admin
        )
        rows[scope["admin_village"]] = (admin, village, facility, water_body)
    return rows


@pytest.fixture
def users(make_user, registry, town):
    admin_in, _, facility_in, _ = registry[IN_SCOPE["admin_village"]]
    return {
        "district": make_user("district", Role.DISTRICT_ADMIN, is_staff=True, is_superuser=True),
        "official": make_user("official", Role.TOWN_OFFICIAL, is_staff=True),
        "worker": make_user("worker", Role.VILLAGE_WORKER, villages=[admin_in]),
        "contractor": make_user("contractor", Role.CONTRACTOR, facilities=[facility_in]),
    }


@pytest.fixture
def publish(db):
    """Publish one of the five real questionnaires from forms/."""

    def publish_one(form_id: str, **kwargs) -> Form:
        form_publish(xlsform_name=f"{form_id}.xlsx", xlsform=xlsform_bytes(form_id), **kwargs)
        return Form.objects.get(form_id=form_id)

    return publish_one


@pytest.fixture
def inspection(publish, users):
    return publish("sewage_facility_inspection")


@pytest.fixture
def collect_client():
    """A Django test client that logs in with Basic (allowed over HTTP in development)."""

    def make(username: str, password: str = PASSWORD) -> Client:
        return Client(headers={"X-OpenRosa-Version": "1.0"}, **basic(username, password))

    return make


@pytest.fixture(scope="session")
def live(tmp_path_factory) -> LiveServer:
    """gunicorn (2 workers) on a free loopback port with the demo registry and accounts."""
    with live_server(tmp_path_factory.mktemp("live")) as server:
        yield server
