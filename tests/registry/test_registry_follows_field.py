"""The registry follows accepted submissions (issue 5 item 1): recomputed from the
submissions that count, every change traced to the submission that caused it."""

import datetime as dt

import pytest

from etl import extract, pipeline
from etl.targets import SEED_TARGETS
from registry.models import NaturalVillage, RegistryChange, SewageFacility, WaterBody
from registry.services import registry_state_recompute
from tests.indicators.support import (
    BLACK_WORKS,
    CLEAN_MONITORING,
    DEFECTIVE,
    NEW_REPORT,
    NORMAL,
    STOPPED,
    field_world,
    inspect,
    send,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def users(db):
    return field_world()


@pytest.fixture
def official(users):
    return users["official"]


@pytest.fixture
def facility(users):
    return SewageFacility.objects.filter(in_service=True, status="normal").order_by("code").first()


def changes(code: str) -> list[RegistryChange]:
    return list(RegistryChange.objects.filter(code=code).order_by("pk"))


def water_registry(body: WaterBody) -> dict[str, str]:
    return {
        "admin_village": body.admin_village.code,
        "natural_village": body.natural_village.code,
        "water_body": body.code,
        "water_body_kind": body.kind,
    }


def test_an_inspection_sets_the_facility_status_date_and_faults(official, facility):
    submission = inspect(facility, user=official, when=dt.date(2025, 3, 4), scenario=STOPPED)
    facility.refresh_from_db()
    assert facility.status == "stopped"
    assert facility.status_date == dt.date(2025, 3, 4)
    assert facility.faults == [{"type": "power", "severity": "severe"}]
    history = {c.field: c for c in changes(facility.code)}
    assert history["status"].old_value == "normal" and history["status"].new_value == "stopped"
    assert history["status_date"].new_value == "2025-03-04"
    assert all(c.submission == submission for c in history.values())
    assert history["status"].changed_by == official


def test_the_latest_inspection_decides_whatever_the_order_it_arrives_in(official, facility):
    inspect(facility, user=official, when=dt.date(2025, 5, 1), scenario=DEFECTIVE)
    inspect(facility, user=official, when=dt.date(2025, 4, 1), scenario=STOPPED)  # late upload
    facility.refresh_from_db()
    assert (facility.status, facility.status_date) == ("defective", dt.date(2025, 5, 1))
    assert {f["type"] for f in facility.faults} == {"screen", "no_log"}


def test_an_edit_supersedes_the_version_it_replaces(official, facility):
    first = inspect(facility, user=official, when=dt.date(2025, 5, 1), scenario=STOPPED)
    edit = inspect(
        facility,
        user=official,
        when=dt.date(2025, 5, 1),
        scenario=NORMAL,
        deprecated_id=first.instance_id,
    )
    facility.refresh_from_db()
    assert facility.status == "normal" and facility.faults == []
    status_changes = [c for c in changes(facility.code) if c.field == "status"]
    assert [(c.new_value, c.submission) for c in status_changes] == [
        ("stopped", first),
        ("normal", edit),
    ]


def test_an_edit_that_moves_the_inspection_restores_the_first_facility(official, facility):
    other = SewageFacility.objects.filter(in_service=True).exclude(pk=facility.pk).first()
    first = inspect(facility, user=official, when=dt.date(2025, 5, 1), scenario=STOPPED)
    inspect(
        other,
        user=official,
        when=dt.date(2025, 5, 1),
        scenario=STOPPED,
        deprecated_id=first.instance_id,
    )
    facility.refresh_from_db()
    other.refresh_from_db()
    assert facility.status == "normal"  # its registered 2020 state again
    assert other.status == "stopped"


def test_recomputing_twice_changes_nothing(official, facility):
    inspect(facility, user=official, when=dt.date(2025, 5, 1), scenario=STOPPED)
    count = RegistryChange.objects.count()
    assert registry_state_recompute(everything=True) == []
    assert RegistryChange.objects.count() == count


def test_a_coverage_survey_sets_the_villages_mode_and_households(official):
    village = NaturalVillage.objects.filter(sewage_mode="none").order_by("code").first()
    send(
        "village_sewage_coverage",
        user=official,
        when=dt.date(2025, 8, 1),
        registry={"admin_village": village.admin_village.code, "natural_village": village.code},
        scenario=0,
        overrides={
            "treatment_mode": "decentralized",
            "households_total": "60",
            "households_connected": "51",
        },
    )
    village.refresh_from_db()
    assert (village.sewage_mode, village.households, village.households_connected) == (
        "decentralized",
        60,
        51,
    )
    assert {c.field for c in changes(village.code)} == {
        "sewage_mode",
        "households",
        "households_connected",
    }


def test_a_new_water_body_is_created_unconfirmed(official):
    registry = {"admin_village": "320404116201", "natural_village": "320404116201001"}
    report = send(
        "black_odorous_water",
        user=official,
        when=dt.date(2025, 6, 3),
        registry=registry,
        scenario=NEW_REPORT,
        overrides={"new_water_body_name": "杨庄村新发现沟渠"},
    )
    body = WaterBody.objects.get(name="杨庄村新发现沟渠")
    assert body.code == "ZQ-HC-041"  # after the 40 registered ones
    assert body.is_confirmed is False
    assert (body.stage, body.stage_date, body.kind) == ("screened", dt.date(2025, 6, 3), "ditch")
    assert body.admin_village.code == "320404116201"
    created = RegistryChange.objects.get(field="created")
    assert (created.code, created.submission) == (body.code, report)
    # An edit of the report does not report it twice.
    send(
        "black_odorous_water",
        user=official,
        when=dt.date(2025, 6, 3),
        registry=registry,
        scenario=NEW_REPORT,
        overrides={"new_water_body_name": "杨庄村新发现沟渠"},
        deprecated_id=report.instance_id,
    )
    assert WaterBody.objects.filter(is_confirmed=False).count() == 1


def test_a_water_body_moves_through_its_lifecycle_and_can_rebound(official):
    body = WaterBody.objects.filter(stage="screened").order_by("code").first()
    visits = [
        (dt.date(2023, 4, 1), BLACK_WORKS, "progress", "works", "works"),
        (dt.date(2023, 9, 1), CLEAN_MONITORING, "progress", "completed", "completed"),
        (dt.date(2024, 3, 1), CLEAN_MONITORING, "post_monitoring", "acceptance", "monitoring"),
        (dt.date(2024, 9, 1), CLEAN_MONITORING, "post_monitoring", "closed", "closed"),
        # Monitoring after closing finds it black-odorous again, whatever was ticked.
        (dt.date(2025, 5, 1), BLACK_WORKS, "post_monitoring", "maintenance", "rebound"),
    ]
    for when, scenario, purpose, stage, expected in visits:
        send(
            "black_odorous_water",
            user=official,
            when=when,
            registry=water_registry(body),
            scenario=scenario,
            overrides={"purpose": purpose, "remediation/stage": stage},
        )
        body.refresh_from_db()
        assert (body.stage, body.stage_date) == (expected, when)
    assert [c.new_value for c in changes(body.code) if c.field == "stage"] == [
        "works",
        "completed",
        "monitoring",
        "closed",
        "rebound",
    ]


def test_the_indicators_still_read_the_registered_2020_baseline(official):
    """Field changes do not leak into earlier periods: the ETL reads the baseline."""
    for facility in SewageFacility.objects.filter(in_service=True)[:10]:
        inspect(facility, user=official, when=dt.date(2025, 3, 4), scenario=STOPPED)
    assert SewageFacility.objects.filter(status="stopped").count() >= 10
    result = pipeline.compute(
        raw=extract.submissions_read(),
        dictionary=extract.data_dictionary_read(),
        registry=extract.registry_read(),
        periods=["2020"],
        targets=SEED_TARGETS,
        as_of=dt.date(2020, 12, 31),
    )
    town = result.results.query("level == 'town' and period == '2020'").set_index("code")
    assert round(town.loc["SEWAGE_COVERAGE", "value"], 1) == 70.2
    assert round(town.loc["FACILITY_OPERATION", "value"], 1) == 92.0


def test_a_rejected_submission_is_undone(official, users, facility):
    from registry.services import registry_follow_updates
    from review.services import submission_review

    before = dt.datetime.now(dt.UTC)
    submission = inspect(facility, user=official, when=dt.date(2025, 3, 4), scenario=STOPPED)
    submission_review(
        submission=submission, user=users["district"], state="rejected", comment="照片不清晰"
    )
    registry_follow_updates(since=before)
    facility.refresh_from_db()
    assert facility.status == "normal"


@pytest.fixture
def followed_by_the_worker():
    """REGISTRY_FOLLOW=worker: no receiver in the request; publish_indicators --watch
    calls registry_follow_updates on its next pass."""
    from collect.signals import submission_accepted
    from registry.receivers import registry_follow

    assert submission_accepted.disconnect(dispatch_uid="registry_follow")
    yield
    submission_accepted.connect(registry_follow, dispatch_uid="registry_follow")


def test_the_worker_follows_new_inspections_and_new_water_bodies(
    official, facility, followed_by_the_worker
):
    from registry.services import registry_follow_updates

    before = dt.datetime.now(dt.UTC)
    inspection = inspect(facility, user=official, when=dt.date(2025, 3, 4), scenario=STOPPED)
    report = send(
        "black_odorous_water",
        user=official,
        when=dt.date(2025, 6, 3),
        registry={"admin_village": "320404116201", "natural_village": "320404116201001"},
        scenario=NEW_REPORT,
        overrides={"new_water_body_name": "杨庄村新发现沟渠"},
    )
    facility.refresh_from_db()
    assert facility.status == "normal"  # nothing followed in the request
    assert not WaterBody.objects.filter(name="杨庄村新发现沟渠").exists()

    registry_follow_updates(since=before)

    facility.refresh_from_db()
    assert facility.status == "stopped"
    assert RegistryChange.objects.get(code=facility.code, field="status").submission == inspection
    body = WaterBody.objects.get(name="杨庄村新发现沟渠")
    assert (body.is_confirmed, body.stage) == (False, "screened")
    assert RegistryChange.objects.get(field="created").submission == report
    # A second pass over the same window creates nothing twice.
    registry_follow_updates(since=before)
    assert WaterBody.objects.filter(name="杨庄村新发现沟渠").count() == 1
