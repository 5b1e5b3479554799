from tests.review.conftest import (  # noqa: F401  (fixtures used by these tests)
    collect_client,
    fast_password_hashing,
    inspection,
    media_root,
    publish,
    registry,
    submit,
    users,
)
