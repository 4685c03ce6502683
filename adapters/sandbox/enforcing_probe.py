"""A probe for the sandbox that checks what the emulator skips, as AWS would.

moto lets anyone assume any role and ignores ExpectedBucketOwner and IAM
permissions, so a connector that "works" against bare moto might never work on
AWS. This decorator first judges the emulator's IAM and S3 state by AWS's rules
(``adapters.aws.probe_rules``); only when AWS would let every step pass does it
hand the request to the wrapped probe, which then really calls the emulator.
"""

from __future__ import annotations

import anyio
import anyio.to_thread
import boto3

from adapters.aws.aws_errors import as_unavailable
from adapters.aws.probe_rules import first_failure
from adapters.sandbox import defaults
from adapters.sandbox.accounts import EmulatorAccounts
from adapters.sandbox.emulator_facts import EmulatorFacts
from domain.ports.access_probe import AccessProbe
from domain.probe import ProbeReport, ProbeRequest


class SandboxAccessProbe:
    def __init__(
        self,
        inner: AccessProbe,
        *,
        endpoint_url: str,
        principal_arn: str = defaults.PRINCIPAL_ARN,
        limiter: anyio.CapacityLimiter | None = None,
        session: boto3.Session | None = None,
    ) -> None:
        self._inner = inner
        self._facts = EmulatorFacts(EmulatorAccounts(endpoint_url, session))
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
