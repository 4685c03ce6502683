"""The two AWS worlds the provisioner contract runs in, each with what a test
needs beyond the port: look at what exists, make a bucket as some account, put
an object, inject a fault, and list the AWS operations the provisioner called."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from botocore.exceptions import ClientError

from adapters.aws.aws_errors import error_code, status_code
from adapters.aws.boto3_provisioner import Boto3BucketProvisioner
from adapters.fakes.aws_rules import FakeAwsError
from adapters.fakes.fake_aws import FakeAws
from adapters.fakes.fake_provisioner import FakeBucketProvisioner
from adapters.sandbox.accounts import EmulatorAccounts
from domain.account_id import AccountId
from domain.errors import AwsUnavailable
from domain.ports.bucket_provisioner import BucketProvisioner
from domain.role_arn import RoleArn
from domain.s3_uri import BucketName
from tests.support.aws_faults import client_for, fail_next_call

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

PLATFORM = "123456789012"


@dataclass(frozen=True)
class BucketView:
    public_access_block: dict[str, bool] | None
    object_ownership: str | None
    encryption: tuple[str, bool] | None  # (SSEAlgorithm, BucketKeyEnabled)
    policy: dict[str, Any] | None
    tags: dict[str, str]
    object_keys: tuple[str, ...]


@dataclass(frozen=True)
class RoleView:
    arn: str
    trust_policy: dict[str, Any]
    inline_policies: dict[str, dict[str, Any]]
    permissions_boundary: str | None


class ProvisioningWorld(Protocol):
    name: str
    provisioner: BucketProvisioner

    def bucket_names(self, account: str = PLATFORM) -> set[str]: ...

    def bucket(self, name: BucketName, account: str = PLATFORM) -> BucketView | None: ...

    def role(self, name: str) -> RoleView | None: ...

    def managed_policy(self, arn: str) -> dict[str, Any] | None: ...

    def create_bucket_as(self, account: str, name: BucketName) -> None: ...

    def create_role_without_boundary(self, name: str, trust: dict[str, Any]) -> None:
        """A platform role as one made before managed roles had a boundary."""
        ...

    def put_object(self, bucket: BucketName, key: str) -> None: ...

    def fail_next(self, operation: str) -> None:
        """The provisioner's next ``operation`` fails as AWS failing after retries."""
        ...

    def refuse_next(self, operation: str, code: str, message: str) -> None:
        """AWS answers the provisioner's next ``operation`` with a 400 ``code``."""
        ...

    def operations(self) -> list[str]: ...


# -- the fake --


class FakeProvisioningWorld:
    name = "fake"

    def __init__(self) -> None:
        self.aws = FakeAws()
        self.provisioner = FakeBucketProvisioner(self.aws, PLATFORM)

    def bucket_names(self, account: str = PLATFORM) -> set[str]:
        return self.aws.bucket_names(account)

    def bucket(self, name: BucketName, account: str = PLATFORM) -> BucketView | None:
        state = self.aws.bucket_state(name.value)
        if state is None or state.owner != account:
            return None
        rule = state.encryption_rule
        return BucketView(
            public_access_block=_dict_or_none(state.public_access_block),
            object_ownership=state.object_ownership,
            encryption=_encryption(rule) if rule else None,
            policy=_dict_or_none(state.policy),
            tags=dict(state.tags),
            object_keys=state.object_keys,
        )

    def role(self, name: str) -> RoleView | None:
        state = self.aws.role_state(RoleArn(AccountId(PLATFORM), "/", name))
        if state is None:
            return None
        inline = {key: dict(value) for key, value in state.inline_policies.items()}
        return RoleView(
            str(state.arn), dict(state.trust_policy), inline, state.permissions_boundary
        )

    def managed_policy(self, arn: str) -> dict[str, Any] | None:
        return _dict_or_none(self.aws.policy_document(arn))

    def create_bucket_as(self, account: str, name: BucketName) -> None:
        self.aws.create_bucket(account, name.value)

    def create_role_without_boundary(self, name: str, trust: dict[str, Any]) -> None:
        self.aws.create_role(PLATFORM, name, trust)

    def put_object(self, bucket: BucketName, key: str) -> None:
        self.aws.put_object(bucket.value, key, b"x")

    def fail_next(self, operation: str) -> None:
        self.aws.fail_next(AwsUnavailable(f"{operation}: injected"), operation=operation)

    def refuse_next(self, operation: str, code: str, message: str) -> None:
        self.aws.fail_next(FakeAwsError(code, message, status=400), operation=operation)

    def operations(self) -> list[str]:
        return [call.operation for call in self.aws.calls]


# -- the emulator --


