"""The IAM and bucket policy documents of a managed bucket (contract §6). Both
the boto3 provisioner and the fake apply exactly these."""

from __future__ import annotations

from domain.aws_setup import JsonObject, trust_policy
from domain.bucket_naming import BucketPrefix
from domain.identity import OrgId
from domain.managed_bucket import Access, AccessType
from domain.resource_id import ResourceId
from domain.s3_uri import BucketName

CUSTOMER_ACTIONS = ("s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject")
TLS_ONLY_SID = "DenyInsecureTransport"
GRANT_SID = "CustomerAccess"


def bucket_tags(company: OrgId, resource_id: ResourceId) -> dict[str, str]:
    return {"bucketlink:company-id": str(company), "bucketlink:resource-id": str(resource_id)}


def role_name_for(bucket: BucketName) -> str:
    # Bucket names (3-63 of [a-z0-9.-]) are valid IAM role names (1-64 of [\w+=,.@-]).
    return bucket.value


def _resources(bucket: BucketName) -> list[str]:
    return [bucket.arn, f"{bucket.arn}/*"]


def _tls_only(bucket: BucketName) -> JsonObject:
    return {
        "Sid": TLS_ONLY_SID,
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": _resources(bucket),
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def bucket_policy(bucket: BucketName, access: Access | None) -> JsonObject:
    """TLS only, always; plus the customer's account root when access is by policy."""
    statements = [_tls_only(bucket)]
    # A role grant lives in the role; the bucket policy then grants nobody.
    if access is not None and access.type is AccessType.BUCKET_POLICY:
        statements.append(
            {
                "Sid": GRANT_SID,
                "Effect": "Allow",
                "Principal": {"AWS": access.account_id.root_arn},
                "Action": list(CUSTOMER_ACTIONS),
                "Resource": _resources(bucket),
            }
        )
    return {"Version": "2012-10-17", "Statement": statements}


def role_trust_policy(access: Access) -> JsonObject:
    if access.external_id is None:
        raise ValueError("a role grant needs the customer's external id")
    # The trust a customer gives the platform's principal, given the other way:
    # the customer's account may assume the role with its external id.
    return trust_policy(access.account_id.root_arn, access.external_id)


def role_access_policy(bucket: BucketName) -> JsonObject:
    """What the role may do: the customer actions on this bucket only."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": GRANT_SID,
                "Effect": "Allow",
                "Action": list(CUSTOMER_ACTIONS),
                "Resource": _resources(bucket),
            }
        ],
    }


def role_permissions_boundary(prefix: BucketPrefix) -> JsonObject:
    """The most a managed bucket's role may ever do, whatever policy it is given:
    the customer actions on buckets named with the prefix. Set as every managed
    role's permissions boundary, it caps a role made with leaked platform
    credentials at what a genuine grant allows."""
    managed = f"arn:aws:s3:::{prefix.value}-*"
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ManagedBucketsOnly",
                "Effect": "Allow",
                "Action": list(CUSTOMER_ACTIONS),
                "Resource": [managed, f"{managed}/*"],
            }
        ],
    }
