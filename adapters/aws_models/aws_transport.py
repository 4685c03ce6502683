"""How the provisioning algorithm reaches AWS: one ``AwsRequest`` at a time,
through a transport that gives back AWS's answer.

A transport raises ``AwsError`` when AWS answered with an error, and
``AwsUnavailable`` itself when AWS could not answer (unreachable, throttled or
failing after retries, refusing the platform's own credentials): telling those
apart is its library's knowledge (botocore's retries and exception classes),
not the algorithm's. Two exist: boto3's (``adapters.aws.boto3_transport``) and
the fake's (``adapters.fakes.fake_transport``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from adapters.aws_models.provisioning_requests import AwsRequest


class AwsError(Exception):
    """AWS's error answer: its ``code`` as AWS names it ("NoSuchBucket"; for a HEAD,
    which has no body, the status as text), its HTTP ``status``, and its
    ``message``. The message can echo the request, external ids included: it is
    read by the rules that need it, never passed on."""

    def __init__(self, code: str, message: str = "", *, status: int = 400) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.status = status
        self.message = message


class AwsTransport(Protocol):
    def send(self, aws: AwsRequest) -> Mapping[str, Any]: ...
