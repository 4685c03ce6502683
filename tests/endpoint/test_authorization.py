"""The sandbox endpoint authorises every client as AWS's policy evaluation does
(contract section 8), with stock boto3. Each test names the AWS page that
defines its outcome.
"""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from domain.account_id import AccountId
from domain.external_id import ExternalId
from domain.managed_bucket import Access
from domain.managed_bucket_policies import bucket_policy, role_access_policy, role_trust_policy
from domain.s3_uri import BucketName
from tests.endpoint.conftest import allow, fresh_account, session_client, trust, unique

EVALUATION = (
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html"
)
CROSS_ACCOUNT = (
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
    "reference_policies_evaluation-logic-cross-account.html"
)
EXTERNAL_ID = (
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html"
)
TLS_ONLY = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html"
OWNER_CONDITION = (
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html"
)
BOUNDARIES = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html"
SESSION_POLICIES = (
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session"
)


def _denied(call, *args, **kwargs) -> str:
    with pytest.raises(ClientError) as error:
        call(*args, **kwargs)
    return str(error.value.response["Error"]["Code"])


@pytest.fixture
def managed(admin):
    """A bucket made as bucketlink makes a managed one, in a platform account of
    its own, granted by role to a customer account under an external id."""
    platform, customer = fresh_account(), fresh_account()
    owner = admin(platform)
    name = BucketName(unique("managed"))
    access = Access.by_role(AccountId(customer), ExternalId("customer-chosen-id"))
    owner("s3").create_bucket(Bucket=name.value)
    owner("s3").put_bucket_policy(Bucket=name.value, Policy=json.dumps(bucket_policy(name, access)))
    role = owner("iam").create_role(
        RoleName=name.value, AssumeRolePolicyDocument=json.dumps(role_trust_policy(access))
    )["Role"]["Arn"]
    owner("iam").put_role_policy(
        RoleName=name.value, PolicyName="grant", PolicyDocument=json.dumps(role_access_policy(name))
    )
    return {"platform": platform, "customer": customer, "bucket": name.value, "role": role}


def test_the_granted_account_assumes_the_role_and_uses_the_bucket_over_tls(
    admin, emulator, managed
):
    # EXTERNAL_ID, TLS_ONLY: the right external id, from the trusted account, over HTTPS.
    sts = admin(managed["customer"])("sts")
    answer = sts.assume_role(
        RoleArn=managed["role"], RoleSessionName="me", ExternalId="customer-chosen-id"
    )
    s3 = session_client(emulator, answer)("s3")
    s3.put_object(Bucket=managed["bucket"], Key="hello.txt", Body=b"hello")
    assert s3.get_object(Bucket=managed["bucket"], Key="hello.txt")["Body"].read() == b"hello"
    listed = s3.list_objects_v2(Bucket=managed["bucket"], Prefix="hello")
    assert [o["Key"] for o in listed["Contents"]] == ["hello.txt"]
    # The grant is the customer actions only: not the platform's bucket policy.
    assert _denied(s3.delete_bucket_policy, Bucket=managed["bucket"]) == "AccessDenied"
    assert _denied(s3.put_bucket_policy, Bucket=managed["bucket"], Policy="{}") == "AccessDenied"


def test_the_tls_only_statement_denies_plain_http_even_to_the_granted_role(
    admin, emulator, managed
):
    # TLS_ONLY: Deny when aws:SecureTransport is false.
    answer = admin(managed["customer"])("sts").assume_role(
        RoleArn=managed["role"], RoleSessionName="me", ExternalId="customer-chosen-id"
    )
    plain = session_client(emulator, answer)("s3", https=False)
    assert _denied(plain.get_object, Bucket=managed["bucket"], Key="x") == "AccessDenied"


