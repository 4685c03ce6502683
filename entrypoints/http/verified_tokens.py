"""Access tokens already verified by this process, and who they name.

Verifying an HS256 token costs about 0.1 ms of pure Python (PyJWT checks the
token character by character before it checks the signature), and a client
sends the same token with every request for its lifetime: that was a tenth of
the cost of a read. The same string under the same secret verifies the same
way every time, so a token found here is not verified again. Its expiry is
checked again on every use: an expired token is forgotten and goes back
through full verification, which refuses it (or renews it with a refresh
token).

Only tokens that authenticated a caller are kept, so requests with forged or
junk tokens cannot fill the cache. It is bounded, least recently used first
out, and lives in one app's authentication (one secret).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from cachetools import TLRUCache
from litestar.middleware.authentication import AuthenticationResult
from litestar.security.jwt import Token

DEFAULT_CAPACITY = 10_000


class VerifiedTokens:
    def __init__(
        self, capacity: int = DEFAULT_CAPACITY, clock: Callable[[], float] = time.time
    ) -> None:
        # Each entry lives until its token's expiry, on the same clock PyJWT checks
        # against: a TLRU cache never answers with an entry whose time has come.
        self._entries: TLRUCache[str, AuthenticationResult] = TLRUCache(
            maxsize=capacity, ttu=_expiry, timer=clock
        )

    def __len__(self) -> int:
        return len(self._entries)

    def find(self, encoded: str) -> AuthenticationResult | None:
        """The result of verifying ``encoded`` before, if it has not expired since."""
        return self._entries.get(encoded)

    def keep(self, encoded: str, result: AuthenticationResult) -> None:
        """Remember that ``encoded`` verified to ``result`` (an expired one is not kept)."""
        if isinstance(result.auth, Token):
            self._entries[encoded] = result


def _expiry(_: str, result: AuthenticationResult, __: float) -> float:
    # PyJWT's own rule: a token is expired once ``exp <= now`` (no leeway is
    # configured); the cache drops an entry once ``now >= expiry``.
    token: Token = result.auth
    return token.exp.timestamp()
