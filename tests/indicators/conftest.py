"""Fixtures of the indicator tests: the demo registry, accounts and forms, a few
submissions, and the indicators published from them."""

import datetime as dt

import pytest

from indicators.services import indicator_targets_load, indicators_publish
from registry.models import NaturalVillage, SewageFacility
from tests.indicators.support import (
    NORMAL,
    STOPPED,
    WORKER_VILLAGE,
    field_world,
    inspect,
    send,
)

AS_OF = dt.date(2025, 12, 31)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def users(db):
    return field_world()


@pytest.fixture
def field_data(users):
    """2025 submissions of every form: inspections (one facility in the worker's village
    stopped), a coverage survey treating an untreated village, a film and a straw report."""
    official = users["official"]
    facilities = list(SewageFacility.objects.filter(in_service=True).order_by("code")[:4])
    for n, facility in enumerate(facilities):
        inspect(facility, user=official, when=dt.date(2025, 6, 10), scenario=NORMAL)
        inspect(
            facility,
            user=official,
            when=dt.date(2025, 9, 12),
            scenario=STOPPED if n == 0 else NORMAL,
        )
    untreated = (
        NaturalVillage.objects.filter(sewage_mode="none", is_planned_relocation=False)
        .order_by("code")
        .first()
    )
    send(
        "village_sewage_coverage",
        user=official,
        when=dt.date(2025, 8, 1),
        registry={
            "admin_village": untreated.admin_village.code,
            "natural_village": untreated.code,
        },
        overrides={
            "treatment_mode": "sewer",
            "households_total": str(untreated.households),
            "households_connected": str(untreated.households),
        },
        scenario=1,
    )
    for form_id in ("agri_film_recovery", "straw_utilization"):
        send(
            form_id,
            user=official,
            when=dt.date(2025, 11, 5),
            registry={"admin_village": WORKER_VILLAGE},
            overrides={"period_start": "2025-01-01", "period_end": "2025-06-30"}
            if form_id == "agri_film_recovery"
            else {"survey_year": "2025"},
            scenario=0,
        )
    return {"facilities": facilities, "untreated": untreated}


@pytest.fixture
def published(field_data):
    indicator_targets_load()
    indicators_publish(as_of=AS_OF, first_year=2025)
    return field_data
