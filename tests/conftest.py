"""Fixtures every suite may use: settings that touch nothing, tokens."""

from __future__ import annotations

import time

import jwt
import pytest

from entrypoints.settings import Settings

JWT_SECRET = "test-secret-that-is-long-enough-for-hs256"
PRINCIPAL_ARN = "arn:aws:iam::123456789012:role/bucketlink-platform"


def access_token(user: str = "alice", org: int = 1, ttl: float = 3600) -> str:
    # Made with PyJWT directly, so the tests do not trust the service's own minting.
    claims = {"sub": user, "org_id": org, "exp": int(time.time() + ttl)}
    return jwt.encode(claims, JWT_SECRET, algorithm="HS256")


def refresh_token(user: str = "alice", org: int = 1, ttl: float = 86400) -> str:
    claims = {"sub": user, "org_id": org, "exp": int(time.time() + ttl), "typ": "refresh"}
    return jwt.encode(claims, JWT_SECRET, algorithm="HS256")


def bearer(user: str = "alice", org: int = 1) -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token(user, org)}"}


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(
        jwt_secret=JWT_SECRET,
        database_url=f"sqlite:///{tmp_path / 'unused.sqlite'}",
        principal_arn=PRINCIPAL_ARN,
        assume_role_grace_seconds=0,
    )
