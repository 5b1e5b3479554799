"""The account tests use the collect fixtures: one user per role, fast password hashing."""

from tests.collect.conftest import (  # noqa: F401  (fixtures used by these tests)
    collect_client,
    fast_password_hashing,
    media_root,
    registry,
    users,
)
