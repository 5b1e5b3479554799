"""Who may use the dashboard and what they see: Django's authentication and accounts.scopes,
through dash_app.data (pytest-django's test database, no browser)."""

import pytest

from accounts.models import Role, User
from dash_app import data

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
