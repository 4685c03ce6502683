"""The probe's one S3 client signs each call as the role its own probe assumed,
and without a probe's credentials it cannot sign at all."""

from __future__ import annotations

import re
import threading
from typing import Any

import anyio
import boto3
import pytest
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.exceptions import NoCredentialsError

from adapters.aws.assumed_role_signing import assumed_role_s3_client, signing_as
from adapters.aws.boto3_probe import Boto3AccessProbe
from adapters.aws.client_config import default_config
from adapters.aws.session import SharedSession
from domain.account_id import AccountId
from domain.external_id import ExternalId
from domain.identity import OrgId
from domain.probe import ProbeReport, ProbeRequest
from domain.role_arn import RoleArn
from domain.s3_uri import S3Uri

from .scripted_aws import LISTED, ScriptedAws, respond, sent_params, sts_error

NOWHERE = "http://127.0.0.1:9"
EXTERNAL_ID = ExternalId("org-external-id-0123456789abcdef")
_KEY_IN_AUTHORIZATION = re.compile(r"Credential=([A-Z0-9]+)/")


def assumed_key(role_name: str) -> str:
    return "ASIA" + role_name.upper().replace("-", "")


def assumed_for_the_role_asked(request: AWSPreparedRequest) -> AWSResponse:
    """AssumeRole hands out credentials of the role the request names, to callers
    with the org's external id only (each role is bound to it)."""
    sent = sent_params(request)
    if sent.get("ExternalId") != EXTERNAL_ID.value:
        return sts_error(403, "AccessDenied")(request)
    role_name = sent["RoleArn"].rsplit("/", 1)[-1]
    return respond(
        200,
        f"""<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
<AssumeRoleResult><Credentials><AccessKeyId>{assumed_key(role_name)}</AccessKeyId>
<SecretAccessKey>secret-{role_name}</SecretAccessKey><SessionToken>token-{role_name}</SessionToken>
<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleResult>
</AssumeRoleResponse>""".encode(),
    )(request)


def a_request(number: int) -> ProbeRequest:
    return ProbeRequest(
        role=RoleArn.parse(f"arn:aws:iam::111122223333:role/customer-{number}"),
        target=S3Uri.parse(f"s3://bucket-of-customer-{number}/"),
        bucket_owner=AccountId("111122223333"),
        external_id=EXTERNAL_ID,
        org_id=OrgId(number + 1),
        decoy_external_id=ExternalId("decoy-external-id-0123456789abcdef"),
    )


def signing_key(request: AWSPreparedRequest) -> str:
    authorization = request.headers["Authorization"]
    text = authorization.decode() if isinstance(authorization, bytes) else authorization
    match = _KEY_IN_AUTHORIZATION.search(text)
    assert match, text
    return match.group(1)


@pytest.fixture
def aws() -> ScriptedAws:
    session = boto3.Session(
        aws_access_key_id="PLATFORMKEY", aws_secret_access_key="platform", region_name="us-east-1"
    )
    scripted = ScriptedAws(session)
    scripted.script("AssumeRole", assumed_for_the_role_asked)
    scripted.script("ListObjectsV2", LISTED)
    return scripted


async def test_concurrent_probes_each_sign_as_the_role_they_assumed(aws: ScriptedAws) -> None:
    probe = Boto3AccessProbe(session=aws.session, endpoint_url=NOWHERE, config=default_config())
    reports: list[ProbeReport] = []

    async def run(number: int) -> None:
        reports.append(await probe.probe(a_request(number)))

    async with anyio.create_task_group() as probes:
        for number in range(40):
            probes.start_soon(run, number)

    assert reports == [ProbeReport.passed()] * 40
    s3_calls = [request for name, request in aws.sent if name != "AssumeRole"]
    assert len(s3_calls) == 80
    for request in s3_calls:
        number = re.search(r"bucket-of-customer-(\d+)", request.url)
        assert number, request.url
        assert signing_key(request) == assumed_key(f"customer-{number.group(1)}")


def test_outside_a_probe_the_client_has_no_credentials_to_sign_with(
    aws: ScriptedAws, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Even with platform credentials in the environment, nothing falls back to them.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "PLATFORMENVKEY")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "platform")
    s3 = assumed_role_s3_client(
        aws.session, region_name="us-east-1", endpoint_url=NOWHERE, config=default_config()
    )

    with pytest.raises(NoCredentialsError):
        s3.head_bucket(Bucket="bucket-of-customer-1")

    assert [name for name, _ in aws.sent] == []


def test_credentials_end_with_the_block_and_stay_in_their_thread(aws: ScriptedAws) -> None:
    s3 = assumed_role_s3_client(
        aws.session, region_name="us-east-1", endpoint_url=NOWHERE, config=default_config()
    )
    other_thread: list[BaseException] = []

    def call_from_another_thread() -> None:
        try:
            s3.head_bucket(Bucket="bucket-of-customer-2")
        except BaseException as error:
            other_thread.append(error)

    credentials: Any = {"AccessKeyId": "ASIAONE", "SecretAccessKey": "s", "SessionToken": "t"}
    with signing_as(credentials):
        s3.head_bucket(Bucket="bucket-of-customer-1")
        thread = threading.Thread(target=call_from_another_thread)
        thread.start()
        thread.join()
    with pytest.raises(NoCredentialsError):
        s3.head_bucket(Bucket="bucket-of-customer-1")

    assert [signing_key(request) for _, request in aws.sent] == ["ASIAONE"]
    assert [type(error) for error in other_thread] == [NoCredentialsError]


def test_the_client_reuses_the_service_models_the_platform_session_loaded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    platform = SharedSession(
        aws_access_key_id="PLATFORMKEY", aws_secret_access_key="platform", region_name="us-east-1"
    )
    platform.client("s3", endpoint_url=NOWHERE)
    files_read: list[str] = []
    read_file = platform.data_loader.file_loader.load_file

    def counting(path: str) -> Any:
        files_read.append(path)
        return read_file(path)

    monkeypatch.setattr(platform.data_loader.file_loader, "load_file", counting)
    assumed_role_s3_client(
        platform, region_name="us-east-1", endpoint_url=NOWHERE, config=default_config()
    )

    assert not [path for path in files_read if "service-2" in path]
