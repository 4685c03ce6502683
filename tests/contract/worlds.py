"""The two AWS worlds the contract runs in, behind one building interface."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from domain.ports.access_probe import AccessProbe
from domain.role_arn import RoleArn
from domain.s3_uri import BucketName

PRINCIPAL_ARN = "arn:aws:iam::123456789012:role/bucketlink-platform"


class AwsWorldBuilder(Protocol):
    """What both ``FakeAws`` and ``EmulatorWorld`` let a scenario build."""

    def create_role(
        self, account_id: str, name: str, trust_policy: Mapping[str, Any], path: str = "/"
    ) -> RoleArn: ...

    def put_role_policy(self, role: RoleArn, name: str, document: Mapping[str, Any]) -> None: ...

    def create_policy(self, account_id: str, name: str, document: Mapping[str, Any]) -> str: ...

    def attach_role_policy(self, role: RoleArn, policy_arn: str) -> None: ...

    def put_role_permissions_boundary(self, role: RoleArn, policy_arn: str) -> None: ...

    def create_bucket(self, account_id: str, name: str) -> BucketName: ...

    def put_bucket_policy(self, bucket: str, document: Mapping[str, Any]) -> None: ...

    def put_object(self, bucket: str, key: str, body: bytes = b"") -> None: ...


@dataclass(frozen=True)
class World:
    name: str
    aws: AwsWorldBuilder
    probe: AccessProbe


def unique(prefix: str) -> str:
    # One emulator serves the whole session: names must not collide across tests.
    return f"{prefix}-{uuid.uuid4().hex[:12]}"
