"""The AWS requests that make and unmake a managed bucket and its grants, one
function per operation.

The boto3 provisioner sends exactly these and the fake records exactly these, so
both make the same calls with the same parameters. The documents themselves
come from ``domain.managed_bucket_policies``.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain import managed_bucket_policies as policies
from domain.managed_bucket import Access
from domain.s3_uri import BucketName

# S3's default location, which refuses to be named as a LocationConstraint.
US_EAST_1 = "us-east-1"
OBJECT_OWNERSHIP = "BucketOwnerEnforced"
PUBLIC_ACCESS_BLOCK: Mapping[str, bool] = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}
# SSE-S3 leaves no key for the platform to manage; the bucket key cuts per-object
# KMS calls should the bucket ever move to SSE-KMS.
DEFAULT_ENCRYPTION_RULE: Mapping[str, Any] = {
    "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"},
    "BucketKeyEnabled": True,
}
# The role's one inline policy (the role itself is named after the bucket).
ROLE_POLICY_NAME = "bucket-access"


@dataclass(frozen=True, slots=True)
class AwsRequest:
    operation: str  # as AWS names it: "PutBucketPolicy"
    params: dict[str, Any]


def head_bucket(bucket: BucketName) -> AwsRequest:
    return AwsRequest("HeadBucket", {"Bucket": bucket.value})


def create_bucket(bucket: BucketName, region_name: str) -> AwsRequest:
    # Ownership is set by the creating request: the bucket never exists with ACLs on.
    params: dict[str, Any] = {"Bucket": bucket.value, "ObjectOwnership": OBJECT_OWNERSHIP}
    if region_name != US_EAST_1:
        params["CreateBucketConfiguration"] = {"LocationConstraint": region_name}
    return AwsRequest("CreateBucket", params)


def put_public_access_block(bucket: BucketName) -> AwsRequest:
    configuration = dict(PUBLIC_ACCESS_BLOCK)
    return AwsRequest(
        "PutPublicAccessBlock",
        {"Bucket": bucket.value, "PublicAccessBlockConfiguration": configuration},
    )


def put_bucket_encryption(bucket: BucketName) -> AwsRequest:
    rules = [copy.deepcopy(dict(DEFAULT_ENCRYPTION_RULE))]
    return AwsRequest(
        "PutBucketEncryption",
        {"Bucket": bucket.value, "ServerSideEncryptionConfiguration": {"Rules": rules}},
    )


def put_bucket_policy(bucket: BucketName, access: Access | None) -> AwsRequest:
    document = policies.bucket_policy(bucket, access)
    return AwsRequest("PutBucketPolicy", {"Bucket": bucket.value, "Policy": json.dumps(document)})


def put_bucket_tagging(bucket: BucketName, tags: Mapping[str, str]) -> AwsRequest:
    tag_set = [{"Key": key, "Value": value} for key, value in sorted(tags.items())]
    return AwsRequest("PutBucketTagging", {"Bucket": bucket.value, "Tagging": {"TagSet": tag_set}})


def delete_bucket(bucket: BucketName) -> AwsRequest:
    return AwsRequest("DeleteBucket", {"Bucket": bucket.value})


def create_role(bucket: BucketName, access: Access, boundary_arn: str) -> AwsRequest:
    # The boundary is set by the creating request: the role never exists uncapped,
    # and the platform needs no right to change boundaries afterwards.
    trust = json.dumps(policies.role_trust_policy(access))
    return AwsRequest(
        "CreateRole",
        {
            "RoleName": policies.role_name_for(bucket),
            "AssumeRolePolicyDocument": trust,
            "PermissionsBoundary": boundary_arn,
        },
    )


def update_assume_role_policy(bucket: BucketName, access: Access) -> AwsRequest:
    trust = json.dumps(policies.role_trust_policy(access))
    return AwsRequest(
        "UpdateAssumeRolePolicy",
        {"RoleName": policies.role_name_for(bucket), "PolicyDocument": trust},
    )


def get_role(role_name: str) -> AwsRequest:
    return AwsRequest("GetRole", {"RoleName": role_name})


def put_role_policy(bucket: BucketName) -> AwsRequest:
    document = json.dumps(policies.role_access_policy(bucket))
    return AwsRequest(
        "PutRolePolicy",
        {
            "RoleName": policies.role_name_for(bucket),
            "PolicyName": ROLE_POLICY_NAME,
            "PolicyDocument": document,
        },
    )


def delete_role_policy(role_name: str) -> AwsRequest:
    return AwsRequest("DeleteRolePolicy", {"RoleName": role_name, "PolicyName": ROLE_POLICY_NAME})


def delete_role(role_name: str) -> AwsRequest:
    return AwsRequest("DeleteRole", {"RoleName": role_name})
