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
    bucket = {"Fn::Sub": "arn:aws:s3:::${BucketName}"}
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
                            "PolicyDocument": {
                                "Version": "2012-10-17",
                                "Statement": [
                                    {
                                        "Effect": "Allow",
                                        "Action": ["s3:ListBucket", "s3:GetBucketLocation"],
                                        "Resource": bucket,
                                    },
                                    {
                                        "Effect": "Allow",
                                        "Action": ["s3:GetObject", "s3:PutObject"],
                                        "Resource": {"Fn::Sub": "arn:aws:s3:::${BucketName}/*"},
                                    },
                                ],
                            },
                        }
                    ],
                },
            }
        },
        "Outputs": {"RoleArn": {"Value": {"Fn::GetAtt": ["BucketlinkRole", "Arn"]}}},
    }
