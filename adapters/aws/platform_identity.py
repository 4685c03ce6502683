"""Whether the service's own AWS credentials are the principal customers trust:
one ``GetCallerIdentity``, for ``GET /ready``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import anyio.to_thread
import boto3
from botocore.config import Config

from adapters.aws_models.principals import is_principal

# One short attempt: whoever polls /ready asks again anyway, and botocore's
# defaults (60 s timeouts, retried) would hold the answer for minutes when
# AWS accepts connections but never answers.
_ONE_SHORT_ATTEMPT = Config(
    connect_timeout=1,
    read_timeout=2,
    retries={"mode": "standard", "total_max_attempts": 1},
)


class NotThePrincipal(Exception):
    """The service's AWS credentials are not BUCKETLINK_PRINCIPAL_ARN's: every
    customer's trust policy names that principal, so every probe would be denied."""


def platform_identity_check(
    session: boto3.Session,
    *,
    region_name: str,
    endpoint_url: str | None = None,
    principal_arn: str | None = None,
) -> Callable[[], Awaitable[None]]:
    """A check that AWS answers and, given ``principal_arn``, that the
    credentials are that principal's (or a session of it); it raises
    ``NotThePrincipal`` otherwise, and botocore's error if AWS does not answer."""
    sts = session.client(
        "sts", endpoint_url=endpoint_url, region_name=region_name, config=_ONE_SHORT_ATTEMPT
    )

    async def ask_aws() -> None:
        # Abandoned, not awaited, when /ready's time limit runs out first.
        identity = await anyio.to_thread.run_sync(sts.get_caller_identity, abandon_on_cancel=True)
        if principal_arn is not None and not is_principal(identity["Arn"], principal_arn):
            raise NotThePrincipal(
                f"the service's AWS credentials are {identity['Arn']}, "
                f"not BUCKETLINK_PRINCIPAL_ARN {principal_arn}"
            )

    return ask_aws
