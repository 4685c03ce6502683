"""What the gateway reads from moto's own state, and the one switch it flips there.

moto keeps its IAM, STS and S3 state in process-wide backends; the gateway runs
in the same process as moto's server, so it reads who a key belongs to, a role's
policies or a bucket's owner straight from them: no request of its own, and
nothing a client could race. Everything that reaches past moto's public entry
points is in this module (guarded by ``tests/unit/test_library_hooks.py``), so a
moto upgrade that moves them breaks one file and one test.

The switch: moto applies a bucket policy's Deny statements to object requests by
itself, judging them without a principal or any condition (so AWS's own TLS-only
statement denies every call). For a request the gateway has already judged as
AWS would, that second, wrong judgement is turned off (``judged``).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from moto.iam.access_control import PermissionResult
from moto.iam.models import iam_backends
from moto.s3.models import FakeBucket, s3_backends
from moto.sts.models import sts_backends

from adapters.aws_models.policy_evaluation import PolicyDocument, load_document

_GLOBAL = "global"  # moto's partition key of the global services' backends
_AWS = "aws"
_judged: contextvars.ContextVar[bool] = contextvars.ContextVar("bucketlink_judged", default=False)


@dataclass(frozen=True, slots=True)
class UserKey:
    account: str
    secret: str
    user_name: str


@dataclass(frozen=True, slots=True)
class SessionKey:
    account: str
    secret: str
    token: str
    role_arn: str
    session_name: str
    session_policy: PolicyDocument | None
    expires_at: datetime.datetime


@dataclass(frozen=True, slots=True)
class Principal:
    """A role or a user as IAM holds it: its ARN, unique id and policies."""

    arn: str
    unique_id: str
    policies: tuple[PolicyDocument, ...]
    boundary: PolicyDocument | None
    trust_policy: PolicyDocument | None = None
    max_session_seconds: int = 3600


@dataclass(frozen=True, slots=True)
class Bucket:
    owner: str
    policy: PolicyDocument | None


def find_key(key_id: str) -> UserKey | SessionKey | None:
    """Who holds the access key ``key_id``: an IAM user or an AssumeRole session."""
    for account, backends in list(iam_backends.items()):
        key = backends[_GLOBAL].access_keys.get(key_id)
        if key is None or key.status != "Active":
            continue
        if key.user_name is not None:
            return UserKey(account, key.secret_access_key, key.user_name)
        return _session(account, key_id)
    return None


def _session(account: str, key_id: str) -> SessionKey | None:
    found = sts_backends[account][_GLOBAL].get_assumed_role_from_access_key(key_id)
    if found is None:
        return None
    return SessionKey(
        account=account,
        secret=found.secret_access_key,
        token=found.session_token,
        role_arn=found.role_arn,
        session_name=found.session_name,
        session_policy=load_document(found.policy) if found.policy else None,
        expires_at=found.expiration.replace(tzinfo=datetime.UTC),
    )


def role(account: str, arn: str) -> Principal | None:
    backend = iam_backends[account][_GLOBAL]
    found = next((r for r in list(backend.roles.values()) if r.arn == arn), None)
    if found is None:
        return None
    return Principal(
        arn=found.arn,
        unique_id=found.id,
        policies=_policies(found),
        boundary=_managed(backend, found.permissions_boundary_arn),
        trust_policy=load_document(found.assume_role_policy_document),
        max_session_seconds=int(found.max_session_duration or 3600),
    )


def user(account: str, name: str) -> Principal | None:
    backend = iam_backends[account][_GLOBAL]
    found = backend.users.get(name)
    if found is None:
        return None
    # A user's identity policies include those of every group it belongs to.
    groups = [g for g in list(backend.groups.values()) if found in list(g.users)]
    policies = _policies(found) + tuple(p for g in groups for p in _policies(g))
    return Principal(arn=found.arn, unique_id=found.id, policies=policies, boundary=None)


def role_path(account: str, name: str) -> str | None:
    found = _role_named(account, name)
    return None if found is None else str(found.path)


def role_boundary_arn(account: str, name: str) -> str | None:
    found = _role_named(account, name)
    return None if found is None else found.permissions_boundary_arn or None


def _role_named(account: str, name: str) -> Any:
    backend = iam_backends[account][_GLOBAL]
    return next((r for r in list(backend.roles.values()) if r.name == name), None)


def user_path(account: str, name: str) -> str | None:
    found = iam_backends[account][_GLOBAL].users.get(name)
    return None if found is None else str(found.path)


def bucket(name: str) -> Bucket | None:
    located = s3_backends.bucket_accounts.get(name)
    if located is None:
        return None
    partition, account = located
    found = s3_backends[account][partition].buckets.get(name)
    if found is None:
        return None
    return Bucket(account, load_document(found.policy.decode()) if found.policy else None)


_administrators_lock = threading.Lock()
ADMINISTRATOR = "bucketlink-sandbox-administrator"
_ADMINISTRATOR_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}


def administrator_key(account: str) -> tuple[str, str]:
    """An access key of the account's administrator (an IAM user allowed
    everything, as AWS's AdministratorAccess), made on first use."""
    backend = iam_backends[account][_GLOBAL]
    with _administrators_lock:
        if ADMINISTRATOR not in backend.users:
            backend.create_user(_AWS, ADMINISTRATOR)
            backend.put_user_policy(
                ADMINISTRATOR, "AdministratorAccess", json.dumps(_ADMINISTRATOR_POLICY)
            )
            backend.create_access_key(ADMINISTRATOR)
        key = backend.users[ADMINISTRATOR].access_keys[0]
    return key.access_key_id, key.secret_access_key


def ensure_role(arn: str, trust_policy: PolicyDocument, policy: PolicyDocument) -> None:
    """Makes the role ``arn`` names, with one inline policy, unless it is there."""
    account, resource = arn.split(":")[4], arn.split(":", 5)[5]
    path, _, name = resource.removeprefix("role").rpartition("/")
    backend = iam_backends[account][_GLOBAL]
    with _administrators_lock:
        if _role_named(account, name) is not None:
            return
        backend.create_role(name, json.dumps(trust_policy), f"{path}/", None, "", [], None)
        backend.put_role_policy(name, "platform", json.dumps(policy))


def _policies(holder: Any) -> tuple[PolicyDocument, ...]:
    inline = [load_document(text) for text in list(holder.policies.values())]
    managed = [_default_version(p) for p in list(holder.managed_policies.values())]
    return tuple(inline + managed)


def _managed(backend: Any, arn: str | None) -> PolicyDocument | None:
    if not arn:
        return None
    try:
        return _default_version(backend.get_policy(arn))
    except Exception:
        # A boundary that names no policy: AWS would not have set it; deny all.
        return load_document(None)


def _default_version(policy: Any) -> PolicyDocument:
    version = next((v for v in policy.versions if v.is_default), None)
    return load_document(version.document if version is not None else None)


@contextlib.contextmanager
def judged() -> Iterator[None]:
    """While in this block, moto does not judge bucket policies on its own."""
    token = _judged.set(True)
    try:
        yield
    finally:
        _judged.reset(token)


_moto_get_permission = FakeBucket.get_permission


def _get_permission(self: FakeBucket, action: str, resource: str) -> Any:
    if _judged.get():
        return PermissionResult.NEUTRAL
    return _moto_get_permission(self, action, resource)


FakeBucket.get_permission = _get_permission  # type: ignore[method-assign]
