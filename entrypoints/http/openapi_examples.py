"""Example requests and answers of every route, for the OpenAPI document (``/schema``).

They tell one story: organisation 1 ("yourcompany") connects its bucket
``customer-data`` through the role ``bucketlink-access`` in its account
111122223333, and has the platform make two buckets for it. Answers are built
from the response bodies the routes return (and the domain's own policies and
probe reports), so an example cannot name a field the service does not send;
``tests/api/test_openapi_examples.py`` sends every request example to the
service and compares what comes back with the answers documented here."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import msgspec
from litestar.enums import RequestEncodingType
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example
from litestar.params import Body, BodyKwarg

from adapters.sandbox import defaults as sandbox_defaults
from domain.aws_setup import cloudformation_template, trust_policy
from domain.external_id import ExternalId
from domain.probe import (
    BindingAttempt,
    ProbeReport,
    ProbeStep,
    assume_role_refused,
    external_id_not_enforced,
    s3_call_refused,
)
from domain.role_arn import RoleArn
from domain.s3_uri import BucketName
from entrypoints.http.schemas.account import AwsSetupBody
from entrypoints.http.schemas.buckets import (
    BucketBody,
    BucketPage,
    BucketPolicyAccessBody,
    ChangeAccessBody,
    CreateBucketBody,
    PolicyAuthBody,
    RoleAccessBody,
    RoleAuthBody,
)
from entrypoints.http.schemas.connectors import (
    ConnectorBody,
    ConnectorPage,
    S3ConnectorBody,
    ValidationReport,
    VerificationReport,
)
from entrypoints.http.schemas.credentials import CredentialsBody, CredentialsRequestBody


def json_body(*examples: Example) -> BodyKwarg:
    """A JSON request body documented with ``examples``. Litestar 2 lists them in
    the body's schema (JSON Schema ``examples``, also on the body's component),
    not as named examples of the media type (litestar#4558)."""
    return Body(media_type=RequestEncodingType.JSON, examples=list(examples))


def success_response(
    body_type: type[Any], description: str, *examples: Example
) -> dict[int, ResponseSpec]:
    """The documented 200 answer, in place of the one Litestar derives from the
    return type (which can carry no examples)."""
    spec = ResponseSpec(
        body_type, description=description, generate_examples=False, examples=list(examples)
    )
    return {200: spec}


def _example(summary: str, body: msgspec.Struct | dict[str, Any]) -> Example:
    # The body itself, not its dict: Litestar drops every None from the dicts of
    # its document, and answers keep their nulls (``next_cursor``, the
    # ``verified_*`` of other connector types). The document's JSON encoder
    # (msgspec) writes a Struct exactly as the route's answer is written (a YAML
    # render plugin, not configured here, would need dicts).
    return Example(summary=summary, value=body)


# -- the organisation and its AWS account --

# The sandbox's accounts and principal: what the sandbox answers with.
CUSTOMER_ACCOUNT_ID = sandbox_defaults.CUSTOMER_ACCOUNT_ID
PLATFORM_ACCOUNT_ID = sandbox_defaults.PLATFORM_ACCOUNT_ID
PRINCIPAL_ARN = sandbox_defaults.PRINCIPAL_ARN
# 48 hex characters, as the service draws them.
EXTERNAL_ID = "3f9c2a7e5d1b4c8e9a0f6b2d7c4e1a9f8b3d5c7e2a4f6b1d"
ROLE_ARN = f"arn:aws:iam::{CUSTOMER_ACCOUNT_ID}:role/bucketlink-access"
BUCKET_URI = "s3://customer-data/exports/"
CREATED_AT = datetime(2026, 11, 23, 10, 0, 0, 123456, tzinfo=UTC)
CHANGED_AT = datetime(2026, 11, 24, 8, 30, 0, 654321, tzinfo=UTC)

AWS_SETUP = _example(
    "Your external id, and the role to create with it",
    AwsSetupBody(
        external_id=EXTERNAL_ID,
        principal_arn=PRINCIPAL_ARN,
        trust_policy=trust_policy(PRINCIPAL_ARN, ExternalId(EXTERNAL_ID)),
        cloudformation_template=cloudformation_template(PRINCIPAL_ARN, ExternalId(EXTERNAL_ID)),
    ),
)

# -- connectors --

S3_CONNECTOR_REQUEST = _example(
    "Your role and bucket",
    S3ConnectorBody(
        credential_name="analytics-exports",
        role_arn=ROLE_ARN,
        bucket_uri=BUCKET_URI,
        expected_bucket_owner_account_id=CUSTOMER_ACCOUNT_ID,
    ),
)
_CONNECTOR = ConnectorBody(
    id=UUID("3d5c9a2e-8f4b-4c1a-9e7d-2b6f0a8c4e51"),
    credential_name="analytics-exports",
    connector_type="s3",
    created_at=CREATED_AT,
    updated_at=CREATED_AT,
    verified_bucket_uri=BUCKET_URI,
    verified_role_arn=ROLE_ARN,
    verified_bucket_owner_account_id=CUSTOMER_ACCOUNT_ID,
)
CONNECTOR = _example("The connector, as it was verified", _CONNECTOR)
CREDENTIALS_REQUEST = _example(
    "Read what one year's exports hold, for 15 minutes",
    CredentialsRequestBody(access="read", prefix="2026/", duration_seconds=900),
)
VENDED = _example(
    "Credentials for the connector's bucket, under the prefix asked for",
    CredentialsBody(
        connector_id=_CONNECTOR.id,
        access="read",
        bucket="customer-data",
        prefix="exports/2026/",
        region="us-east-1",
        access_key_id="ASIAEXAMPLEEXAMPLE01",
        secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        session_token="IQoJb3JpZ2luX2VjEXAMPLEtokenEXAMPLE",
        expiration=CREATED_AT + timedelta(seconds=900),
    ),
)
CONNECTOR_PAGE = _example(
    "Your connectors; no further page",
    ConnectorPage(items=[_CONNECTOR], next_cursor=None),
)

_PASSED = ProbeReport.passed()
_ROLE = RoleArn.parse(ROLE_ARN)
_ASSUME_ROLE_DENIED = assume_role_refused(_ROLE, "AccessDenied")
_UNBOUND = external_id_not_enforced(_ROLE, [BindingAttempt.WITHOUT_EXTERNAL_ID])
_LIST_DENIED = s3_call_refused(
    ProbeStep.LIST_OBJECTS, BucketName("customer-data"), 403, "AccessDenied"
)
VALIDATION_PASSED = _example("Every check passed", ValidationReport.of(_PASSED))
VALIDATION_FAILED = _example(
    "The role could not be assumed; later checks were skipped",
    ValidationReport.of(_ASSUME_ROLE_DENIED),
)
VALIDATION_UNBOUND = _example(
    "The role lets the platform in without your external id: refused",
    ValidationReport.of(_UNBOUND),
)
VERIFICATION_PASSED = _example(
    "Every check still passes",
    VerificationReport(
        valid=True, checks=ValidationReport.of(_PASSED).checks, verified_at=CHANGED_AT
    ),
)
VERIFICATION_FAILED = _example(
    "The role may no longer list the prefix",
    VerificationReport(
        valid=False, checks=ValidationReport.of(_LIST_DENIED).checks, verified_at=CHANGED_AT
    ),
)
VERIFICATION_UNBOUND = _example(
    "The trust policy was loosened since: it no longer requires your external id",
    VerificationReport(
        valid=False, checks=ValidationReport.of(_UNBOUND).checks, verified_at=CHANGED_AT
    ),
)

# -- managed buckets: one granted by bucket policy, one through a role --

BUCKET_EXTERNAL_ID = "yourcompany-7c1e9d"  # chosen by the customer for their trust in our role
_POLICY_BUCKET_NAME = "nio-yourcompany-821627dd2931"
_ROLE_BUCKET_NAME = "nio-yourcompany-ml-4k7p2m9x0q1z"
_POLICY_BUCKET = BucketBody(
    id=UUID("9b2e4f6a-1c3d-4e5f-8a7b-6c5d4e3f2a1b"),
    company_id=1,
    name=_POLICY_BUCKET_NAME,
    auth=PolicyAuthBody(account_id=CUSTOMER_ACCOUNT_ID),
    created_at=CREATED_AT,
    updated_at=CREATED_AT,
    is_access_mutable=True,
)
_ROLE_AUTH = RoleAuthBody(
    account_id=CUSTOMER_ACCOUNT_ID,
    role_arn=f"arn:aws:iam::{PLATFORM_ACCOUNT_ID}:role/{_ROLE_BUCKET_NAME}",
    external_id=BUCKET_EXTERNAL_ID,
)
_ROLE_BUCKET = BucketBody(
    id=UUID("5e8d7c6b-4a3f-4e2d-9c1b-0a9f8e7d6c5b"),
    company_id=1,
    name=_ROLE_BUCKET_NAME,
    auth=_ROLE_AUTH,
    created_at=CHANGED_AT,
    updated_at=CHANGED_AT,
    is_access_mutable=True,
)

CREATE_POLICY_BUCKET = _example(
    "Access by bucket policy (the default)",
    CreateBucketBody(
        account_id=CUSTOMER_ACCOUNT_ID, resource_id="yourcompany", access=BucketPolicyAccessBody()
    ),
)
CREATE_ROLE_BUCKET = _example(
    "Access through a role you assume with your external id",
    CreateBucketBody(
        account_id=CUSTOMER_ACCOUNT_ID,
        resource_id="yourcompany-ml",
        access=RoleAccessBody(external_id=BUCKET_EXTERNAL_ID),
    ),
)
POLICY_BUCKET = _example("A bucket your account reaches by bucket policy", _POLICY_BUCKET)
ROLE_BUCKET = _example("A bucket your account reaches through a role", _ROLE_BUCKET)
BUCKET_PAGE = _example(
    "Your company's buckets, newest first; no further page",
    BucketPage(items=[_ROLE_BUCKET, _POLICY_BUCKET], next_cursor=None),
)

CHANGE_TO_ROLE = _example(
    "From bucket policy to a role",
    ChangeAccessBody(
        access=RoleAccessBody(external_id=BUCKET_EXTERNAL_ID), account_id=CUSTOMER_ACCOUNT_ID
    ),
)
CHANGED_TO_ROLE = _example(
    "The bucket with its new grant",
    msgspec.structs.replace(
        _POLICY_BUCKET,
        auth=msgspec.structs.replace(
            _ROLE_AUTH, role_arn=f"arn:aws:iam::{PLATFORM_ACCOUNT_ID}:role/{_POLICY_BUCKET_NAME}"
        ),
        updated_at=CHANGED_AT,
    ),
)

# -- health (the controller's own small bodies, spelt out: it imports this module) --

HEALTHY = _example("The process answers", {"status": "ok"})
READY = _example(
    "Every dependency answers", {"status": "ready", "dependencies": {"database": "ok", "aws": "ok"}}
)
NOT_READY = _example(
    "AWS does not answer",
    {"status": "unavailable", "dependencies": {"database": "ok", "aws": "unavailable"}},
)
