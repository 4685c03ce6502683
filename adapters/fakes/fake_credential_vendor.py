"""The ``CredentialVendor`` port over a ``FakeAws``: the AssumeRole the boto3
vendor makes, through the world's call log (so faults can be injected), judged
by the rules the fake probe uses (``adapters.aws_models.probe_rules``), with the
limits STS sets on a chained session
(https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html)."""

from __future__ import annotations

import secrets
import string
from datetime import timedelta
from typing import TYPE_CHECKING

from adapters.aws_models.probe_rules import assume_role_refusal
from adapters.system.clock import SystemClock
from domain.ports.clock import Clock
from domain.ports.credential_vendor import SessionCredentials, SessionRequest, refused

if TYPE_CHECKING:
    from adapters.fakes.fake_aws import FakeAws

# The platform is itself a role session: its AssumeRole is role chaining.
_MIN_SECONDS, _CHAINED_MAX_SECONDS = 900, 3600
_KEY_ALPHABET = string.ascii_uppercase + string.digits


class FakeCredentialVendor:
    def __init__(self, world: FakeAws, principal_arn: str, clock: Clock | None = None) -> None:
        self._world = world
        self._principal_arn = principal_arn
        self._clock = clock or SystemClock()

    async def vend(self, request: SessionRequest) -> SessionCredentials:
        self._world.call(
            "AssumeRole",
            RoleArn=str(request.role),
            RoleSessionName=request.session_name,
            ExternalId=request.external_id.value,
            Policy=request.policy,
            DurationSeconds=request.duration_seconds,
        )
        if not _MIN_SECONDS <= request.duration_seconds <= _CHAINED_MAX_SECONDS:
            raise refused(request, "ValidationError")  # as the boto3 vendor words STS's
        refusal = assume_role_refusal(
            self._world.role_facts(request.role),
            str(request.role),
            self._principal_arn,
            request.external_id,
            request.session_name,
        )
        if refusal is not None:
            raise refused(request, refusal[0])
        return SessionCredentials(
            access_key_id="ASIA" + "".join(secrets.choice(_KEY_ALPHABET) for _ in range(16)),
            secret_access_key=secrets.token_urlsafe(30),
            session_token=secrets.token_urlsafe(60),
            expiration=self._clock.now() + timedelta(seconds=request.duration_seconds),
        )
