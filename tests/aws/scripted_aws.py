"""Answers a boto3 session's HTTP calls from a script, inside botocore's retry loop,
so the real parsing, retrying and error mapping run on answers moto never gives."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import boto3
from botocore.awsrequest import AWSPreparedRequest, AWSResponse

Answer = Callable[[AWSPreparedRequest], AWSResponse]

_STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/"
_IAM_NS = "https://iam.amazonaws.com/doc/2010-05-08/"
ASSUMED_KEY_ID = "ASIASCRIPTEDKEY"


class _Body:
    def __init__(self, content: bytes) -> None:
        self._content = content

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._content


def respond(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> Answer:
    def answer(request: AWSPreparedRequest) -> AWSResponse:
        return AWSResponse(request.url, status, headers or {}, _Body(body))

    return answer


def raise_(error: Exception) -> Answer:
    def answer(request: AWSPreparedRequest) -> AWSResponse:
        raise error

    return answer


def sts_error(status: int, code: str) -> Answer:
    body = (
        f'<ErrorResponse xmlns="{_STS_NS}"><Error><Type>Sender</Type><Code>{code}</Code>'
        f"<Message>scripted</Message></Error><RequestId>1</RequestId></ErrorResponse>"
    )
    return respond(status, body.encode())


def caller_identity(arn: str) -> Answer:
    account = arn.split(":")[4]
    body = (
        f'<GetCallerIdentityResponse xmlns="{_STS_NS}"><GetCallerIdentityResult>'
        f"<Arn>{arn}</Arn><UserId>AIDSCRIPTED</UserId><Account>{account}</Account>"
        "</GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId>"
        "</ResponseMetadata></GetCallerIdentityResponse>"
    )
    return respond(200, body.encode())


def iam_error(status: int, code: str, message: str = "scripted") -> Answer:
    body = (
        f'<ErrorResponse xmlns="{_IAM_NS}"><Error><Type>Sender</Type><Code>{code}</Code>'
        f"<Message>{message}</Message></Error><RequestId>1</RequestId></ErrorResponse>"
    )
    return respond(status, body.encode())


def iam_done(operation: str, result: str = "") -> Answer:
    """IAM's answer to ``operation`` (``<Result>`` content optional)."""
    inner = f"<{operation}Result>{result}</{operation}Result>" if result else ""
    return respond(
        200,
        f'<{operation}Response xmlns="{_IAM_NS}">{inner}'
        f"<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>"
        f"</{operation}Response>".encode(),
    )


def iam_role(operation: str, arn: str) -> Answer:
    name = arn.rsplit("/", 1)[-1]
    return iam_done(
        operation,
        f"<Role><Path>/</Path><RoleName>{name}</RoleName><RoleId>AROASCRIPTED</RoleId>"
        f"<Arn>{arn}</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></Role>",
    )


def s3_error(status: int, code: str, message: str = "scripted") -> Answer:
    body = f"<Error><Code>{code}</Code><Message>{message}</Message></Error>"
    return respond(status, body.encode())


ASSUMED = respond(
    200,
    f"""<AssumeRoleResponse xmlns="{_STS_NS}"><AssumeRoleResult><Credentials>
<AccessKeyId>{ASSUMED_KEY_ID}</AccessKeyId><SecretAccessKey>secret</SecretAccessKey>
<SessionToken>scripted-session-token</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration>
</Credentials><AssumedRoleUser><AssumedRoleId>AROA:s</AssumedRoleId>
<Arn>arn:aws:sts::111122223333:assumed-role/r/s</Arn></AssumedRoleUser></AssumeRoleResult>
<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleResponse>""".encode(),
)
LISTED = respond(
    200,
    b'<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name>'
    b"<Prefix></Prefix><KeyCount>0</KeyCount><MaxKeys>1</MaxKeys>"
    b"<IsTruncated>false</IsTruncated></ListBucketResult>",
)


def sent_params(request: AWSPreparedRequest) -> dict[str, str]:
    """The parameters of a query-protocol call (STS, IAM), from its form body."""
    body = request.body.decode() if isinstance(request.body, bytes) else str(request.body or "")
    return {key: values[0] for key, values in parse_qs(body).items()}


def trusting(external_id: str, answer: Answer = ASSUMED) -> Answer:
    """AssumeRole as a role bound to ``external_id`` answers it: ``answer`` when
    the call carries that external id, AccessDenied with any other or none."""
    denied = sts_error(403, "AccessDenied")

    def bound(request: AWSPreparedRequest) -> AWSResponse:
        sent = sent_params(request).get("ExternalId")
        return (answer if sent == external_id else denied)(request)

    return bound


_DEFAULTS: dict[str, Answer] = {
    "AssumeRole": ASSUMED,
    "HeadBucket": respond(200),
    "ListObjectsV2": LISTED,
    "CreateBucket": respond(200),
    "PutPublicAccessBlock": respond(200),
    "PutBucketEncryption": respond(200),
    "PutBucketPolicy": respond(204),
    "PutBucketTagging": respond(204),
    "DeleteBucket": respond(204),
    "PutRolePolicy": iam_done("PutRolePolicy"),
    "UpdateAssumeRolePolicy": iam_done("UpdateAssumeRolePolicy"),
    "DeleteRolePolicy": iam_done("DeleteRolePolicy"),
    "DeleteRole": iam_done("DeleteRole"),
}


@dataclass
class ScriptedAws:
    """Register on a session before building clients from it. Each operation
    answers from its queue (the last answer repeats), else succeeds."""

    session: boto3.Session
    params: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    sent: list[tuple[str, AWSPreparedRequest]] = field(default_factory=list)
    _script: dict[str, deque[Answer]] = field(default_factory=lambda: defaultdict(deque))

    def __post_init__(self) -> None:
        self.session.events.register("provide-client-params", self._record_params)
        self.session.events.register("before-send", self._answer)

    def script(self, operation: str, *answers: Answer) -> None:
        self._script[operation].extend(answers)

    def rescript(self, operation: str, *answers: Answer) -> None:
        """Replace what ``operation`` answers."""
        self._script[operation].clear()
        self.script(operation, *answers)

    def attempts(self, operation: str) -> int:
        return sum(1 for name, _ in self.sent if name == operation)

    def params_of(self, operation: str) -> list[dict[str, Any]]:
        return [params for name, params in self.params if name == operation]

    def _record_params(self, params: dict[str, Any], event_name: str, **_: Any) -> None:
        self.params.append((event_name.rsplit(".", 1)[-1], dict(params)))

    def _answer(self, request: AWSPreparedRequest, event_name: str, **_: Any) -> AWSResponse:
        operation = event_name.rsplit(".", 1)[-1]
        self.sent.append((operation, request))
        queue = self._script[operation]
        answer = queue.popleft() if len(queue) > 1 else (queue[0] if queue else None)
        return (answer or _DEFAULTS[operation])(request)
