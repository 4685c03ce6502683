"""Who is calling: the IAM identity behind a verified access key, with its policies.

Keys are the sandbox's own: an IAM user's (the administrators ``bucketlink
sandbox credentials`` hands out, or any a client made with CreateAccessKey),
an AssumeRole session's, or the platform's, which stands for a session of the
platform role that never expires (on AWS, the instance or task role the service
runs as). The key decides the account, never a header.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from adapters.aws_models.authorization import Caller, CallerKind
from adapters.aws_models.policy_evaluation import PolicyDocument
from adapters.sandbox import aws_answers, moto_state
from adapters.sandbox.aws_answers import Refusal
from adapters.sandbox.signatures import Received, Signature, matches

PLATFORM_SESSION_NAME = "bucketlink"


@dataclass(frozen=True, slots=True)
class PlatformKey:
    key_id: str
    secret: str
    principal_arn: str  # the platform role: arn:aws:iam::<account>:role/<path><name>

    @property
    def account(self) -> str:
        return self.principal_arn.split(":")[4]


def caller(
    signature: Signature, request: Received, platform: PlatformKey, now: datetime.datetime
) -> Caller | Refusal:
    service = signature.service
    if signature.key_id == platform.key_id:
        if not matches(signature, platform.secret, request):
            return aws_answers.bad_signature(service)
        return _platform_session(platform)
    key = moto_state.find_key(signature.key_id)
    if key is None:
        return aws_answers.unknown_key(service)
    if not matches(signature, key.secret, request):
        return aws_answers.bad_signature(service)
    if isinstance(key, moto_state.UserKey):
        return _user(key) if signature.security_token is None else aws_answers.bad_token(service)
    if signature.security_token != key.token:
        return aws_answers.bad_token(service)
    if now >= key.expires_at:
        return aws_answers.expired_token(service)
    return _session(key.account, key.role_arn, key.session_name, key.session_policy)


def _user(key: moto_state.UserKey) -> Caller | Refusal:
    found = moto_state.user(key.account, key.user_name)
    if found is None:
        return aws_answers.unknown_key("iam")
    return Caller(
        account=key.account,
        arn=found.arn,
        kind=CallerKind.USER,
        userid=found.unique_id,
        identity_policies=found.policies,
        permissions_boundary=found.boundary,
    )


def _platform_session(platform: PlatformKey) -> Caller:
    return _session(platform.account, platform.principal_arn, PLATFORM_SESSION_NAME, None)


def _session(
    account: str, role_arn: str, session_name: str, session_policy: PolicyDocument | None
) -> Caller:
    role = moto_state.role(account, role_arn)
    return Caller.session(
        role_arn,
        session_name,
        # A deleted role's sessions keep their key but lose every permission.
        role_id=role.unique_id if role else "AROADELETEDROLE",
        policies=role.policies if role else (),
        boundary=role.boundary if role else None,
        session_policies=() if session_policy is None else (session_policy,),
    )
