"""Users created before the role groups existed are put in their role's group, staff or
not by role, when accounts/0006 runs."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import User
from accounts.roles import DISTRICT_GROUP, TOWN_GROUP

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(target) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


@pytest.fixture(autouse=True)
def latest_schema_afterwards():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_existing_users_get_their_roles_group_and_staff_flag(users):
    _migrate([("accounts", "0005_loginlock_all_addresses")])
    for user in users.values():
        user.groups.clear()
    User.objects.update(is_staff=True)  # as a worker made staff by hand before

    _migrate([("accounts", "0006_role_groups")])

    rows = {
        user.username: (user.is_staff, set(user.groups.values_list("name", flat=True)))
        for user in User.objects.all()
    }
    assert rows == {
        "district": (True, {DISTRICT_GROUP}),
        "official": (True, {TOWN_GROUP}),
        "worker": (False, set()),
        "contractor": (False, set()),
    }
