"""What ``GET /ready`` asks: can we reach the database and AWS right now?"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import anyio
from botocore.config import Config

from adapters.aws.session import SharedSession
from adapters.persistence.piccolo.reachability import check_database
from entrypoints.settings import Settings

ReadinessCheck = Callable[[], Awaitable[None]]

# One short attempt: whoever polls /ready asks again anyway, and botocore's
# defaults (60 s timeouts, retried) would hold the answer for minutes when AWS
# accepts connections but never answers.
_AWS_CHECK_CONFIG = Config(
    connect_timeout=1,
    read_timeout=2,
    retries={"mode": "standard", "total_max_attempts": 1},
)


def database_check(engine: Any) -> ReadinessCheck:
    async def check() -> None:
        await check_database(engine)

    return check


def aws_check(settings: Settings, session: SharedSession) -> ReadinessCheck:
    endpoint = settings.sandbox_endpoint if settings.sandbox else None
    sts = session.client(
        "sts", endpoint_url=endpoint, region_name=settings.region, config=_AWS_CHECK_CONFIG
    )

    async def check() -> None:
        # Abandoned, not awaited, when /ready's time limit runs out first.
        await anyio.to_thread.run_sync(sts.get_caller_identity, abandon_on_cancel=True)

    return check
