"""The HTTP app on the shipped fakes (tests/api's), for the security suite."""

from __future__ import annotations

from pathlib import Path

import pytest

from entrypoints.settings import Settings

# The same fixtures as tests/api: one definition of "the app on the fakes".
from tests.api.conftest import client, container, customer, world  # noqa: F401
from tests.conftest import JWT_SECRET, PRINCIPAL_ARN


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # These tests send many requests a minute on purpose; the rate limit has tests of its own.
    return Settings(
        jwt_secret=JWT_SECRET,
        database_url=f"sqlite:///{tmp_path / 'unused.sqlite'}",
        principal_arn=PRINCIPAL_ARN,
        assume_role_grace_seconds=0,
        rate_limit="100000/minute",
    )
