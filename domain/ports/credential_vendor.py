from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from domain.error_codes import ErrorCode
from domain.errors import ProbeFailed
from domain.external_id import ExternalId
from domain.probe import assume_role_refused
from domain.role_arn import RoleArn


@dataclass(frozen=True, slots=True)
class SessionRequest:
    """One AssumeRole for a job: the org's external id, a session name naming the
    org and connector, and the session policy that confines it (packed JSON)."""

    role: RoleArn
    external_id: ExternalId
    session_name: str
    policy: str
    duration_seconds: int


@dataclass(frozen=True, slots=True)
class SessionCredentials:
    """Short-lived AWS credentials. The secret parts never print: a repr or a
    log line of one shows the key id and expiry only."""

    access_key_id: str
    secret_access_key: str = field(repr=False)
    session_token: str = field(repr=False)
    expiration: datetime


class CredentialVendor(Protocol):
    """Assumes a customer's role for a job, down-scoped by a session policy.

    A refusal raises ``ProbeFailed`` with ``assume_role_denied``; ``AwsUnavailable``
    when AWS cannot answer.
    """

    async def vend(self, request: SessionRequest) -> SessionCredentials: ...


def refused(request: SessionRequest, aws_code: str) -> ProbeFailed:
    """AWS refused the AssumeRole (``aws_code`` as AWS said it): worded as the probe
    words it, since it is the same refusal."""
    failure = assume_role_refused(request.role, aws_code).failure
    message = failure.message if failure else f"AssumeRole on {request.role} was refused."
    return ProbeFailed(ErrorCode.ASSUME_ROLE_DENIED, message)
