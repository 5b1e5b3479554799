"""Who may use the dashboard and what they see: Django's authentication and accounts.scopes,
through dash_app.data (pytest-django's test database, no browser)."""

import datetime as dt
import io

import pytest

from accounts.models import Role, User
from dash_app import data, tables

PASSWORD = "s3cret-Pass!"


def viewer(user: User) -> data.Viewer | None:
    user_id, auth_hash, error = data.login_check(user.username, PASSWORD)
    assert error == "" and user_id == user.pk
    return data.viewer_for(user_id, auth_hash)


@pytest.mark.django_db
def test_a_town_official_sees_their_town(official, town):
    seen = viewer(official)
    assert seen.town_code == town.code
    assert seen.admin_village_codes == frozenset(town.admin_villages.values_list("code", flat=True))
    assert len(seen.admin_village_codes) == 19
    assert seen.role_label == "镇级管理人员"


@pytest.mark.django_db
def test_a_district_administrator_gets_in(district_admin, town):
    assert viewer(district_admin).town_code == town.code


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.VILLAGE_WORKER, Role.CONTRACTOR])
def test_village_workers_and_contractors_are_refused(make_user, role):
    make_user("someone", role)
    assert data.login_check("someone", PASSWORD) == (None, "", "login_forbidden")


@pytest.mark.django_db
def test_wrong_password_and_users_without_a_town_are_refused(official):
    assert data.login_check("official", "wrong") == (None, "", "login_failed")
    User.objects.create_user("townless", password=PASSWORD, role=Role.TOWN_OFFICIAL)
    assert data.login_check("townless", PASSWORD)[2] == "login_forbidden"


@pytest.mark.django_db
def test_a_session_ends_with_a_password_change_or_deactivation(official):
    user_id, auth_hash, _ = data.login_check("official", PASSWORD)
    assert data.viewer_for(user_id, auth_hash) is not None
    official.set_password("another-Pass!2")
    official.save()
    assert data.viewer_for(user_id, auth_hash) is None
    user_id, auth_hash, _ = data.login_check("official", "another-Pass!2")
    User.objects.filter(pk=user_id).update(is_active=False)
    assert data.viewer_for(user_id, auth_hash) is None
    assert data.viewer_for(None, None) is None


@pytest.mark.django_db
def test_targets_come_from_the_servers_table_when_it_has_one():
    from etl.targets import SEED_TARGETS

    targets = data.targets_read()
    assert set(targets) >= set(SEED_TARGETS)
    try:
        from indicators.models import IndicatorTarget
    except (ImportError, RuntimeError):
        assert targets == SEED_TARGETS
        return
    IndicatorTarget.objects.update_or_create(
        code="SEWAGE_COVERAGE", defaults={"name_zh": "覆盖率", "target": 95.0}
    )
    assert data.targets_read()["SEWAGE_COVERAGE"] == 95.0


# --------------------------------------------------------------------------- towns


@pytest.fixture
def other_town(town):
    """A second town with one administrative and one natural village (invented, 演示)."""
    from registry.models import AdministrativeVillage, NaturalVillage, Town

    other = Town.objects.create(code="320404117", name="演示镇")
    village = AdministrativeVillage.objects.create(
        code="320404117201", town=other, name="演示村", kind="village"
    )
    NaturalVillage.objects.create(code="320404117201001", admin_village=village, name="演示村1组")
    return other


@pytest.mark.django_db
def test_a_district_administrator_picks_any_town_an_official_only_theirs(
    official, district_admin, town, other_town
):
    admin = viewer(district_admin)
    assert [code for code, _ in admin.towns] == [town.code, other_town.code]  # default first
    picked = data.viewer_for(admin.user_id, district_admin.get_session_auth_hash(), "320404117")
    assert (picked.town_code, picked.town_name) == ("320404117", "演示镇")
    assert picked.admin_village_codes == frozenset({"320404117201"})
    own = viewer(official)
    assert own.towns == ((town.code, town.name),)
    asked = data.viewer_for(own.user_id, official.get_session_auth_hash(), "320404117")
    assert asked.town_code == town.code  # not theirs: their own town, as the API scopes it
    assert "320404117201" not in asked.admin_village_codes


@pytest.mark.django_db
def test_the_dataset_reads_one_town_only(town, other_town):
    data._CACHE.clear()
    ds = data.dataset(other_town.code)
    assert set(ds.admin_villages["code"]) == {"320404117201"}
    assert set(ds.natural_villages["code"]) == {"320404117201001"}
    assert set(ds.registry.admin_villages["code"]) == {"320404117", "320404117201"}
    zouqu = data.dataset(town.code)
    assert "320404117201" not in set(zouqu.admin_villages["code"])


# --------------------------------------------------------------------------- published values


