"""What ``GET /ready`` asks: can we reach the database and AWS right now?"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import anyio

from adapters.aws.session import SharedSession
from entrypoints.settings import Settings

ReadinessCheck = Callable[[], Awaitable[None]]


def database_check(engine: Any) -> ReadinessCheck:
    async def check() -> None:
        await engine.run_ddl("SELECT 1")

    return check


def aws_check(settings: Settings, session: SharedSession) -> ReadinessCheck:
    endpoint = settings.sandbox_endpoint if settings.sandbox else None
    sts = session.client("sts", endpoint_url=endpoint, region_name=settings.region)

    async def check() -> None:
        await anyio.to_thread.run_sync(sts.get_caller_identity)

    return check