def test_a_wrong_or_missing_external_id_is_denied(admin, managed):
    # EXTERNAL_ID: the trust policy's StringEquals sts:ExternalId must hold.
    sts = admin(managed["customer"])("sts")
    assert (
        _denied(
            sts.assume_role, RoleArn=managed["role"], RoleSessionName="me", ExternalId="guessed"
        )
        == "AccessDenied"
    )
    assert _denied(sts.assume_role, RoleArn=managed["role"], RoleSessionName="me") == "AccessDenied"


def test_an_unrelated_account_cannot_assume_the_role_even_with_the_external_id(admin, managed):
    # CROSS_ACCOUNT: the trust policy names another account.
    stranger = admin(fresh_account())("sts")
    assert (
        _denied(
            stranger.assume_role,
            RoleArn=managed["role"],
            RoleSessionName="me",
            ExternalId="customer-chosen-id",
        )
        == "AccessDenied"
    )


def test_an_ungranted_account_cannot_list_read_or_change_the_bucket(admin, managed):
    # CROSS_ACCOUNT: no bucket policy statement grants the other account.
    s3 = admin(managed["customer"])("s3")  # the customer's administrator, not the role
    bucket = managed["bucket"]
    assert _denied(s3.list_objects_v2, Bucket=bucket) == "AccessDenied"
    assert _denied(s3.get_object, Bucket=bucket, Key="x") == "AccessDenied"
    assert _denied(s3.delete_bucket_policy, Bucket=bucket) == "AccessDenied"
    assert _denied(s3.put_object, Bucket=bucket, Key="x", Body=b"") == "AccessDenied"


def test_a_bucket_policy_grant_to_an_account_lets_its_principals_in_by_their_own_policy(admin):
    # CROSS_ACCOUNT: the bucket policy grants the account; its administrator's
    # identity policy allows everything, so both sides allow.
    owner_account, granted = fresh_account(), fresh_account()
    name = BucketName(unique("by-policy"))
    owner = admin(owner_account)("s3")
    owner.create_bucket(Bucket=name.value)
    policy = bucket_policy(name, Access.by_bucket_policy(AccountId(granted)))
    owner.put_bucket_policy(Bucket=name.value, Policy=json.dumps(policy))
    s3 = admin(granted)("s3")
    s3.put_object(Bucket=name.value, Key="k", Body=b"v", ExpectedBucketOwner=owner_account)
    assert s3.get_object(Bucket=name.value, Key="k")["Body"].read() == b"v"
    assert _denied(admin(fresh_account())("s3").get_object, Bucket=name.value, Key="k") == (
        "AccessDenied"
    )


def test_expected_bucket_owner_that_is_not_the_owner_is_denied(admin):
    # OWNER_CONDITION: 403 Access Denied even for the owner itself.
    account = fresh_account()
    s3 = admin(account)("s3")
    bucket = unique("owner-check")
    s3.create_bucket(Bucket=bucket)
    s3.head_bucket(Bucket=bucket, ExpectedBucketOwner=account)
    with pytest.raises(ClientError) as error:
        s3.head_bucket(Bucket=bucket, ExpectedBucketOwner=fresh_account())
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert _denied(s3.list_objects_v2, Bucket=bucket, ExpectedBucketOwner="999999999999") == (
        "AccessDenied"
    )


def test_a_permissions_boundary_caps_what_the_role_policy_grants(admin, emulator):
    # BOUNDARIES: effective permissions are the intersection.
    account = fresh_account()
    iam, s3 = admin(account)("iam"), admin(account)("s3")
    bucket = unique("boundary")
    s3.create_bucket(Bucket=bucket)
    boundary = iam.create_policy(
        PolicyName=unique("read-only"),
        PolicyDocument=allow(["s3:GetObject", "s3:ListBucket"], "*"),
    )["Policy"]["Arn"]
    role = iam.create_role(
        RoleName=unique("bounded"),
        AssumeRolePolicyDocument=trust(f"arn:aws:iam::{account}:root"),
        PermissionsBoundary=boundary,
    )["Role"]
    iam.put_role_policy(
        RoleName=role["RoleName"], PolicyName="all", PolicyDocument=allow("s3:*", "*")
    )
    session = session_client(
        emulator, admin(account)("sts").assume_role(RoleArn=role["Arn"], RoleSessionName="me")
    )("s3")
    session.list_objects_v2(Bucket=bucket)
    assert _denied(session.put_object, Bucket=bucket, Key="k", Body=b"") == "AccessDenied"


