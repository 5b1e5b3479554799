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