class EmulatorProvisioningWorld:
    """The boto3 provisioner on moto's server, looked at through clients of the
    accounts concerned."""

    name = "sandbox"

    def __init__(self, provisioner: Boto3BucketProvisioner, accounts: EmulatorAccounts) -> None:
        self.provisioner = provisioner
        self._accounts = accounts
        self._operations: list[str] = []
        for client in (provisioner.s3, provisioner.iam):
            client.meta.events.register("provide-client-params", self._record)

    def bucket_names(self, account: str = PLATFORM) -> set[str]:
        return {b["Name"] for b in self._accounts.s3(account).list_buckets()["Buckets"]}

    def bucket(self, name: BucketName, account: str = PLATFORM) -> BucketView | None:
        if name.value not in self.bucket_names(account):
            return None
        s3, bucket = self._accounts.s3(account), name.value
        return BucketView(
            public_access_block=_or_none(
                lambda: s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
            ),
            object_ownership=_or_none(
                lambda: s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"][
                    "Rules"
                ][0]["ObjectOwnership"]
            ),
            encryption=_or_none(
                lambda: _encryption(
                    s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"][
                        "Rules"
                    ][0]
                )
            ),
            policy=_or_none(lambda: json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])),
            tags=_tags(s3, bucket),
            # moto answers bucket-level requests on a TLS-only bucket over HTTP.
            object_keys=tuple(
                o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])
            ),
        )

    def role(self, name: str) -> RoleView | None:
        iam = self._accounts.iam(PLATFORM)
        try:
            role = iam.get_role(RoleName=name)["Role"]
        except iam.exceptions.NoSuchEntityException:
            return None
        names = iam.list_role_policies(RoleName=name)["PolicyNames"]
        inline = {
            policy: dict(iam.get_role_policy(RoleName=name, PolicyName=policy)["PolicyDocument"])
            for policy in names
        }
        boundary = role.get("PermissionsBoundary", {}).get("PermissionsBoundaryArn")
        return RoleView(
            role["Arn"], dict(role.get("AssumeRolePolicyDocument", {})), inline, boundary
        )

    def managed_policy(self, arn: str) -> dict[str, Any] | None:
        iam = self._accounts.iam(arn.split(":")[4])
        try:
            version = iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
        except iam.exceptions.NoSuchEntityException:
            return None
        found = iam.get_policy_version(PolicyArn=arn, VersionId=version)
        document = found["PolicyVersion"]["Document"]
        # boto3 hands IAM documents over parsed; moto may leave them as text.
        return json.loads(document) if isinstance(document, str) else dict(document)

    def create_bucket_as(self, account: str, name: BucketName) -> None:
        self._accounts.s3(account).create_bucket(Bucket=name.value)

    def create_role_without_boundary(self, name: str, trust: dict[str, Any]) -> None:
        iam = self._accounts.iam(PLATFORM)
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))

    def put_object(self, bucket: BucketName, key: str) -> None:
        # moto ignores bucket policy conditions, so the TLS-only statement denies
        # every object request, over HTTP or HTTPS. The object is written straight
        # into the emulator's backend, which runs in this process.
        from moto.s3.models import s3_backends

        s3_backends[PLATFORM]["aws"].put_object(bucket.value, key, b"x")

    def fail_next(self, operation: str) -> None:
        provisioner = self.provisioner
        fail_next_call(client_for(operation, provisioner.iam, provisioner.s3), operation)

    def refuse_next(self, operation: str, code: str, message: str) -> None:
        client = client_for(operation, self.provisioner.iam, self.provisioner.s3)
        event = f"before-call.{client.meta.service_model.service_id.hyphenize()}.{operation}"

        def refuse_once(**_: Any) -> None:
            client.meta.events.unregister(event, refuse_once)
            answer: Any = {
                "Error": {"Code": code, "Message": message},
                "ResponseMetadata": {"HTTPStatusCode": 400},
            }
            raise ClientError(answer, operation)

        client.meta.events.register(event, refuse_once)

    def operations(self) -> list[str]:
        return list(self._operations)

    def _record(self, event_name: str, **_: Any) -> None:
        self._operations.append(event_name.rsplit(".", 1)[-1])


def _encryption(rule: Any) -> tuple[str, bool]:
    default = rule["ApplyServerSideEncryptionByDefault"]
    return default["SSEAlgorithm"], bool(rule.get("BucketKeyEnabled", False))


def _dict_or_none(value: Any) -> Any:
    return dict(value) if value is not None else None


def _or_none(read: Any) -> Any:
    """What ``read`` gives, or None where S3 says the setting was never made."""
    try:
        return read()
    except ClientError as error:
        if status_code(error) == 404:
            return None
        raise


def _tags(s3: S3Client, bucket: str) -> dict[str, str]:
    try:
        tag_set = s3.get_bucket_tagging(Bucket=bucket)["TagSet"]
    except ClientError as error:
        if error_code(error) == "NoSuchTagSet":
            return {}
        raise
    return {tag["Key"]: tag["Value"] for tag in tag_set}
