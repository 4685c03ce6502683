"""The real probe: AssumeRole into the customer's role, then HeadBucket and
ListObjectsV2 with ExpectedBucketOwner, through boto3."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import anyio
import anyio.to_thread
import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from adapters.aws.assumed_role_signing import assumed_role_s3_client, signing_as
from adapters.aws.aws_errors import as_unavailable, error_code, status_code
from adapters.aws.client_config import DEFAULT_CONCURRENCY, default_config
from domain.probe import FAILURE_CODES, ProbeReport, ProbeRequest, ProbeStep

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_sts import STSClient
    from mypy_boto3_sts.type_defs import CredentialsTypeDef

log = logging.getLogger(__name__)
T = TypeVar("T")

# AssumeRole's minimum: the credentials only live for the two calls after it.
SESSION_SECONDS = 900
_FIRST_DENIAL_BACKOFF = 0.5
_MAX_DENIAL_BACKOFF = 2.0
_NOT_FOUND = frozenset({"404", "NoSuchBucket", "NotFound"})


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
        # The usual probe is one trip to a worker thread: AssumeRole, then the
        # bucket checks. Each trip costs the event loop a hand-off for the GIL,
        # which adds up with many probes in flight (docs/performance.md).
        deadline = time.monotonic() + self._grace
        first = await self._run(self._assume_role_and_check, request)
        if not isinstance(first, _Denied):
            return first
        assumed = await self._assume_role_again(request, first, deadline)
        if isinstance(assumed, ProbeReport):
            return assumed
        return await self._run(self._check_bucket, request, assumed)

    def _assume_role_and_check(self, request: ProbeRequest) -> ProbeReport | _Denied:
        assumed = self._assume_role_once(request)
        if isinstance(assumed, _Denied):
            return assumed
        return self._check_bucket(request, assumed)

    async def _assume_role_again(
        self, request: ProbeRequest, denied: _Denied, deadline: float
    ) -> CredentialsTypeDef | ProbeReport:
        # IAM is eventually consistent: a role or trust policy changed seconds ago
        # can still be refused, so a denial is retried until the grace runs out.
        backoff, attempts = _FIRST_DENIAL_BACKOFF, 1
        assumed: CredentialsTypeDef | _Denied = denied
        while (
            isinstance(assumed, _Denied)
            and assumed.may_be_propagation
            and (remaining := deadline - time.monotonic()) > 0
        ):
            log.info("AssumeRole on %s denied; retrying within the IAM grace", request.role)
            await anyio.sleep(min(backoff, remaining))
            backoff, attempts = min(backoff * 2, _MAX_DENIAL_BACKOFF), attempts + 1
            assumed = await self._run(self._assume_role_once, request)
        if isinstance(assumed, _Denied):
            detail = self._denial_detail(request, assumed, retried=attempts > 1)
            return ProbeReport.failed_at(ProbeStep.ASSUME_ROLE, "assume_role_denied", detail)
        return assumed

    def _denial_detail(self, request: ProbeRequest, denied: _Denied, retried: bool) -> str:
        detail = f"AssumeRole on {request.role} was refused ({denied.code})."
        if retried:
            detail += (
                f" It was retried for {self._grace:g} seconds, because IAM changes take "
                "a few seconds to propagate."
            )
        return detail

    def _assume_role_once(self, request: ProbeRequest) -> CredentialsTypeDef | _Denied:
        try:
            answer = self._sts.assume_role(
                RoleArn=str(request.role),
                RoleSessionName=request.session_name,
                ExternalId=request.external_id.value,
                DurationSeconds=SESSION_SECONDS,
            )
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
        return self.code == "AccessDenied"


def _check_bucket_with(s3: S3Client, request: ProbeRequest) -> ProbeReport:
    bucket, owner = str(request.target.bucket), request.bucket_owner.value
    failure = _call_step(
        ProbeStep.HEAD_BUCKET,
        bucket,
        lambda: s3.head_bucket(Bucket=bucket, ExpectedBucketOwner=owner),
    )
    if failure is not None:
        return failure
    failure = _call_step(
        ProbeStep.LIST_OBJECTS,
        bucket,
        lambda: s3.list_objects_v2(
            Bucket=bucket, Prefix=request.target.prefix, MaxKeys=1, ExpectedBucketOwner=owner
        ),
    )
    return failure or ProbeReport.passed()


_OPERATIONS = {ProbeStep.HEAD_BUCKET: "HeadBucket", ProbeStep.LIST_OBJECTS: "ListObjectsV2"}


def _call_step(step: ProbeStep, bucket: str, call: Callable[[], object]) -> ProbeReport | None:
    operation = _OPERATIONS[step]
    try:
        call()
    except ClientError as error:
        _raise_if_unavailable(error, operation)
        return _step_failure(step, f"{operation} on {bucket}", error)
    except BotoCoreError as error:
        _raise_if_unavailable(error, operation)
        raise
    return None


def _step_failure(step: ProbeStep, call: str, error: ClientError) -> ProbeReport:
    code, status = error_code(error), status_code(error)
    said = f" ({code})" if code and code != str(status) else ""
    answer = f"{call} answered HTTP {status}{said}."
    if code in _NOT_FOUND or status == 404:
        return ProbeReport.failed_at(step, "bucket_not_found", answer)
    # 403 is the expected denial; any other client error still means this step
    # failed for a reason on the customer's side, so it is reported, not raised.
    return ProbeReport.failed_at(step, FAILURE_CODES[step], answer)


def _raise_if_unavailable(error: Exception, operation: str) -> None:
    unavailable = as_unavailable(error, operation)
    if unavailable is not None:
        log.warning("AWS unavailable: %s", unavailable.detail)
        raise unavailable from None
