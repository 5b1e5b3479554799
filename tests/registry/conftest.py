import pytest

from registry.demo import demo_registry_build, demo_registry_write


@pytest.fixture(scope="module")
def demo():
    return demo_registry_build()


@pytest.fixture
def demo_town(db, demo):
    return demo_registry_write(demo)
