"""What ``GET /ready`` asks: can we reach the database and AWS right now, and,
on AWS, are we the principal customers trust?"""

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


class NotThePrincipal(Exception):
    """The service's AWS credentials are not BUCKETLINK_PRINCIPAL_ARN's: every
    customer's trust policy names that principal, so every probe would be denied."""


def aws_check(settings: Settings, session: SharedSession) -> ReadinessCheck:
    from botocore.config import Config  # with the AWS adapters, not at import (container)

    # One short attempt: whoever polls /ready asks again anyway, and botocore's
    # defaults (60 s timeouts, retried) would hold the answer for minutes when
    # AWS accepts connections but never answers.
    config = Config(
        connect_timeout=1,
        read_timeout=2,
        retries={"mode": "standard", "total_max_attempts": 1},
    )
    endpoint = settings.sandbox_endpoint if settings.sandbox else None
    sts = session.client("sts", endpoint_url=endpoint, region_name=settings.region, config=config)

    async def ask_aws() -> None:
        # Abandoned, not awaited, when /ready's time limit runs out first.
        identity = await anyio.to_thread.run_sync(sts.get_caller_identity, abandon_on_cancel=True)
        # The sandbox's principal is made up: the emulator's caller is its default user.
        if not settings.sandbox and not is_principal(identity["Arn"], settings.principal_arn):
            raise NotThePrincipal(
                f"the service's AWS credentials are {identity['Arn']}, "
                f"not BUCKETLINK_PRINCIPAL_ARN {settings.principal_arn}"
            )

    return remembered(ask_aws, AWS_ANSWER_SECONDS)


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


def is_principal(caller_arn: str, principal_arn: str) -> bool:
    """Whether STS's caller ARN is ``principal_arn``'s: the user itself, or a
    session of the role (``arn:aws:sts::<account>:assumed-role/<name>/<session>``
    for ``arn:aws:iam::<account>:role/<path/><name>``; the path is not in it)."""
    if caller_arn == principal_arn:
        return True
    account, _, resource = principal_arn.removeprefix("arn:aws:iam::").partition(":")
    if not resource.startswith("role/"):
        return False
    role_name = resource.rsplit("/", 1)[1]
    session_of = f"arn:aws:sts::{account}:assumed-role/{role_name}/"
    return caller_arn.startswith(session_of) and "/" not in caller_arn[len(session_of) :]
