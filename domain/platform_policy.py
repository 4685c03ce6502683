"""The platform principal's own IAM policy: everything bucketlink asks of AWS, and
nothing more (operator guide, "The IAM policy"). On AWS an operator attaches it;
the sandbox gives it to its platform role, so the service is confined there as
it would be on AWS."""

from __future__ import annotations

from domain.account_id import AccountId
from domain.aws_setup import JsonObject
from domain.bucket_naming import BucketPrefix

MANAGED_BUCKET_ACTIONS = (
    "s3:ListBucket",
    "s3:CreateBucket",
    "s3:PutBucketOwnershipControls",
    "s3:PutBucketPublicAccessBlock",
    "s3:PutEncryptionConfiguration",
    "s3:PutBucketPolicy",
    "s3:PutBucketTagging",
    "s3:DeleteBucket",
)
MANAGED_ROLE_ACTIONS = (
    "iam:GetRole",
    "iam:UpdateAssumeRolePolicy",
    "iam:PutRolePolicy",
    "iam:DeleteRolePolicy",
    "iam:DeleteRole",
)


def platform_principal_policy(
    platform: AccountId, prefix: BucketPrefix, role_boundary_arn: str
) -> JsonObject:
    managed_roles = f"arn:aws:iam::{platform}:role/{prefix.value}-*"
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AssumeCustomerRoles",
                "Effect": "Allow",
                "Action": "sts:AssumeRole",
                "Resource": "arn:aws:iam::*:role/*",
            },
            {
                "Sid": "NeverAssumeRolesOfThePlatformAccount",
                "Effect": "Deny",
                "Action": "sts:AssumeRole",
                "Resource": f"arn:aws:iam::{platform}:role/*",
            },
            {
                "Sid": "ManagedBuckets",
                "Effect": "Allow",
                "Action": list(MANAGED_BUCKET_ACTIONS),
                "Resource": f"arn:aws:s3:::{prefix.value}-*",
            },
            {
                "Sid": "CreateManagedBucketRolesWithTheBoundary",
                "Effect": "Allow",
                "Action": "iam:CreateRole",
                "Resource": managed_roles,
                "Condition": {"StringEquals": {"iam:PermissionsBoundary": role_boundary_arn}},
            },
            {
                "Sid": "ManagedBucketRoles",
                "Effect": "Allow",
                "Action": list(MANAGED_ROLE_ACTIONS),
                "Resource": managed_roles,
            },
        ],
    }
