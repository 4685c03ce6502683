"""Vended credentials are served from the process's cache while more than a
quarter of their life remains (issue 18), and never after."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from adapters.system.credential_cache import InProcessCredentialCache
from domain.ports.credential_cache import CacheKey
from domain.ports.credential_vendor import SessionCredentials

T0 = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


class SteppedClock:
    def __init__(self) -> None:
        self.at = T0

    def now(self) -> datetime:
        return self.at


def credentials(life: timedelta, issued: datetime = T0) -> SessionCredentials:
    return SessionCredentials("ASIAEXAMPLE", "secret", "token", issued + life)


def key(connector: uuid.UUID | None = None, access: str = "read", prefix: str = "") -> CacheKey:
    return CacheKey(connector or uuid.uuid4(), access, prefix)


@given(
    life=st.integers(min_value=900, max_value=3600),
    elapsed=st.integers(min_value=0, max_value=3600),
)
def test_served_exactly_while_more_than_a_quarter_of_the_life_remains(
    life: int, elapsed: int
) -> None:
    clock = SteppedClock()
    cache = InProcessCredentialCache(clock)
    wanted, vended = key(), credentials(timedelta(seconds=life))
    cache.put(wanted, vended)

    clock.at = T0 + timedelta(seconds=elapsed)

    remaining = life - elapsed
    assert (cache.get(wanted) == vended) is (remaining > life / 4)


def test_each_access_and_prefix_is_its_own_entry() -> None:
    cache = InProcessCredentialCache(SteppedClock())
    connector = uuid.uuid4()
    read = credentials(timedelta(hours=1))
    cache.put(key(connector, "read", "a/"), read)

    assert cache.get(key(connector, "read", "a/")) == read
    assert cache.get(key(connector, "read_write", "a/")) is None
    assert cache.get(key(connector, "read", "b/")) is None


def test_forgetting_a_connector_drops_all_its_credentials_and_no_others() -> None:
    cache = InProcessCredentialCache(SteppedClock())
    deleted, kept = uuid.uuid4(), uuid.uuid4()
    for access in ("read", "read_write"):
        cache.put(key(deleted, access), credentials(timedelta(hours=1)))
    cache.put(key(kept), credentials(timedelta(hours=1)))

    cache.forget(deleted)

    assert cache.get(key(deleted, "read")) is None
    assert cache.get(key(deleted, "read_write")) is None
    assert cache.get(key(kept)) is not None


def test_a_credential_s_secrets_never_print() -> None:
    shown = repr(SessionCredentials("ASIAEXAMPLE", "the-secret", "the-token", T0))
    assert "ASIAEXAMPLE" in shown
    assert "the-secret" not in shown and "the-token" not in shown


async def test_asks_for_a_key_being_vended_wait_for_that_one_vend() -> None:
    cache = InProcessCredentialCache(SteppedClock())
    wanted, vended = key(), credentials(timedelta(hours=1))
    release, calls = asyncio.Event(), []

    async def slow_vend() -> SessionCredentials:
        calls.append(1)
        await release.wait()
        return vended

    asks = [asyncio.create_task(cache.fetch(wanted, slow_vend)) for _ in range(10)]
    await asyncio.sleep(0)
    release.set()

    assert await asyncio.gather(*asks) == [vended] * 10
    assert calls == [1]  # one AssumeRole for the burst
    assert await cache.fetch(wanted, slow_vend) == vended and calls == [1]


async def test_a_failed_vend_fails_every_waiter_and_keeps_nothing() -> None:
    cache = InProcessCredentialCache(SteppedClock())
    wanted, release = key(), asyncio.Event()

    async def refused() -> SessionCredentials:
        await release.wait()
        raise PermissionError("AccessDenied")

    asks = [asyncio.create_task(cache.fetch(wanted, refused)) for _ in range(3)]
    await asyncio.sleep(0)
    release.set()
    outcomes = await asyncio.gather(*asks, return_exceptions=True)

    assert all(isinstance(outcome, PermissionError) for outcome in outcomes)
    assert cache.get(wanted) is None


async def test_credentials_vended_while_their_connector_is_forgotten_are_not_kept() -> None:
    cache = InProcessCredentialCache(SteppedClock())
    wanted, vended = key(), credentials(timedelta(hours=1))

    async def vend_racing_a_delete() -> SessionCredentials:
        cache.forget(wanted.connector_id)  # the connector is deleted meanwhile
        return vended

    assert await cache.fetch(wanted, vend_racing_a_delete) == vended
    assert cache.get(wanted) is None
