"""Reads from the emulator what AWS would consult to judge a probe: the role with
its trust, identity and boundary policies, and the bucket with its owner and
policy. Blocking; call it from a worker thread."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from adapters.aws.aws_errors import error_code, status_code
from adapters.aws_models.policy_evaluation import PolicyDocument, load_document
from adapters.aws_models.probe_rules import BucketFacts, RoleFacts
from adapters.sandbox.accounts import EmulatorAccounts
from domain.account_id import AccountId
from domain.role_arn import RoleArn
from domain.s3_uri import BucketName

if TYPE_CHECKING:
    from mypy_boto3_iam import IAMClient
    from mypy_boto3_s3 import S3Client


class EmulatorFacts:
    def __init__(self, accounts: EmulatorAccounts) -> None:
        self._accounts = accounts

    def role(self, arn: RoleArn) -> RoleFacts | None:
        iam = self._accounts.iam(arn.account_id.value)
        try:
            found = iam.get_role(RoleName=arn.role_name)["Role"]
        except ClientError as error:
            if error_code(error) == "NoSuchEntity":
                return None
            raise
        boundary = found.get("PermissionsBoundary", {}).get("PermissionsBoundaryArn")
        return RoleFacts(
            arn=found["Arn"],
            trust_policy=_document(found.get("AssumeRolePolicyDocument")),
            identity_policies=(*_inline_policies(iam, arn), *_attached_policies(iam, arn)),
            permissions_boundary=_managed_policy(iam, boundary) if boundary else None,
        )

    def trusting(self, arn: RoleArn) -> RoleFacts | None:
        """The role with its trust policy alone: what STS consults for AssumeRole."""
        try:
            found = self._accounts.iam(arn.account_id.value).get_role(RoleName=arn.role_name)
        except ClientError as error:
            if error_code(error) == "NoSuchEntity":
                return None
            raise
        role = found["Role"]
        return RoleFacts(
            arn=role["Arn"], trust_policy=_document(role.get("AssumeRolePolicyDocument"))
        )

    def bucket(self, name: BucketName, expected_owner: AccountId) -> BucketFacts | None:
        s3 = self._accounts.s3(expected_owner.value)
        if name.value in _bucket_names(s3):
            return BucketFacts(owned_by_expected_owner=True, policy=_bucket_policy(s3, name))
        # moto serves any account's bucket to anyone, so this only asks "does it exist?".
        return BucketFacts(owned_by_expected_owner=False) if _exists(s3, name) else None


def _document(value: Any) -> PolicyDocument:
    """A policy as the emulator's IAM hands it over: parsed (botocore decodes
    IAM's documents), absent, or, for a role made by moto's CloudFormation,
    the text of a Python dict (``"{'Version': ...}"``), which it stores
    instead of JSON and botocore therefore leaves unparsed. Whatever is not a
    policy document denies (``load_document``)."""
    if isinstance(value, str) and value.startswith("{'"):
        try:
            value = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            value = None  # not a document: judged as one that denies
    return load_document(value)


def _inline_policies(iam: IAMClient, role: RoleArn) -> list[PolicyDocument]:
    names = [
        name
        for page in iam.get_paginator("list_role_policies").paginate(RoleName=role.role_name)
        for name in page["PolicyNames"]
    ]
    return [
        _document(iam.get_role_policy(RoleName=role.role_name, PolicyName=name)["PolicyDocument"])
        for name in names
    ]


def _attached_policies(iam: IAMClient, role: RoleArn) -> list[PolicyDocument]:
    pages = iam.get_paginator("list_attached_role_policies").paginate(RoleName=role.role_name)
    arns = [p["PolicyArn"] for page in pages for p in page["AttachedPolicies"] if "PolicyArn" in p]
    found = (_managed_policy(iam, arn) for arn in arns)
    return [policy for policy in found if policy is not None]


def _managed_policy(iam: IAMClient, arn: str) -> PolicyDocument | None:
    try:
        version = iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
        document = iam.get_policy_version(PolicyArn=arn, VersionId=version)["PolicyVersion"]
    except ClientError as error:
        # moto only knows AWS-managed policies when told to load them; an unknown
        # policy then grants nothing, which is the safe side.
        if error_code(error) == "NoSuchEntity":
            return None
        raise
    return _document(document.get("Document"))


def _bucket_names(s3: S3Client) -> set[str]:
    pages = s3.get_paginator("list_buckets").paginate()
    return {bucket["Name"] for page in pages for bucket in page.get("Buckets", [])}


def _bucket_policy(s3: S3Client, name: BucketName) -> PolicyDocument | None:
    try:
        return load_document(s3.get_bucket_policy(Bucket=name.value)["Policy"])
    except ClientError as error:
        if error_code(error) == "NoSuchBucketPolicy":
            return None
        raise


def _exists(s3: S3Client, name: BucketName) -> bool:
    try:
        s3.head_bucket(Bucket=name.value)
    except ClientError as error:
        if status_code(error) == 404:
            return False
        raise
    return True
