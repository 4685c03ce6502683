"""The real probe, through boto3: AssumeRole into the customer's role with the
org's external id; the binding check (the same AssumeRole without it, and with a
decoy, both of which must be denied); then HeadBucket and ListObjectsV2 with
ExpectedBucketOwner."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import anyio
import anyio.to_thread
import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from adapters.aws.assumed_role_signing import assumed_role_s3_client, signing_as
from adapters.aws.aws_errors import as_unavailable, error_code, status_code
from adapters.aws.client_config import DEFAULT_CONCURRENCY, default_config
from adapters.aws_models.probe_rules import ACCESS_DENIED
from domain.errors import AwsUnavailable
from domain.external_id import ExternalId
from domain.probe import (
    S3_OPERATIONS,
    BindingAttempt,
    ProbeReport,
    ProbeRequest,
    ProbeStep,
    assume_role_refused,
    external_id_not_enforced,
    s3_call_refused,
)
from domain.s3_uri import BucketName

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_sts import STSClient
    from mypy_boto3_sts.type_defs import AssumeRoleRequestTypeDef, CredentialsTypeDef

log = logging.getLogger(__name__)
T = TypeVar("T")

# AssumeRole's minimum: the credentials only live for the two calls after it.
SESSION_SECONDS = 900
_FIRST_DENIAL_BACKOFF = 0.5
_MAX_DENIAL_BACKOFF = 2.0


class Boto3AccessProbe:
    def __init__(
        self,
        *,
        session: boto3.Session | None = None,
        endpoint_url: str | None = None,
        region_name: str | None = None,
        assume_role_grace_seconds: float = 8.0,
        limiter: anyio.CapacityLimiter | None = None,
        config: Config | None = None,
    ) -> None:
        self._session = session or boto3.Session()
        self._region = region_name or self._session.region_name or "us-east-1"
        self._grace = assume_role_grace_seconds
        self._limiter = limiter or anyio.CapacityLimiter(DEFAULT_CONCURRENCY)
        # A caller's config overrides only what it sets (tests shorten timeouts).
        self._config = default_config().merge(config) if config else default_config()
        self._sts: STSClient = self._session.client(
            "sts", region_name=self._region, endpoint_url=endpoint_url, config=self._config
        )
        # Built once: each probe signs its calls with the role it assumed.
        self._s3: S3Client = assumed_role_s3_client(
            self._session, region_name=self._region, endpoint_url=endpoint_url, config=self._config
        )

    async def probe(self, request: ProbeRequest) -> ProbeReport:
        assumed = await self._assume_role(request)
        if isinstance(assumed, ProbeReport):
            return assumed
        # The role's credentials are not used before it is proven bound to the
        # org: a role anyone can assume must not even be listed on their behalf.
        unbound = await self._binding_check(request)
        if unbound is not None:
            return unbound
        return await self._run(self._check_bucket, request, assumed)

    async def _assume_role(self, request: ProbeRequest) -> CredentialsTypeDef | ProbeReport:
        # IAM is eventually consistent: a role or trust policy changed seconds ago
        # can still be refused, so a denial is retried until the grace runs out.
        deadline = time.monotonic() + self._grace
        backoff, attempts = _FIRST_DENIAL_BACKOFF, 1
        assumed = await self._run(self._assume_role_once, request, request.external_id)
        while (
            isinstance(assumed, _Denied)
            and assumed.may_be_propagation
            and (remaining := deadline - time.monotonic()) > 0
        ):
            log.info("AssumeRole on %s denied; retrying within the IAM grace", request.role)
            await anyio.sleep(min(backoff, remaining))
            backoff, attempts = min(backoff * 2, _MAX_DENIAL_BACKOFF), attempts + 1
            assumed = await self._run(self._assume_role_once, request, request.external_id)
        if isinstance(assumed, _Denied):
            retried_for = self._grace if attempts > 1 else None
            return assume_role_refused(request.role, assumed.code, retried_for)
        return assumed

    async def _binding_check(self, request: ProbeRequest) -> ProbeReport | None:
        """Both binding attempts at once, so the check costs one AWS round trip.
        A denial is the expected answer, so it is never retried; AWS failing to
        answer fails the probe rather than passing the check."""
        outcomes: dict[BindingAttempt, bool | AwsUnavailable] = {}

        async def attempt(which: BindingAttempt, external_id: ExternalId | None) -> None:
            try:
                outcomes[which] = await self._run(self._gets_in, request, external_id)
            except AwsUnavailable as unavailable:
                outcomes[which] = unavailable

        async with anyio.create_task_group() as attempts:
            for which, external_id in request.binding_attempts():
                attempts.start_soon(attempt, which, external_id)
        for outcome in outcomes.values():
            if isinstance(outcome, AwsUnavailable):
                raise outcome
        got_in = [which for which, _ in request.binding_attempts() if outcomes[which] is True]
        return external_id_not_enforced(request.role, got_in) if got_in else None

    def _gets_in(self, request: ProbeRequest, external_id: ExternalId | None) -> bool:
        # What a binding attempt obtains is dropped here, unused.
        return not isinstance(self._assume_role_once(request, external_id), _Denied)

    def _assume_role_once(
        self, request: ProbeRequest, external_id: ExternalId | None
    ) -> CredentialsTypeDef | _Denied:
        # Binding attempts differ from the real one in the external id alone.
        call: AssumeRoleRequestTypeDef = {
            "RoleArn": str(request.role),
            "RoleSessionName": request.session_name,
            "DurationSeconds": SESSION_SECONDS,
        }
        if external_id is not None:
            call["ExternalId"] = external_id.value
        try:
            answer = self._sts.assume_role(**call)
        except ClientError as error:
            _raise_if_unavailable(error, "AssumeRole")
            return _Denied(error_code(error) or str(status_code(error)))
        except BotoCoreError as error:
            _raise_if_unavailable(error, "AssumeRole")
            raise
        return answer["Credentials"]

    def _check_bucket(self, request: ProbeRequest, credentials: CredentialsTypeDef) -> ProbeReport:
        with signing_as(credentials):
            return _check_bucket_with(self._s3, request)

    async def _run(self, function: Callable[..., T], *args: object) -> T:
        return await anyio.to_thread.run_sync(function, *args, limiter=self._limiter)


@dataclass(frozen=True, slots=True)
class _Denied:
    code: str

    @property
    def may_be_propagation(self) -> bool:
        # A role or trust policy IAM has not finished propagating answers like this;
        # a malformed request (ValidationError) never gets better by waiting.
        return self.code == ACCESS_DENIED


def _check_bucket_with(s3: S3Client, request: ProbeRequest) -> ProbeReport:
    bucket, owner = request.target.bucket, request.bucket_owner.value
    answered: list[Mapping[str, Any]] = []
    failure = _call_step(
        ProbeStep.HEAD_BUCKET,
        bucket,
        lambda: answered.append(s3.head_bucket(Bucket=bucket.value, ExpectedBucketOwner=owner)),
    )
    if failure is not None:
        return failure
    failure = _call_step(
        ProbeStep.LIST_OBJECTS,
        bucket,
        lambda: s3.list_objects_v2(
            Bucket=bucket.value, Prefix=request.target.prefix, MaxKeys=1, ExpectedBucketOwner=owner
        ),
    )
    return failure or ProbeReport.passed(_bucket_region(answered[0]))


def _bucket_region(head_bucket: Mapping[str, Any]) -> str | None:
    # HeadBucket answers the bucket's region in x-amz-bucket-region (BucketRegion
    # in botocore's newer models).
    headers = head_bucket.get("ResponseMetadata", {}).get("HTTPHeaders", {})
    region = head_bucket.get("BucketRegion") or headers.get("x-amz-bucket-region")
    return str(region) if region else None


def _call_step(
    step: ProbeStep, bucket: BucketName, call: Callable[[], object]
) -> ProbeReport | None:
    operation = S3_OPERATIONS[step]
    try:
        call()
    except ClientError as error:
        _raise_if_unavailable(error, operation)
        return s3_call_refused(step, bucket, status_code(error), error_code(error))
    except BotoCoreError as error:
        _raise_if_unavailable(error, operation)
        raise
    return None


def _raise_if_unavailable(error: Exception, operation: str) -> None:
    unavailable = as_unavailable(error, operation)
    if unavailable is not None:
        log.warning("AWS unavailable: %s", unavailable.detail)
        raise unavailable from None
