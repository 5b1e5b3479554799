"""Fixtures shared by every test folder: the real places and users of each role."""

import pytest

from accounts.models import Role, User
from registry.places import places_load
from tests.demo_database import DemoDatabase, demo_database_build

# Session fixtures that start something costly (a database built by load_demo, a gunicorn, the
# Node form engine): under pytest-xdist (`make test` runs two workers) every test using one
# of them goes to the same worker, so each is started once per run, not once per worker.
COSTLY_SESSION_FIXTURES = {"demo_database": "demo", "live": "live", "engine": "engine"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        for fixture, group in COSTLY_SESSION_FIXTURES.items():
            if fixture in item.fixturenames:
                item.add_marker(pytest.mark.xdist_group(group))
                break


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """No autovacuum on the test database's tables (PostgreSQL).

    The tests insert rows and roll them back. Autovacuum then finds only dead rows and
    records the tables as empty while their pages remain (reltuples 0, relpages > 0), so the
    planner estimates one row for every table later tests fill, and a join of a few thousand
    rows becomes a nested loop running for minutes. Never analysed, the planner estimates
    from the tables' current size instead.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f'ALTER TABLE "{table}" SET (autovacuum_enabled = false)')


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory) -> DemoDatabase:
    """The full demo (five years of submissions), built once per session; ``.clone()`` it."""
    database, drop = demo_database_build(tmp_path_factory.mktemp("demo"))
    yield database
    drop()


@pytest.fixture
def town(db):
    """邹区镇 with its 19 real administrative villages."""
    return places_load()


@pytest.fixture
def make_user(db, town):
    def make(username: str, role: str, *, villages=(), facilities=(), **extra) -> User:
        user = User.objects.create_user(
            username=username, password="s3cret-Pass!", role=role, town=town, **extra
        )
        user.villages.set(villages)
        user.facilities.set(facilities)
        return user

    return make


@pytest.fixture
def official(make_user):
    return make_user("official", Role.TOWN_OFFICIAL)


@pytest.fixture
def district_admin(make_user):
    return make_user("district", Role.DISTRICT_ADMIN, is_staff=True, is_superuser=True)