def test_a_session_policy_confines_the_session_to_a_prefix(admin, emulator):
    # SESSION_POLICIES: the session gets the intersection of the role's policy and its own.
    account = fresh_account()
    iam, s3 = admin(account)("iam"), admin(account)("s3")
    bucket = unique("session-policy")
    s3.create_bucket(Bucket=bucket)
    role = iam.create_role(
        RoleName=unique("wide"), AssumeRolePolicyDocument=trust(f"arn:aws:iam::{account}:root")
    )["Role"]
    iam.put_role_policy(
        RoleName=role["RoleName"], PolicyName="all", PolicyDocument=allow("s3:*", "*")
    )
    narrow = allow(["s3:GetObject", "s3:PutObject"], f"arn:aws:s3:::{bucket}/team-a/*")
    answer = admin(account)("sts").assume_role(
        RoleArn=role["Arn"], RoleSessionName="me", Policy=narrow
    )
    session = session_client(emulator, answer)("s3")
    session.put_object(Bucket=bucket, Key="team-a/x", Body=b"")
    assert _denied(session.put_object, Bucket=bucket, Key="team-b/x", Body=b"") == "AccessDenied"
    assert _denied(session.list_objects_v2, Bucket=bucket) == "AccessDenied"


def test_a_bucket_policy_naming_an_assumed_role_session_grants_that_session(admin, emulator):
    # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-role-session
    owner_account, other = fresh_account(), fresh_account()
    bucket = unique("session-principal")
    admin(owner_account)("s3").create_bucket(Bucket=bucket)
    iam = admin(other)("iam")
    role = iam.create_role(
        RoleName=unique("reader"), AssumeRolePolicyDocument=trust(f"arn:aws:iam::{other}:root")
    )["Role"]
    iam.put_role_policy(
        RoleName=role["RoleName"], PolicyName="read", PolicyDocument=allow("s3:GetObject", "*")
    )
    session_arn = f"arn:aws:sts::{other}:assumed-role/{role['RoleName']}/granted"
    admin(owner_account)("s3").put_bucket_policy(
        Bucket=bucket,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": session_arn},
                        "Action": "s3:GetObject",
                        "Resource": f"arn:aws:s3:::{bucket}/*",
                    }
                ],
            }
        ),
    )
    admin(owner_account)("s3").put_object(Bucket=bucket, Key="k", Body=b"v")
    sts = admin(other)("sts")
    granted = session_client(
        emulator, sts.assume_role(RoleArn=role["Arn"], RoleSessionName="granted")
    )
    assert granted("s3").get_object(Bucket=bucket, Key="k")["Body"].read() == b"v"
    another = session_client(
        emulator, sts.assume_role(RoleArn=role["Arn"], RoleSessionName="another")
    )
    assert _denied(another("s3").get_object, Bucket=bucket, Key="k") == "AccessDenied"


def test_aws_recommended_tls_version_deny_lets_modern_tls_through(admin, emulator):
    # https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html
    # (NumericLessThan s3:TlsVersion 1.2 denies older TLS only; this client speaks 1.2+).
    account = fresh_account()
    s3 = admin(account)("s3")
    bucket = unique("tls-version")
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_policy(
        Bucket=bucket,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Deny",
                        "Principal": "*",
                        "Action": "s3:*",
                        "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
                        "Condition": {"NumericLessThan": {"s3:TlsVersion": "1.2"}},
                    }
                ],
            }
        ),
    )
    s3.put_object(Bucket=bucket, Key="k", Body=b"v")
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"v"