def snapshot(code: str, level: str, area: str, period: str, value: float, **extra):
    from django.utils import timezone

    from indicators.models import IndicatorSnapshot

    return IndicatorSnapshot.objects.create(
        code=code,
        name_zh=code,
        unit="%",
        level=level,
        area_code=area,
        admin_village_code=extra.pop("admin", ""),
        period=period,
        value=value,
        numerator=value,
        denominator=100.0,
        target=90.0,
        met=value >= 90.0,
        record_count=3,
        content_hash="x",
        as_of=dt.date(2025, 12, 31),
        computed_at=timezone.now(),
        **extra,
    )


@pytest.mark.django_db
def test_the_dashboard_shows_the_published_values_of_its_town(town, other_town, monkeypatch):
    monkeypatch.setenv("DASH_AS_OF", "2025-12-31")
    data._CACHE.clear()
    ds = data.dataset(town.code)
    assert not ds.published  # nothing published yet: the pages say so
    village = town.admin_villages.order_by("code").first().code
    snapshot("SEWAGE_COVERAGE", "town", town.code, "2025", 91.5)
    snapshot("SEWAGE_COVERAGE", "admin_village", village, "2025", 80.0, admin=village)
    snapshot("SEWAGE_COVERAGE", "town", other_town.code, "2025", 12.0)
    snapshot("SEWAGE_COVERAGE", "town", town.code, "2025-01", 50.0)  # months are not read
    data._CACHE.clear()
    ds = data.dataset(town.code)
    assert ds.published and ds.published_as_of == dt.date(2025, 12, 31)
    assert set(ds.results["period"]) == {"2025"}
    cards = tables.indicator_cards(ds.area_results, town.code, "2025").set_index("code")
    assert cards.loc["SEWAGE_COVERAGE", "value"] == 91.5
    assert cards.loc["SEWAGE_COVERAGE", "records"] == 3
    by_village = tables.indicator_cards(ds.area_results, town.code, "2025", village)
    assert by_village.set_index("code").loc["SEWAGE_COVERAGE", "value"] == 80.0
    assert set(ds.results["area_code"]) == {town.code, village}


# --------------------------------------------------------------------------- alert thresholds


@pytest.mark.django_db
def test_alert_thresholds_are_seeded_editable_and_checked():
    from django.core.exceptions import ValidationError
    from django.core.management import call_command

    from indicators.models import AlertThreshold

    assert data.thresholds_read() == {
        data.WARN_DAYS: 30,
        data.SEVERE_DAYS: 90,
        data.OVERDUE_DAYS: 92,
    }  # seeded by the migration
    AlertThreshold.objects.filter(code=data.OVERDUE_DAYS).update(value=60)
    AlertThreshold.objects.filter(code=data.WARN_DAYS).delete()
    call_command("load_targets", stdout=io.StringIO())  # restores the missing one only
    assert data.thresholds_read()[data.OVERDUE_DAYS] == 60
    assert data.thresholds_read()[data.WARN_DAYS] == 30
    warn = AlertThreshold.objects.get(code=data.WARN_DAYS)
    warn.value = 120  # not below the severe threshold (90)
    with pytest.raises(ValidationError, match="应小于"):
        warn.full_clean()
    warn.value = 0
    with pytest.raises(ValidationError):
        warn.full_clean()


@pytest.mark.django_db(transaction=True)
def test_a_change_is_read_in_the_background_without_making_a_page_wait(town, monkeypatch):
    import threading

    monkeypatch.setenv("DASH_AS_OF", "2025-12-31")
    data._CACHE.clear()
    first = data.dataset(town.code)
    assert not first.published
    snapshot("SEWAGE_COVERAGE", "town", town.code, "2025", 91.5)
    assert data.dataset(town.code) is first  # checked less than RECHECK_SECONDS ago
    monkeypatch.setattr(data, "RECHECK_SECONDS", 0.0)
    assert data.dataset(town.code) is first  # stale: served at once, re-read behind
    for thread in threading.enumerate():
        if thread.name.startswith("dash-refresh-"):
            thread.join(timeout=60)
    monkeypatch.setattr(data, "RECHECK_SECONDS", 3600.0)  # no refresh left running after
    fresh = data.dataset(town.code)
    assert fresh is not first and fresh.published
    data._CACHE.clear()


@pytest.mark.django_db
def test_published_values_are_found_by_their_town_code(town, monkeypatch):
    """Snapshots carry their town (indexed), so one town's values are read without looking
    at the province's; values published before that are found by the town's area codes."""
    monkeypatch.setenv("DASH_AS_OF", "2025-12-31")
    village = town.admin_villages.order_by("code").first().code
    snapshot("SEWAGE_COVERAGE", "town", town.code, "2025", 91.5, town_code=town.code)
    snapshot("SEWAGE_COVERAGE", "admin_village", village, "2025", 80.0, town_code=town.code)
    snapshot("SEWAGE_COVERAGE", "town", town.code, "2024", 70.0)  # blank town: not mixed in
    data._CACHE.clear()
    ds = data.dataset(town.code)
    assert sorted(zip(ds.results["area_code"], ds.results["period"], strict=True)) == [
        (town.code, "2025"),
        (village, "2025"),
    ]
    data._CACHE.clear()
