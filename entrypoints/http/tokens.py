"""Access and refresh tokens (contract §2): HS256 JWTs carrying ``sub`` and
``org_id``; and service tokens (contract §10), access tokens whose ``sub`` is
``service:NAME`` and which carry ``scope: "credentials"``."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from litestar.exceptions import NotAuthorizedException
from litestar.security.jwt import Token

from domain.identity import SERVICE_PREFIX, ServiceName

ALGORITHM = "HS256"
REFRESH = "refresh"
REFRESHED_ACCESS_TTL = timedelta(minutes=15)
# The one scope there is: what a service token may do (vend credentials).
SERVICE_SCOPE = "credentials"


@dataclass
class BucketlinkToken(Token):
    # Left untyped so a string "5" is refused rather than quietly converted.
    org_id: Any = None
    typ: str | None = None
    # Untyped too: whether it is exactly SERVICE_SCOPE is the caller's to judge
    # (entrypoints/http/auth.py), so that a scope of another shape is refused.
    scope: Any = None

    @classmethod
    def decode(cls, *args: Any, **kwargs: Any) -> Any:
        # Litestar maps claims onto the token with no guard against claims of a
        # shape it does not expect (an "extras" claim that is not an object
        # raises TypeError inside it): a signed token it cannot read is as
        # invalid as one that is not signed.
        try:
            return super().decode(*args, **kwargs)
        except (TypeError, ValueError, AttributeError, KeyError):
            raise NotAuthorizedException("the access token is invalid") from None

    @classmethod
    def decode_payload(cls, *args: Any, **kwargs: Any) -> Any:
        payload = super().decode_payload(*args, **kwargs)
        # The contract's claims are sub, org_id and exp; Litestar also wants iat.
        if isinstance(payload, dict):
            payload.setdefault("iat", int(time.time()))
        return payload


def issue_token(
    secret: str, user_id: str, org_id: int, ttl: timedelta, *, refresh: bool = False
) -> str:
    # Encoded directly: Litestar's Token.encode would add an empty "extras" claim.
    now = datetime.now(UTC)
    claims: dict[str, Any] = {"sub": user_id, "org_id": org_id, "iat": now, "exp": now + ttl}
    if refresh:
        claims["typ"] = REFRESH
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def issue_service_token(secret: str, service: ServiceName, org_id: int, ttl: timedelta) -> str:
    """An access token for ``service`` in ``org_id``. There is no refresh token
    for one: see ``bucketlink token --help``."""
    now = datetime.now(UTC)
    claims: dict[str, Any] = {
        "sub": f"{SERVICE_PREFIX}{service}",
        "org_id": org_id,
        "scope": SERVICE_SCOPE,
        "iat": now,
        "exp": now + ttl,
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)