def test_a_user_without_permissions_is_denied_everything_but_who_am_i(admin, emulator):
    # EVALUATION: implicit deny; GetCallerIdentity needs no permission
    # (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
    from tests.endpoint.conftest import Client

    account = fresh_account()
    iam = admin(account)("iam")
    name = unique("nobody")
    iam.create_user(UserName=name)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    nobody = Client(
        emulator,
        {"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]},
    )
    assert nobody("sts").get_caller_identity()["Arn"] == f"arn:aws:iam::{account}:user/{name}"
    assert _denied(nobody("s3").list_buckets) == "AccessDenied"
    assert (
        _denied(
            nobody("iam").create_role,
            RoleName="x",
            AssumeRolePolicyDocument=trust(f"arn:aws:iam::{account}:root"),
        )
        == "AccessDenied"
    )
    assert _denied(nobody("s3").create_bucket, Bucket=unique("nope")) == "AccessDenied"


def _policy(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _deny_unless(bucket: str, condition: dict) -> dict:
    return {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/*",
        "Condition": condition,
    }


@pytest.mark.parametrize(
    ("condition", "allowed"),
    [
        # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceip
        ({"NotIpAddress": {"aws:SourceIp": "127.0.0.0/8"}}, True),
        ({"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}, False),
        # ...#condition-keys-principaltype
        ({"StringNotEquals": {"aws:PrincipalType": "User"}}, True),
        ({"StringNotEquals": {"aws:PrincipalType": "AssumedRole"}}, False),
        # ...#condition-keys-currenttime
        ({"DateLessThan": {"aws:CurrentTime": "2000-01-01T00:00:00Z"}}, True),
        ({"DateGreaterThan": {"aws:CurrentTime": "2000-01-01T00:00:00Z"}}, False),
        # ...#condition-keys-securetransport (this client speaks HTTPS)
        ({"Bool": {"aws:SecureTransport": "false"}}, True),
        ({"Bool": {"aws:SecureTransport": "true"}}, False),
    ],
)
def test_the_request_context_carries_aws_global_keys(admin, condition, allowed) -> None:
    # A Deny with the condition: the object is readable exactly when the
    # condition does not hold for this request.
    account = fresh_account()
    s3 = admin(account)("s3")
    bucket = unique("context")
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="k", Body=b"v")
    s3.put_bucket_policy(Bucket=bucket, Policy=_policy(_deny_unless(bucket, condition)))
    if allowed:
        assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"v"
    else:
        assert _denied(s3.get_object, Bucket=bucket, Key="k") == "AccessDenied"


def test_principal_account_and_userid_name_the_caller(admin) -> None:
    # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalaccount
    owner, other = fresh_account(), fresh_account()
    s3 = admin(owner)("s3")
    bucket = unique("principal-account")
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="k", Body=b"v")
    grant = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/*",
        "Condition": {"StringEquals": {"aws:PrincipalAccount": other}},
    }
    s3.put_bucket_policy(Bucket=bucket, Policy=_policy(grant))
    assert admin(other)("s3").get_object(Bucket=bucket, Key="k")["Body"].read() == b"v"
    assert _denied(admin(fresh_account())("s3").get_object, Bucket=bucket, Key="k") == (
        "AccessDenied"
    )


def test_a_users_groups_grant_it_their_policies(admin, emulator) -> None:
    # https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups.html
    from tests.endpoint.conftest import Client

    account = fresh_account()
    iam = admin(account)("iam")
    name, group = unique("member"), unique("listers")
    iam.create_user(UserName=name)
    iam.create_group(GroupName=group)
    iam.put_group_policy(
        GroupName=group, PolicyName="list", PolicyDocument=allow("s3:ListAllMyBuckets", "*")
    )
    key = iam.create_access_key(UserName=name)["AccessKey"]
    member = Client(
        emulator,
        {"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]},
    )
    assert _denied(member("s3").list_buckets) == "AccessDenied"
    iam.add_user_to_group(GroupName=group, UserName=name)
    assert "Buckets" in member("s3").list_buckets()
