"""What ``GET /ready`` asks: can we reach the database and AWS right now, and,
on AWS, are we the principal customers trust? The asking is the adapters'
(``check_database``, ``platform_identity_check``); this module composes them
and keeps AWS's answer for a few seconds."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import anyio

from adapters.persistence.piccolo.reachability import check_database
from entrypoints.settings import Settings

if TYPE_CHECKING:
    from adapters.aws.session import SharedSession

ReadinessCheck = Callable[[], Awaitable[None]]
# How long an AWS answer stands for every /ready in between: /ready needs no
# token, and each call would otherwise be an STS call anyone can make us send.
AWS_ANSWER_SECONDS = 5.0


def database_check(engine: Any) -> ReadinessCheck:
    async def check() -> None:
        await check_database(engine)

    return check


def aws_check(settings: Settings, session: SharedSession) -> ReadinessCheck:
    from adapters.aws.platform_identity import platform_identity_check  # boto3: not at import

    check = platform_identity_check(
        session,
        region_name=settings.region,
        endpoint_url=settings.sandbox_endpoint if settings.sandbox else None,
        # The sandbox's principal is made up: the emulator's caller is its default user.
        principal_arn=None if settings.sandbox else settings.principal_arn,
    )
    return remembered(check, AWS_ANSWER_SECONDS)


def remembered(
    check: ReadinessCheck, seconds: float, clock: Callable[[], float] = time.monotonic
) -> ReadinessCheck:
    """``check``, whose outcome (passing or the error it raised) stands for
    ``seconds``; callers meanwhile share one call."""
    lock = anyio.Lock()
    answer: list[tuple[float, BaseException | None]] = []

    async def cached() -> None:
        async with lock:
            if not answer or clock() - answer[0][0] >= seconds:
                try:
                    await check()
                    answer[:] = [(clock(), None)]
                except Exception as error:
                    answer[:] = [(clock(), error)]
        failure = answer[0][1]
        if failure is not None:
            raise failure.with_traceback(None)

    return cached
