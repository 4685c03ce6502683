"""Vended credentials used with stock boto3 against the sandbox endpoint, which
enforces AWS's policy evaluation (contract sections 8 and 10): inside the
prefix they work as the access allows; outside it, on another bucket, or a put
with `read`, they are AccessDenied, as on AWS."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from adapters.sandbox.customer import create_sandbox_customer
from adapters.sandbox.emulator import Emulator, iam_as, s3_as
from application.register_s3_connector import S3ConnectorRequest
from domain.account_id import AccountId
from domain.connector import S3Target
from domain.credential_name import CredentialName
from domain.identity import Caller, OrgId
from domain.role_arn import RoleArn
from domain.s3_uri import S3Uri
from domain.vending import VendAccess, VendPrefix, VendRequest
from entrypoints.container import Container
from entrypoints.settings import Settings

# https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session
# (a session's permissions are the intersection of its role's and its session policy's)
ALICE = Caller("alice", OrgId(41))


def _denied(call: Callable[..., Any], **kwargs: Any) -> bool:
    try:
        call(**kwargs)
    except ClientError as error:
        return error.response["Error"]["Code"] == "AccessDenied" or (
            error.response["ResponseMetadata"]["HTTPStatusCode"] == 403
        )
    return False


@pytest.fixture
async def vend(stack_container: Container, stack_settings: Settings, emulator: Emulator):
    """Registers a sandbox customer's bucket under ``data/`` and returns a function
    that vends credentials for it and gives an S3 client using them."""
    app = stack_container.bucketlink()
    setup = await app.get_aws_setup(ALICE)
    bucket = f"vend-{uuid.uuid4().hex[:12]}"
    body = create_sandbox_customer(
        stack_settings.sandbox_endpoint,
        stack_settings.principal_arn,
        setup.external_id,
        41,
        bucket=bucket,
    )
    account = body["expected_bucket_owner_account_id"]
    target = S3Target(
        bucket_uri=S3Uri.parse(f"s3://{bucket}/data/"),
        role_arn=RoleArn.parse(body["role_arn"]),
        bucket_owner=AccountId(account),
    )
    connector = await app.register_s3_connector(
        ALICE, S3ConnectorRequest(CredentialName(f"vend-{bucket}"), target)
    )
    owner = s3_as(account, emulator.endpoint_url)
    for key in ("data/team-a/in.txt", "data/other/in.txt", "data/team-*/in.txt", "elsewhere.txt"):
        owner.put_object(Bucket=bucket, Key=key, Body=b"customer data")

    async def vended(access: VendAccess, prefix: str) -> Any:
        got = await app.vend_credentials(
            ALICE, connector.id, VendRequest(access=access, prefix=VendPrefix(prefix))
        )
        credentials = got.credentials
        session = boto3.Session(
            aws_access_key_id=credentials.access_key_id,
            aws_secret_access_key=credentials.secret_access_key,
            aws_session_token=credentials.session_token,
            region_name=got.region,
        )
        return session.client(
            "s3", endpoint_url=emulator.https_endpoint_url, verify=str(emulator.ca_bundle)
        )

    vended.bucket = bucket  # type: ignore[attr-defined]
    vended.account = account  # type: ignore[attr-defined]
    return vended


async def test_read_write_works_inside_its_prefix_and_nowhere_else(vend: Any) -> None:
    s3, bucket = await vend(VendAccess.READ_WRITE, "team-a/"), vend.bucket

    s3.put_object(Bucket=bucket, Key="data/team-a/out.txt", Body=b"job output")
    assert s3.get_object(Bucket=bucket, Key="data/team-a/in.txt")["Body"].read() == b"customer data"
    listed = s3.list_objects_v2(Bucket=bucket, Prefix="data/team-a/")
    assert {o["Key"] for o in listed["Contents"]} == {"data/team-a/in.txt", "data/team-a/out.txt"}

    assert _denied(s3.get_object, Bucket=bucket, Key="data/other/in.txt")
    assert _denied(s3.put_object, Bucket=bucket, Key="data/other/x", Body=b"")
    assert _denied(s3.get_object, Bucket=bucket, Key="elsewhere.txt")
    assert _denied(s3.list_objects_v2, Bucket=bucket, Prefix="data/")
    assert _denied(s3.delete_bucket_policy, Bucket=bucket)


async def test_read_cannot_write(vend: Any) -> None:
    s3, bucket = await vend(VendAccess.READ, "team-a/"), vend.bucket

    assert s3.get_object(Bucket=bucket, Key="data/team-a/in.txt")["Body"].read() == b"customer data"
    assert _denied(s3.put_object, Bucket=bucket, Key="data/team-a/x", Body=b"")
    assert _denied(s3.delete_object, Bucket=bucket, Key="data/team-a/in.txt")


async def test_another_bucket_the_role_may_reach_is_out_of_bounds(
    vend: Any, emulator: Emulator
) -> None:
    # The customer's role is allowed a second bucket too; the credentials are not.
    s3, account = await vend(VendAccess.READ_WRITE, ""), vend.account
    second = f"vend-second-{uuid.uuid4().hex[:8]}"
    s3_as(account, emulator.endpoint_url).create_bucket(Bucket=second)
    iam = iam_as(account, emulator.endpoint_url)
    role_name = next(
        r["RoleName"] for r in iam.list_roles()["Roles"] if r["RoleName"].endswith("org-41")
    )
    iam.put_role_policy(
        RoleName=role_name,
        PolicyName=f"also-{second}",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": "s3:*", "Resource": f"arn:aws:s3:::{second}/*"}
                ],
            }
        ),
    )

    assert _denied(s3.put_object, Bucket=second, Key="data/x", Body=b"")


async def test_a_star_in_the_prefix_is_a_star_not_a_wildcard(vend: Any) -> None:
    # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-specialchars
    # (the class of Polaris CVE-2026-42810: an unescaped * reached other tables)
    s3, bucket = await vend(VendAccess.READ, "team-*/"), vend.bucket

    assert s3.get_object(Bucket=bucket, Key="data/team-*/in.txt")["Body"].read() == b"customer data"
    assert _denied(s3.get_object, Bucket=bucket, Key="data/team-a/in.txt")
