"""A strict in-memory AWS for tests: accounts' roles, policies and buckets, kept
as AWS keeps them and changed only as AWS's rules allow (``aws_rules``).

Build a world with the same methods as ``adapters.sandbox.world.EmulatorWorld``;
the contract tests prove both give the same answers. ``bucket_state`` and
``role_state`` show what exists, for tests to check what was made or left. The
platform reaches it through ``FakeAwsTransport`` (provisioning) and
``FakeAccessProbe`` (probing), both through its ``CallLog``.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from adapters.aws_models.policy_evaluation import PolicyDocument
from adapters.aws_models.probe_rules import BucketFacts, RoleFacts
from adapters.fakes.aws_calls import CallLog
from adapters.fakes.aws_rules import (
    PUBLIC_ACCESS_BLOCKS,
    SSE_ALGORITHMS,
    FakeAwsError,
    checked_policy,
    role_arn,
    tags_problem,
)
from domain.account_id import AccountId
from domain.role_arn import RoleArn
from domain.s3_uri import BucketName, bucket_name_problem


@dataclass(slots=True)
class _Role:
    arn: RoleArn
    trust_policy: PolicyDocument
    inline: dict[str, PolicyDocument] = field(default_factory=dict)
    attached: list[str] = field(default_factory=list)
    boundary: str | None = None


@dataclass(slots=True)
class _Bucket:
    owner: str
    region: str = "us-east-1"
    policy: PolicyDocument | None = None
    objects: dict[str, bytes] = field(default_factory=dict)
    object_ownership: str | None = None
    public_access_block: dict[str, bool] | None = None
    encryption_rule: dict[str, Any] | None = None
    tags: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class BucketState:
    """A bucket as it is now (a copy: changing it changes nothing)."""

    name: str
    owner: str
    policy: PolicyDocument | None
    object_keys: tuple[str, ...]
    object_ownership: str | None
    public_access_block: Mapping[str, bool] | None
    encryption_rule: Mapping[str, Any] | None
    tags: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class RoleState:
    """A role as it is now (a copy: changing it changes nothing)."""

    arn: RoleArn
    trust_policy: PolicyDocument
    inline_policies: Mapping[str, PolicyDocument]
    attached_policies: tuple[str, ...]
    permissions_boundary: str | None = None


class FakeAws(CallLog):
    """One AWS: every account's roles, managed policies and buckets, built and
    changed under AWS's rules. The platform's calls come in through the
    ``CallLog`` it is (recorded, and failed when a fault is injected)."""

    def __init__(self) -> None:
        super().__init__()
        self._roles: dict[tuple[str, str], _Role] = {}
        self._policies: dict[str, PolicyDocument] = {}
        self._buckets: dict[str, _Bucket] = {}

    # -- building the world, as a customer would in their account --

    def create_role(
        self,
        account_id: str,
        name: str,
        trust_policy: Mapping[str, Any],
        path: str = "/",
        *,
        permissions_boundary: str | None = None,
    ) -> RoleArn:
        arn = role_arn(account_id, path, name)
        # IAM role names are unique per account regardless of case.
        if any(a == account_id and n.lower() == name.lower() for a, n in self._roles):
            raise FakeAwsError("EntityAlreadyExists", f"role {name} already exists")
        if permissions_boundary is not None:
            self._known_policy(permissions_boundary)
        role = _Role(arn, checked_policy(trust_policy), boundary=permissions_boundary)
        self._roles[(account_id, name)] = role
        return arn

    def update_trust_policy(self, role: RoleArn, trust_policy: Mapping[str, Any]) -> None:
        self._role(role).trust_policy = checked_policy(trust_policy)

    def put_role_policy(self, role: RoleArn, name: str, document: Mapping[str, Any]) -> None:
        self._role(role).inline[name] = checked_policy(document)

    def create_policy(self, account_id: str, name: str, document: Mapping[str, Any]) -> str:
        arn = f"arn:aws:iam::{AccountId.parse(account_id)}:policy/{name}"
        if arn in self._policies:
            raise FakeAwsError("EntityAlreadyExists", f"policy {name} already exists")
        self._policies[arn] = checked_policy(document)
        return arn

    def attach_role_policy(self, role: RoleArn, policy_arn: str) -> None:
        self._known_policy(policy_arn)
        self._role(role).attached.append(policy_arn)

    def put_role_permissions_boundary(self, role: RoleArn, policy_arn: str) -> None:
        self._known_policy(policy_arn)
        self._role(role).boundary = policy_arn

    def delete_role_policy(self, role: RoleArn, name: str) -> None:
        if self._role(role).inline.pop(name, None) is None:
            raise FakeAwsError("NoSuchEntity", f"role {role} has no policy {name}")

    def delete_role(self, role: RoleArn) -> None:
        found = self._role(role)
        if found.inline or found.attached:
            raise FakeAwsError("DeleteConflict", "must delete policies first")
        del self._roles[(role.account_id.value, role.role_name)]

    def create_bucket(
        self,
        account_id: str,
        name: str,
        *,
        object_ownership: str | None = None,
        region: str = "us-east-1",
    ) -> BucketName:
        problem = bucket_name_problem(name)
        if problem is not None:
            raise FakeAwsError("InvalidBucketName", problem)
        existing = self._buckets.get(name)
        if existing is not None and existing.owner != account_id:
            raise FakeAwsError("BucketAlreadyExists", f"{name} belongs to another account")
        # Creating your own bucket again succeeds in us-east-1, changing nothing.
        if existing is None:
            owner = AccountId.parse(account_id).value
            self._buckets[name] = _Bucket(owner, region, object_ownership=object_ownership)
        return BucketName(name)

    def put_public_access_block(self, bucket: str, configuration: Mapping[str, bool]) -> None:
        if set(configuration) - PUBLIC_ACCESS_BLOCKS:
            raise FakeAwsError("MalformedXML", "unknown public access block setting")
        self._bucket(bucket).public_access_block = dict(configuration)

    def put_bucket_encryption(self, bucket: str, rule: Mapping[str, Any]) -> None:
        algorithm = rule.get("ApplyServerSideEncryptionByDefault", {}).get("SSEAlgorithm")
        if algorithm not in SSE_ALGORITHMS:
            raise FakeAwsError("MalformedXML", "an encryption rule needs an SSEAlgorithm")
        self._bucket(bucket).encryption_rule = copy.deepcopy(dict(rule))

    def put_bucket_tagging(self, bucket: str, tags: Mapping[str, str]) -> None:
        problem = tags_problem(tags)
        if problem is not None:
            raise FakeAwsError("InvalidTag", problem)
        self._bucket(bucket).tags = dict(tags)

    def delete_bucket(self, bucket: str) -> None:
        if self._bucket(bucket).objects:
            raise FakeAwsError("BucketNotEmpty", f"{bucket} still holds objects")
        del self._buckets[bucket]

    def put_bucket_policy(self, bucket: str, document: Mapping[str, Any]) -> None:
        self._bucket(bucket).policy = checked_policy(document)

    def put_object(self, bucket: str, key: str, body: bytes = b"") -> None:
        self._bucket(bucket).objects[key] = body

    # -- what exists --

    def bucket_state(self, name: str) -> BucketState | None:
        bucket = self._buckets.get(name)
        if bucket is None:
            return None
        return BucketState(
            name=name,
            owner=bucket.owner,
            policy=copy.deepcopy(bucket.policy),
            object_keys=tuple(sorted(bucket.objects)),
            object_ownership=bucket.object_ownership,
            public_access_block=copy.deepcopy(bucket.public_access_block),
            encryption_rule=copy.deepcopy(bucket.encryption_rule),
            tags=dict(bucket.tags),
        )

    def bucket_names(self, owner: str | None = None) -> set[str]:
        return {name for name, b in self._buckets.items() if owner in (None, b.owner)}

    def role_state(self, arn: RoleArn) -> RoleState | None:
        role = self._roles.get((arn.account_id.value, arn.role_name))
        if role is None:
            return None
        return RoleState(
            arn=role.arn,
            trust_policy=copy.deepcopy(role.trust_policy),
            inline_policies=copy.deepcopy(role.inline),
            attached_policies=tuple(role.attached),
            permissions_boundary=role.boundary,
        )

    def policy_document(self, arn: str) -> PolicyDocument | None:
        """A managed policy's document (a copy), or None when there is no such policy."""
        document = self._policies.get(arn)
        return copy.deepcopy(document) if document is not None else None

    def role_arns(self, account_id: str | None = None) -> set[RoleArn]:
        return {
            role.arn for (account, _), role in self._roles.items() if account_id in (None, account)
        }

    # -- what AWS consults when the platform calls it --

    def role_facts(self, arn: RoleArn) -> RoleFacts | None:
        role = self._roles.get((arn.account_id.value, arn.role_name))
        if role is None:
            return None
        return RoleFacts(
            arn=str(role.arn),
            trust_policy=role.trust_policy,
            identity_policies=(
                *role.inline.values(),
                *(self._policies[policy_arn] for policy_arn in role.attached),
            ),
            permissions_boundary=self._policies[role.boundary] if role.boundary else None,
        )

    def bucket_facts(self, name: BucketName, expected_owner: AccountId) -> BucketFacts | None:
        bucket = self._buckets.get(name.value)
        if bucket is None:
            return None
        return BucketFacts(bucket.owner == expected_owner.value, bucket.policy, bucket.region)

    def _role(self, arn: RoleArn) -> _Role:
        role = self._roles.get((arn.account_id.value, arn.role_name))
        if role is None:
            raise FakeAwsError("NoSuchEntity", f"no role {arn}")
        return role

    def _bucket(self, name: str) -> _Bucket:
        if name not in self._buckets:
            raise FakeAwsError("NoSuchBucket", f"no bucket {name}")
        return self._buckets[name]

    def _known_policy(self, arn: str) -> None:
        if arn not in self._policies:
            raise FakeAwsError("NoSuchEntity", f"no policy {arn}")
