"""The sandbox's probe: what the emulator skips, checked as AWS would check it.

moto lets anyone assume any role and ignores ExpectedBucketOwner and IAM
permissions, so a connector that "works" against bare moto might never work on
AWS. ``SandboxAccessProbe`` first judges the emulator's IAM and S3 state by AWS's
rules (``adapters.aws_models.probe_rules``), the binding check included; only when AWS
would let every step pass does it hand the request to the wrapped probe, which
then really calls the emulator. ``sandbox_access_probe`` wraps the real boto3
probe, whose AssumeRole calls the emulator's trust gate answers as STS would
(``adapters.sandbox.trust_gate``): its binding attempts are denied there as AWS
would deny them.
"""

from __future__ import annotations

import anyio
import anyio.to_thread
import boto3

from adapters.aws.aws_errors import as_unavailable
from adapters.aws.boto3_probe import Boto3AccessProbe
from adapters.aws_models.probe_rules import first_failure
from adapters.sandbox import defaults
from adapters.sandbox.accounts import EmulatorAccounts
from adapters.sandbox.emulator_facts import EmulatorFacts
from domain.ports.access_probe import AccessProbe
from domain.probe import ProbeReport, ProbeRequest


def sandbox_access_probe(
    endpoint_url: str,
    *,
    session: boto3.Session,
    principal_arn: str = defaults.PRINCIPAL_ARN,
    region_name: str | None = None,
    assume_role_grace_seconds: float = 0.0,
    checks_session: boto3.Session | None = None,
) -> SandboxAccessProbe:
    """The real boto3 probe on the emulator, judged first. ``session`` is the
    platform's; ``checks_session`` reads the emulator's state (default: ``session``)."""
    facts = EmulatorFacts(EmulatorAccounts(endpoint_url, checks_session or session))
    inner = Boto3AccessProbe(
        session=session,
        endpoint_url=endpoint_url,
        region_name=region_name,
        assume_role_grace_seconds=assume_role_grace_seconds,
    )
    return SandboxAccessProbe(inner, facts, principal_arn=principal_arn)


class SandboxAccessProbe:
    def __init__(
        self,
        inner: AccessProbe,
        facts: EmulatorFacts,
        *,
        principal_arn: str = defaults.PRINCIPAL_ARN,
        limiter: anyio.CapacityLimiter | None = None,
    ) -> None:
        self._inner = inner
        self._facts = facts
        self._principal_arn = principal_arn
        # None: anyio's default thread limiter; the sandbox serves demos, not load.
        self._limiter = limiter

    async def probe(self, request: ProbeRequest) -> ProbeReport:
        refused = await anyio.to_thread.run_sync(self._judge, request, limiter=self._limiter)
        if refused is not None:
            return refused
        return await self._inner.probe(request)

    def _judge(self, request: ProbeRequest) -> ProbeReport | None:
        try:
            role = self._facts.role(request.role)
            bucket = self._facts.bucket(request.target.bucket, request.bucket_owner)
        except Exception as error:
            unavailable = as_unavailable(error, "sandbox check")
            if unavailable is None:
                raise
            raise unavailable from None
        return first_failure(role, bucket, self._principal_arn, request)
