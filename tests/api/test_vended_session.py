"""The in-process helper of docs/in-process.md: a boto3 Session whose vended
credentials refresh themselves before they expire (botocore's
RefreshableCredentials), outliving one expiry."""

from __future__ import annotations

from datetime import timedelta

import anyio.to_thread
import pytest

from entrypoints.vended_sessions import RefreshOnTheEventLoop, vended_session
from tests.application.conftest import ALICE, make_platform, ready_customer, register


async def test_a_vended_session_outlives_its_first_credentials() -> None:
    platform = make_platform()
    target = await ready_customer(platform, ALICE, prefix="exports/")
    connector = await register(platform, ALICE, "exports", target)
    session = await vended_session(
        platform.app, ALICE, connector.id, time_fetcher=platform.clock.now
    )

    def frozen() -> str:
        return session.get_credentials().get_frozen_credentials().access_key

    first = await anyio.to_thread.run_sync(frozen)
    assert await anyio.to_thread.run_sync(frozen) == first  # an hour left: no refresh yet

    platform.clock.advance(timedelta(minutes=61).total_seconds())  # past the first expiry
    renewed = await anyio.to_thread.run_sync(frozen)

    assert renewed != first
    vends = [c for c in platform.world.calls if c.operation == "AssumeRole"]
    assert len(vends) == 2 + 3  # two vends, after the registration's three AssumeRoles
    assert session.region_name == "us-east-1"


async def test_a_refresh_on_the_event_loop_is_refused_not_a_deadlock() -> None:
    platform = make_platform()
    target = await ready_customer(platform, ALICE)
    connector = await register(platform, ALICE, "exports", target)
    session = await vended_session(
        platform.app, ALICE, connector.id, time_fetcher=platform.clock.now
    )
    platform.clock.advance(timedelta(minutes=61).total_seconds())

    with pytest.raises(RefreshOnTheEventLoop):
        session.get_credentials().get_frozen_credentials()
