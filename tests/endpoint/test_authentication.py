"""Every request to the sandbox endpoint is authenticated as AWS authenticates it
(contract section 8): SigV4 with a key the sandbox issued; the key, never a
header, decides the account.

AWS's answers: https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
(InvalidAccessKeyId, SignatureDoesNotMatch, RequestTimeTooSkewed, InvalidToken,
AccessDenied for an anonymous request) and
https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html
(InvalidClientTokenId, MissingAuthenticationToken).
"""

from __future__ import annotations

import urllib.error
import urllib.request

import boto3
import pytest
from botocore.exceptions import ClientError

from tests.endpoint.conftest import Client, fresh_account, trust, unique


def _code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


def test_an_administrators_key_acts_in_its_own_account(admin, emulator) -> None:
    account = fresh_account()
    identity = admin(account)("sts").get_caller_identity()
    assert identity["Account"] == account
    assert identity["Arn"] == f"arn:aws:iam::{account}:user/bucketlink-sandbox-administrator"


def test_a_key_the_sandbox_never_issued_is_refused(emulator) -> None:
    stranger = Client(
        emulator, {"aws_access_key_id": "AKIAIOSFODNN7EXAMPLE", "aws_secret_access_key": "x"}
    )
    with pytest.raises(ClientError) as s3_error:
        stranger("s3").list_buckets()
    assert _code(s3_error) == "InvalidAccessKeyId"
    with pytest.raises(ClientError) as sts_error:
        stranger("sts").get_caller_identity()
    assert _code(sts_error) == "InvalidClientTokenId"


def test_a_wrong_secret_does_not_match_the_signature(admin, emulator) -> None:
    good = admin(fresh_account())
    key_id = good("sts").get_caller_identity() and good._session.get_credentials().access_key
    forger = Client(emulator, {"aws_access_key_id": key_id, "aws_secret_access_key": "guessed"})
    with pytest.raises(ClientError) as error:
        forger("s3").list_buckets()
    assert _code(error) == "SignatureDoesNotMatch"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_the_moto_account_header_is_no_way_into_another_account(admin, emulator) -> None:
    mine, theirs = fresh_account(), fresh_account()
    s3 = admin(mine)("s3")

    def claim_theirs(request, **_) -> None:
        request.headers["x-moto-account-id"] = theirs

    s3.meta.events.register("before-sign.s3.*", claim_theirs)
    bucket = unique("header-claim")
    s3.create_bucket(Bucket=bucket)
    owner = admin(mine)("s3").get_bucket_acl(Bucket=bucket)["Owner"]
    # The bucket is the key's account's, whatever the header said.
    assert admin(mine)("s3").head_bucket(Bucket=bucket, ExpectedBucketOwner=mine)
    assert owner  # moto answers the owner's canonical id; ownership is pinned above
    with pytest.raises(ClientError) as error:
        admin(theirs)("s3").head_bucket(Bucket=bucket, ExpectedBucketOwner=theirs)
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_an_unsigned_request_is_anonymous_and_refused(emulator) -> None:
    with pytest.raises(urllib.error.HTTPError) as s3_error:
        urllib.request.urlopen(f"{emulator.endpoint_url}/")
    assert s3_error.value.code == 403 and b"<Code>AccessDenied</Code>" in s3_error.value.read()
    form = urllib.request.Request(
        f"{emulator.endpoint_url}/",
        data=b"Action=GetCallerIdentity&Version=2011-06-15",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with pytest.raises(urllib.error.HTTPError) as sts_error:
        urllib.request.urlopen(form)
    assert b"MissingAuthenticationToken" in sts_error.value.read()


def test_mote_api_is_closed(emulator) -> None:
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(f"{emulator.endpoint_url}/moto-api/reset", data=b"")
    assert error.value.code == 403


def test_a_session_key_needs_its_own_token(admin, emulator) -> None:
    account = fresh_account()
    iam = admin(account)("iam")
    role = iam.create_role(
        RoleName=unique("token"),
        AssumeRolePolicyDocument=trust(f"arn:aws:iam::{account}:root"),
    )["Role"]["Arn"]
    session = admin(account)("sts").assume_role(RoleArn=role, RoleSessionName="me")["Credentials"]
    without_token = Client(
        emulator,
        {
            "aws_access_key_id": session["AccessKeyId"],
            "aws_secret_access_key": session["SecretAccessKey"],
        },
    )
    with pytest.raises(ClientError) as error:
        without_token("s3").list_buckets()
    assert _code(error) == "InvalidToken"
    wrong = Client(
        emulator,
        {
            "aws_access_key_id": session["AccessKeyId"],
            "aws_secret_access_key": session["SecretAccessKey"],
            "aws_session_token": "not-the-token",
        },
    )
    with pytest.raises(ClientError) as sts_error:
        wrong("sts").get_caller_identity()
    assert _code(sts_error) == "InvalidClientTokenId"


def test_a_presigned_url_works_and_a_tampered_one_does_not(admin, emulator) -> None:
    # https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
    account = fresh_account()
    s3 = admin(account)("s3", signature_version="s3v4")
    bucket = unique("presigned")
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="a.txt", Body=b"hello")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "a.txt"})
    context = __import__("ssl").create_default_context(cafile=str(emulator.ca_bundle))
    with urllib.request.urlopen(url, context=context) as answer:
        assert answer.read() == b"hello"
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(url.replace("a.txt", "b.txt"), context=context)
    assert b"SignatureDoesNotMatch" in error.value.read()
    # SigV2, boto3's default for a presigned S3 URL, is refused as S3 refuses it.
    version_2 = admin(account)("s3").generate_presigned_url(
        "get_object", Params={"Bucket": bucket, "Key": "a.txt"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(version_2, context=context)
    assert refused.value.code == 400 and b"AWS4-HMAC-SHA256" in refused.value.read()


def test_stock_boto3_reads_credentials_from_the_environment(admin, emulator, monkeypatch) -> None:
    found = admin(fresh_account())._session.get_credentials()
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", found.access_key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", found.secret_key)
    monkeypatch.setenv("AWS_ENDPOINT_URL", emulator.https_endpoint_url)
    monkeypatch.setenv("AWS_CA_BUNDLE", str(emulator.ca_bundle))
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    assert boto3.client("sts").get_caller_identity()["Account"]


def test_a_host_that_is_not_the_endpoint_is_refused(admin, emulator) -> None:
    # moto would read "secret.example" as a virtual-hosted bucket no rule judged.
    s3 = admin(fresh_account())("s3")

    def elsewhere(request, **_) -> None:
        request.headers["Host"] = "secret.example:4566"

    s3.meta.events.register("before-sign.s3.*", elsewhere)
    with pytest.raises(ClientError) as error:
        s3.list_objects_v2(Bucket="public")
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
