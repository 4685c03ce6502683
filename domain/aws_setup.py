"""What a customer needs to create a role the platform can assume."""

from __future__ import annotations

from typing import Any

from domain.external_id import ExternalId

JsonObject = dict[str, Any]


def trust_policy(principal_arn: str, external_id: ExternalId) -> JsonObject:
    """The exact trust policy a customer's role needs.

    The external id condition is what stops another customer of the platform
    from pointing the platform at this role (the confused-deputy problem).
    """
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": principal_arn},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"sts:ExternalId": external_id.value}},
            }
        ],
    }


def cloudformation_template(principal_arn: str, external_id: ExternalId) -> JsonObject:
    """A template creating a role with that trust policy, allowed to list one
    bucket the customer names as a parameter and to read and write its objects."""
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "A role for bucketlink to list, read and write one S3 bucket: no AWS keys.",
        "Parameters": {
            "BucketName": {"Type": "String", "Description": "The bucket to connect"},
            "RoleName": {"Type": "String", "Default": "bucketlink-access"},
        },
        "Resources": {
            "BucketlinkRole": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "RoleName": {"Ref": "RoleName"},
                    "MaxSessionDuration": 3600,
                    "AssumeRolePolicyDocument": trust_policy(principal_arn, external_id),
                    "Policies": [
                        {
                            "PolicyName": "bucketlink-bucket-access",
                            "PolicyDocument": bucket_access_policy(
                                "arn:aws:s3:::${BucketName}", cloudformation_sub=True
                            ),
                        }
                    ],
                },
            }
        },
        "Outputs": {"RoleArn": {"Value": {"Fn::GetAtt": ["BucketlinkRole", "Arn"]}}},
    }


def bucket_access_policy(bucket_arn: str, *, cloudformation_sub: bool = False) -> JsonObject:
    """The grant a customer's role needs on its bucket: list it, read and write its
    objects. ``cloudformation_sub``: the ARN names a template parameter
    (``${BucketName}``), which each resource resolves with ``Fn::Sub``."""

    def resource(arn: str) -> str | JsonObject:
        return {"Fn::Sub": arn} if cloudformation_sub else arn

    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["s3:ListBucket", "s3:GetBucketLocation"],
                "Resource": resource(bucket_arn),
            },
            {
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:PutObject"],
                "Resource": resource(f"{bucket_arn}/*"),
            },
        ],
    }
