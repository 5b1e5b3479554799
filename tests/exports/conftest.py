"""The export tests reuse the indicator tests' world: demo registry, accounts, forms and a
few 2025 submissions (tests/indicators/conftest.py)."""

from tests.indicators.conftest import (  # noqa: F401 -- fixtures
    fast_password_hashing,
    field_data,
    media_root,
    published,
    users,
)
