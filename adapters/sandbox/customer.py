"""A ready-made customer in the emulator: a bucket and a role the platform may
assume with the org's external id. The quickest path to a first connector."""

from __future__ import annotations

import secrets
import string
from typing import Any

from botocore.exceptions import ClientError

from adapters.aws.aws_errors import error_code
from adapters.sandbox import defaults
from adapters.sandbox.world import EmulatorWorld
from domain.account_id import AccountId
from domain.aws_setup import bucket_access_policy, trust_policy
from domain.external_id import ExternalId
from domain.identity import OrgId
from domain.role_arn import RoleArn
from domain.s3_uri import BucketName

_SUFFIX_ALPHABET = string.ascii_lowercase + string.digits


def create_sandbox_customer(
    endpoint_url: str,
    principal_arn: str,
    external_id: ExternalId | str,
    org_id: OrgId | int,
    account_id: str = defaults.CUSTOMER_ACCOUNT_ID,
    bucket: str | None = None,
) -> dict[str, str]:
    """Creates (or brings up to date) the customer's bucket and role, and returns
    the body for ``POST /v1/connectors/s3``."""
    external = external_id if isinstance(external_id, ExternalId) else ExternalId(external_id)
    org = org_id if isinstance(org_id, OrgId) else OrgId(org_id)
    account = AccountId.parse(account_id)
    name = BucketName(bucket if bucket is not None else _bucket_name(account))
    world = EmulatorWorld(endpoint_url)
    world.create_bucket(account.value, name.value)
    role = _upsert_role(
        world, account, f"bucketlink-access-org-{org}", trust_policy(principal_arn, external)
    )
    # One inline policy per bucket: running this again for another bucket adds
    # access instead of taking it from connectors made earlier. The grant is the
    # one the CloudFormation template of GET /v1/account/aws-setup makes.
    world.put_role_policy(role, f"bucket-{name}", bucket_access_policy(name.arn))
    return {
        "credential_name": f"sandbox-{name}",
        "role_arn": str(role),
        "bucket_uri": f"s3://{name}",
        "expected_bucket_owner_account_id": account.value,
        "connector_type": "s3",
    }


def _upsert_role(
    world: EmulatorWorld, account: AccountId, name: str, trust: dict[str, Any]
) -> RoleArn:
    try:
        return world.create_role(account.value, name, trust)
    except ClientError as error:
        if error_code(error) != "EntityAlreadyExists":
            raise
    role = RoleArn(account, "/", name)
    world.update_trust_policy(role, trust)
    return role


def _bucket_name(account: AccountId) -> str:
    suffix = "".join(secrets.choice(_SUFFIX_ALPHABET) for _ in range(8))
    return f"customer-{account}-{suffix}"
