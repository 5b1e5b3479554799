"""Fixtures of the review tests: the collect fixtures (registry, one user per role, the
real questionnaires) and submissions sent the way ODK Collect sends them."""

import pytest

from collect.models import Submission
from tests.collect.conftest import (  # noqa: F401  (fixtures used by these tests)
    collect_client,
    fast_password_hashing,
    inspection,
    media_root,
    publish,
    registry,
    users,
)
from tests.collect.support import OUT_OF_SCOPE, post_submission, sample, sample_files


@pytest.fixture
def submit(inspection, collect_client):  # noqa: F811  (pytest injects the imported fixtures)
    """Send a sewage inspection as ``username``; ``elsewhere`` puts it outside the worker's
    villages. Returns the stored Submission."""

    def send(username: str = "worker", *, seed: int = 0, elsewhere: bool = False, **kwargs):
        codes = (
            {
                "admin_village": OUT_OF_SCOPE["admin_village"],
                "natural_village": OUT_OF_SCOPE["natural_village"],
                "facility": OUT_OF_SCOPE["facility"],
            }
            if elsewhere
            else None
        )
        instance = sample(seed=seed, registry=codes, **kwargs)
        response = post_submission(collect_client(username), instance.xml, sample_files(instance))
        assert response.status_code == 201, response.content
        return Submission.objects.get(instance_id=instance.instance_id)

    return send


@pytest.fixture
def stranger(db, town):
    """A town official of another town."""
    from accounts.models import Role, User
    from registry.models import Town

    other_town = Town.objects.create(code="320404999", name="别的镇")
    return User.objects.create_user(
        username="stranger", password="s3cret-Pass!", role=Role.TOWN_OFFICIAL, town=other_town
    )
