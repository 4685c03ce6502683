"""Builds customer-side IAM and S3 state in the emulator: the same building
methods as ``adapters.fakes.fake_aws.FakeAws``, so a scenario can be set up in
either world."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from adapters.sandbox import defaults
from adapters.sandbox.accounts import EmulatorAccounts
from domain.role_arn import RoleArn
from domain.s3_uri import BucketName

if TYPE_CHECKING:
    from mypy_boto3_iam import IAMClient
    from mypy_boto3_s3 import S3Client


class EmulatorWorld:
    def __init__(self, endpoint_url: str) -> None:
        self._accounts = EmulatorAccounts(endpoint_url)
        self._bucket_owners: dict[str, str] = {}

    def create_role(
        self, account_id: str, name: str, trust_policy: Mapping[str, Any], path: str = "/"
    ) -> RoleArn:
        answer = self._accounts.iam(account_id).create_role(
            RoleName=name, Path=path, AssumeRolePolicyDocument=json.dumps(trust_policy)
        )
        return RoleArn.parse(answer["Role"]["Arn"])

    def update_trust_policy(self, role: RoleArn, trust_policy: Mapping[str, Any]) -> None:
        self._iam(role).update_assume_role_policy(
            RoleName=role.role_name, PolicyDocument=json.dumps(trust_policy)
        )

    def put_role_policy(self, role: RoleArn, name: str, document: Mapping[str, Any]) -> None:
        self._iam(role).put_role_policy(
            RoleName=role.role_name, PolicyName=name, PolicyDocument=json.dumps(document)
        )

    def create_policy(self, account_id: str, name: str, document: Mapping[str, Any]) -> str:
        answer = self._accounts.iam(account_id).create_policy(
            PolicyName=name, PolicyDocument=json.dumps(document)
        )
        return answer["Policy"]["Arn"]

    def attach_role_policy(self, role: RoleArn, policy_arn: str) -> None:
        self._iam(role).attach_role_policy(RoleName=role.role_name, PolicyArn=policy_arn)

    def put_role_permissions_boundary(self, role: RoleArn, policy_arn: str) -> None:
        self._iam(role).put_role_permissions_boundary(
            RoleName=role.role_name, PermissionsBoundary=policy_arn
        )

    def create_bucket(self, account_id: str, name: str) -> BucketName:
        self._accounts.s3(account_id).create_bucket(Bucket=name)
        self._bucket_owners[name] = account_id
        return BucketName(name)

    def put_bucket_policy(self, bucket: str, document: Mapping[str, Any]) -> None:
        self._s3(bucket).put_bucket_policy(Bucket=bucket, Policy=json.dumps(document))

    def put_object(self, bucket: str, key: str, body: bytes = b"") -> None:
        self._s3(bucket).put_object(Bucket=bucket, Key=key, Body=body)

    def _iam(self, role: RoleArn) -> IAMClient:
        return self._accounts.iam(role.account_id.value)

    def _s3(self, bucket: str) -> S3Client:
        # A bucket made elsewhere is taken to be the platform's (moto's default account).
        owner = self._bucket_owners.get(bucket, defaults.PLATFORM_ACCOUNT_ID)
        return self._accounts.s3(owner)
