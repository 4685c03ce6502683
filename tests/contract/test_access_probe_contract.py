"""One contract for every AccessProbe: the fake (FakeAws + FakeAccessProbe) and the
sandbox (the real boto3 probe against moto behind the gateway that enforces AWS's rules)
give the same report, step by step, for every scenario. Each scenario is what AWS
itself would answer."""

from __future__ import annotations

from typing import Any

import pytest

from domain.account_id import AccountId
from domain.aws_setup import trust_policy
from domain.external_id import ExternalId
from domain.identity import OrgId
from domain.probe import EXTERNAL_ID_CONDITION, BindingAttempt, ProbeReport, ProbeRequest
from domain.role_arn import RoleArn
from domain.s3_uri import BucketName, S3Uri
from tests.support.unbound_trust import bound, unbound_trust_policies

from .worlds import PRINCIPAL_ARN, World, unique

CUSTOMER = "111122223333"
OTHER_ACCOUNT = "444455556666"
ORG = OrgId(42)
EXTERNAL_ID = ExternalId("org-42-external-id-5d0c8f7e4b8a4f7a9e1c")
OTHER_ORG_EXTERNAL_ID = ExternalId("org-43-external-id-0b2e6c1d9a7f4e3b8c5d")
# What the probe draws afresh for each binding check.
DECOY = ExternalId("decoy-external-id-7f6e5d4c3b2a19087f6e")

PASSED = [
    ("assume_role", True, None),
    ("external_id_required", True, None),
    ("head_bucket", True, None),
    ("list_objects", True, None),
]
ASSUME_ROLE_DENIED = [
    ("assume_role", False, "assume_role_denied"),
    ("external_id_required", False, "skipped"),
    ("head_bucket", False, "skipped"),
    ("list_objects", False, "skipped"),
]
UNBOUND = [
    ("assume_role", True, None),
    ("external_id_required", False, "external_id_not_enforced"),
    ("head_bucket", False, "skipped"),
    ("list_objects", False, "skipped"),
]
BOUND = [("assume_role", True, None), ("external_id_required", True, None)]


def head_failed(code: str) -> list[tuple[str, bool, str | None]]:
    return [*BOUND, ("head_bucket", False, code), ("list_objects", False, "skipped")]


LIST_DENIED = [*BOUND, ("head_bucket", True, None), ("list_objects", False, "list_denied")]


def codes(report: ProbeReport) -> list[tuple[str, bool, str | None]]:
    return [(check.name.value, check.ok, check.code) for check in report.checks]


def policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow_list(bucket: str) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{bucket}"}


def a_bucket(world: World, account: str = CUSTOMER) -> BucketName:
    return world.aws.create_bucket(account, unique("data"))


def a_role(
    world: World,
    bucket: BucketName | None,
    *,
    trust: dict[str, Any] | None = None,
    account: str = CUSTOMER,
    path: str = "/",
) -> RoleArn:
    role = world.aws.create_role(
        account, unique("bucketlink"), trust or trust_policy(PRINCIPAL_ARN, EXTERNAL_ID), path
    )
    if bucket is not None:
        world.aws.put_role_policy(role, "access", policy(allow_list(bucket.value)))
    return role


def probe_of(
    role: RoleArn,
    bucket: BucketName | str,
    prefix: str = "",
    owner: str = CUSTOMER,
    external_id: ExternalId = EXTERNAL_ID,
) -> ProbeRequest:
    uri = f"s3://{bucket}/{prefix}" if prefix else f"s3://{bucket}"
    return ProbeRequest(role, S3Uri.parse(uri), AccountId(owner), external_id, ORG, DECOY)


async def judged(world: World, request: ProbeRequest) -> list[tuple[str, bool, str | None]]:
    return codes(await world.probe.probe(request))


# -- what passes --


async def test_a_role_trusting_the_platform_reaches_its_bucket(world: World) -> None:
    bucket = a_bucket(world)
    world.aws.put_object(bucket.value, "reports/2026.csv", b"a,b\n")
    role = a_role(world, bucket)

    assert await judged(world, probe_of(role, bucket)) == PASSED


