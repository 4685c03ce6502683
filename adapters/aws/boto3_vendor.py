"""Vended credentials through boto3: one AssumeRole with the org's external id
and the session policy that confines the job, in a worker thread."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import anyio
import anyio.to_thread
import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from adapters.aws.aws_errors import as_unavailable, error_code, status_code
from adapters.aws.client_config import DEFAULT_CONCURRENCY, default_config
from domain.errors import InvalidField
from domain.ports.credential_vendor import SessionCredentials, SessionRequest, refused

if TYPE_CHECKING:
    from mypy_boto3_sts import STSClient

log = logging.getLogger(__name__)
_TOO_LARGE = "PackedPolicyTooLarge"
_TOO_LARGE_RULE = (
    "makes the session policy larger than AWS packs (PackedPolicyTooLarge): ask for a "
    "shorter prefix"
)


class Boto3CredentialVendor:
    def __init__(
        self,
        *,
        session: boto3.Session | None = None,
        endpoint_url: str | None = None,
        region_name: str | None = None,
        limiter: anyio.CapacityLimiter | None = None,
        config: Config | None = None,
    ) -> None:
        session = session or boto3.Session()
        region = region_name or session.region_name or "us-east-1"
        merged = default_config().merge(config) if config else default_config()
        self._sts: STSClient = session.client(
            "sts", region_name=region, endpoint_url=endpoint_url, config=merged
        )
        self._limiter = limiter or anyio.CapacityLimiter(DEFAULT_CONCURRENCY)

    async def vend(self, request: SessionRequest) -> SessionCredentials:
        return await anyio.to_thread.run_sync(self._assume_role, request, limiter=self._limiter)

    def _assume_role(self, request: SessionRequest) -> SessionCredentials:
        try:
            answer = self._sts.assume_role(
                RoleArn=str(request.role),
                RoleSessionName=request.session_name,
                ExternalId=request.external_id.value,
                Policy=request.policy,
                DurationSeconds=request.duration_seconds,
            )
        except (ClientError, BotoCoreError) as error:
            unavailable = as_unavailable(error, "AssumeRole")
            if unavailable is not None:
                log.warning("AWS unavailable: %s", unavailable.detail)
                raise unavailable from None
            if isinstance(error, BotoCoreError):
                raise
            code = error_code(error) or str(status_code(error))
            if code == _TOO_LARGE:
                # STS's own compressed-size limit, which the plaintext check cannot foresee.
                raise InvalidField("prefix", _TOO_LARGE_RULE) from None
            raise refused(request, code) from None
        credentials = answer["Credentials"]
        return SessionCredentials(
            access_key_id=credentials["AccessKeyId"],
            secret_access_key=credentials["SecretAccessKey"],
            session_token=credentials["SessionToken"],
            expiration=credentials["Expiration"],
        )