async def test_a_prefix_is_listed_too(world: World) -> None:
    bucket = a_bucket(world)
    role = a_role(world, bucket)

    assert await judged(world, probe_of(role, bucket, prefix="reports/2026/")) == PASSED


async def test_a_role_with_a_path(world: World) -> None:
    bucket = a_bucket(world)
    role = a_role(world, bucket, path="/data/platforms/")

    assert role.path == "/data/platforms/"
    assert await judged(world, probe_of(role, bucket)) == PASSED


async def test_a_trust_policy_naming_the_platform_account_lets_its_principals_in(
    world: World,
) -> None:
    bucket = a_bucket(world)
    account_root = policy(
        {
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": EXTERNAL_ID.value}},
        }
    )
    role = a_role(world, bucket, trust=account_root)

    assert await judged(world, probe_of(role, bucket)) == PASSED


async def test_an_attached_managed_policy_grants_like_an_inline_one(world: World) -> None:
    bucket = a_bucket(world)
    role = a_role(world, None)
    managed = world.aws.create_policy(CUSTOMER, unique("list"), policy(allow_list(bucket.value)))
    world.aws.attach_role_policy(role, managed)

    assert await judged(world, probe_of(role, bucket)) == PASSED


async def test_a_tls_only_bucket_policy_does_not_stop_the_platform(world: World) -> None:
    # The platform talks to AWS over TLS only; the sandbox judges it so even on HTTP.
    bucket = a_bucket(world)
    arn = f"arn:aws:s3:::{bucket}"
    world.aws.put_bucket_policy(
        bucket.value,
        policy(
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [arn, f"{arn}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ),
    )
    role = a_role(world, bucket)

    assert await judged(world, probe_of(role, bucket)) == PASSED


async def test_a_bucket_in_another_account_needs_its_bucket_policy_too(world: World) -> None:
    bucket = a_bucket(world, account=OTHER_ACCOUNT)
    role = a_role(world, bucket)
    request = probe_of(role, bucket, owner=OTHER_ACCOUNT)

    assert await judged(world, request) == head_failed("bucket_access_denied")

    grant = {**allow_list(bucket.value), "Principal": {"AWS": str(role)}}
    world.aws.put_bucket_policy(bucket.value, policy(grant))
    assert await judged(world, request) == PASSED


# -- AssumeRole refused --


async def test_a_missing_role_cannot_be_assumed(world: World) -> None:
    bucket = a_bucket(world)
    missing = RoleArn.parse(f"arn:aws:iam::{CUSTOMER}:role/{unique('nobody')}")

    assert await judged(world, probe_of(missing, bucket)) == ASSUME_ROLE_DENIED


async def test_a_role_in_another_account_is_another_role(world: World) -> None:
    bucket = a_bucket(world)
    role = a_role(world, bucket)
    elsewhere = RoleArn(AccountId(OTHER_ACCOUNT), role.path, role.role_name)

    assert await judged(world, probe_of(elsewhere, bucket)) == ASSUME_ROLE_DENIED


async def test_a_role_under_another_path_is_another_role(world: World) -> None:
    bucket = a_bucket(world)
    role = a_role(world, bucket, path="/team/")
    without_path = RoleArn(role.account_id, "/", role.role_name)

    assert await judged(world, probe_of(without_path, bucket)) == ASSUME_ROLE_DENIED


async def test_a_trust_policy_for_another_principal_refuses_the_platform(world: World) -> None:
    bucket = a_bucket(world)
    someone_else = "arn:aws:iam::999988887777:role/another-platform"
    role = a_role(world, bucket, trust=trust_policy(someone_else, EXTERNAL_ID))

    assert await judged(world, probe_of(role, bucket)) == ASSUME_ROLE_DENIED


async def test_another_org_s_external_id_is_refused(world: World) -> None:
    # The confused deputy: org 43 points the platform at org 42's role.
    bucket = a_bucket(world)
    role = a_role(world, bucket)
    request = probe_of(role, bucket, external_id=OTHER_ORG_EXTERNAL_ID)

    assert await judged(world, request) == ASSUME_ROLE_DENIED


# -- HeadBucket refused --


async def test_a_missing_bucket_is_not_found(world: World) -> None:
    role = a_role(world, None)

    assert await judged(world, probe_of(role, unique("nothing-here"))) == head_failed(
        "bucket_not_found"
    )


async def test_a_bucket_owned_by_another_account_than_expected_is_denied(world: World) -> None:
    bucket = a_bucket(world)
    role = a_role(world, bucket)
    request = probe_of(role, bucket, owner=OTHER_ACCOUNT)

    assert await judged(world, request) == head_failed("bucket_access_denied")


async def test_a_role_without_list_bucket_is_denied(world: World) -> None:
    bucket = a_bucket(world)
    role = a_role(world, None)
    objects_only = {
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/*",
    }
    world.aws.put_role_policy(role, "objects", policy(objects_only))

    assert await judged(world, probe_of(role, bucket)) == head_failed("bucket_access_denied")


async def test_list_bucket_granted_only_under_a_prefix_fails_head_bucket(world: World) -> None:
    # HeadBucket is authorised as s3:ListBucket with no s3:prefix in the request,
    # so a prefix-conditioned grant does not cover it (as on AWS).
    bucket = a_bucket(world)
    role = a_role(world, None)
    scoped = {**allow_list(bucket.value), "Condition": {"StringLike": {"s3:prefix": "public/*"}}}
    world.aws.put_role_policy(role, "scoped", policy(scoped))

    assert await judged(world, probe_of(role, bucket, prefix="public/")) == head_failed(
        "bucket_access_denied"
    )


async def test_a_permissions_boundary_without_list_bucket_denies(world: World) -> None:
    bucket = a_bucket(world)
    role = a_role(world, bucket)
    objects_only = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    boundary = world.aws.create_policy(CUSTOMER, unique("boundary"), policy(objects_only))
    world.aws.put_role_permissions_boundary(role, boundary)

    assert await judged(world, probe_of(role, bucket)) == head_failed("bucket_access_denied")


async def test_a_bucket_policy_denying_the_role_wins_over_its_own_grant(world: World) -> None:
    bucket = a_bucket(world)
    role = a_role(world, bucket)
    deny = {**allow_list(bucket.value), "Effect": "Deny", "Principal": {"AWS": str(role)}}
    world.aws.put_bucket_policy(bucket.value, policy(deny))

    assert await judged(world, probe_of(role, bucket)) == head_failed("bucket_access_denied")


# -- ListObjectsV2 refused --


async def test_an_explicit_deny_on_the_prefix_fails_only_the_listing(world: World) -> None:
    bucket = a_bucket(world)
    role = a_role(world, bucket)
    deny_secret = {
        **allow_list(bucket.value),
        "Effect": "Deny",
        "Condition": {"StringLike": {"s3:prefix": "secret/*"}},
    }
    world.aws.put_role_policy(role, "no-secrets", policy(deny_secret))

    assert await judged(world, probe_of(role, bucket, prefix="secret/plans/")) == LIST_DENIED
    assert await judged(world, probe_of(role, bucket, prefix="public/")) == PASSED


# -- the report itself --


async def test_a_failed_step_says_what_to_fix_and_later_steps_are_skipped(world: World) -> None:
    bucket = a_bucket(world)
    role = a_role(world, bucket, trust=trust_policy(PRINCIPAL_ARN, OTHER_ORG_EXTERNAL_ID))

    report = await world.probe.probe(probe_of(role, bucket))

    assert not report.ok
    assert report.failure is not None
    assert report.failure.code == "assume_role_denied"
    assert "sts:ExternalId" in report.failure.message
    assert [c.message for c in report.checks[1:]] == ["skipped: assume_role failed"] * 3
    assert EXTERNAL_ID.value not in " ".join(c.message for c in report.checks)


# -- the binding check: refused unless the role requires the org's external id --
# The confused deputy: IAM User Guide, "The confused deputy problem"; how each
# shape gets in: tests/support/unbound_trust.py.


@pytest.mark.parametrize("shape", sorted(unbound_trust_policies(PRINCIPAL_ARN, EXTERNAL_ID)))
async def test_a_role_that_lets_the_platform_in_without_the_org_s_id_is_refused(
    world: World, shape: str
) -> None:
    bucket = a_bucket(world)
    role = a_role(world, bucket, trust=unbound_trust_policies(PRINCIPAL_ARN, EXTERNAL_ID)[shape])

    report = await world.probe.probe(probe_of(role, bucket))

    assert codes(report) == UNBOUND
    assert report.failure is not None
    assert EXTERNAL_ID.value not in report.failure.message
    assert DECOY.value not in report.failure.message


async def test_an_unbound_role_refuses_every_organisation_alike(world: World) -> None:
    # Before the binding check, org 42 and org 43 could both register this role.
    bucket = a_bucket(world)
    role = a_role(
        world, bucket, trust=policy({**bound(PRINCIPAL_ARN, EXTERNAL_ID), "Condition": {}})
    )

    assert await judged(world, probe_of(role, bucket)) == UNBOUND
    other_org = probe_of(role, bucket, external_id=OTHER_ORG_EXTERNAL_ID)
    assert await judged(world, other_org) == UNBOUND


async def test_a_role_trusting_two_organisations_ids_serves_both(world: World) -> None:
    # The customer chose to share the role: each id alone is still required.
    bucket = a_bucket(world)
    both = policy(bound(PRINCIPAL_ARN, EXTERNAL_ID, OTHER_ORG_EXTERNAL_ID))
    role = a_role(world, bucket, trust=both)

    assert await judged(world, probe_of(role, bucket)) == PASSED
    other_org = probe_of(role, bucket, external_id=OTHER_ORG_EXTERNAL_ID)
    assert await judged(world, other_org) == PASSED


async def test_the_unbound_report_names_the_attempts_that_got_in(world: World) -> None:
    bucket = a_bucket(world)
    any_id = policy(
        {**bound(PRINCIPAL_ARN, EXTERNAL_ID), "Condition": {"Null": {"sts:ExternalId": "false"}}}
    )
    role = a_role(world, bucket, trust=any_id)

    report = await world.probe.probe(probe_of(role, bucket))

    assert report.failure is not None
    assert BindingAttempt.WITH_ANOTHER_EXTERNAL_ID.value in report.failure.message
    assert BindingAttempt.WITHOUT_EXTERNAL_ID.value not in report.failure.message
    assert EXTERNAL_ID_CONDITION in report.failure.message


# -- denials say what AWS says, not why --


async def test_denials_do_not_tell_a_missing_role_from_a_refusing_one(world: World) -> None:
    bucket = a_bucket(world)
    missing = RoleArn.parse(f"arn:aws:iam::{CUSTOMER}:role/{unique('nobody')}")
    refusing = a_role(world, bucket, trust=trust_policy(PRINCIPAL_ARN, OTHER_ORG_EXTERNAL_ID))

    def said(report: ProbeReport, role: RoleArn) -> str:
        assert report.failure is not None
        return report.failure.message.replace(str(role), "<role>")

    assert said(await world.probe.probe(probe_of(missing, bucket)), missing) == said(
        await world.probe.probe(probe_of(refusing, bucket)), refusing
    )


async def test_denials_do_not_tell_who_owns_a_bucket(world: World) -> None:
    # A bucket the role may not list, and one owned by another account than
    # expected, answer alike: HeadBucket's 403.
    listed_elsewhere = a_bucket(world, account=OTHER_ACCOUNT)
    role = a_role(world, listed_elsewhere)
    not_granted = a_bucket(world)
    no_grant_role = a_role(world, None)

    wrong_owner = await world.probe.probe(probe_of(role, listed_elsewhere))
    not_allowed = await world.probe.probe(probe_of(no_grant_role, not_granted))

    for report, bucket in ((wrong_owner, listed_elsewhere), (not_allowed, not_granted)):
        assert report.failure is not None
        assert report.failure.message.startswith(f"HeadBucket on {bucket} answered HTTP 403.")
        assert "owned" not in report.failure.message
