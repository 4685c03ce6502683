"""The sandbox's own pieces: the emulator's life cycle, its STS judging the
platform as AWS's would, and the ready-made customer of ``bucketlink sandbox
customer``. (Every other client's rules: tests/endpoint.)"""

from __future__ import annotations

import socket
from typing import Any

import pytest
from botocore.exceptions import ClientError

from adapters.sandbox import emulator as sandbox_emulator
from adapters.sandbox.accounts import EmulatorAccounts
from adapters.sandbox.customer import create_sandbox_customer
from adapters.sandbox.emulator import Emulator, EmulatorError, s3_as, sts_as
from adapters.sandbox.world import EmulatorWorld
from domain.account_id import AccountId
from domain.errors import InvalidField
from domain.external_id import ExternalId
from domain.identity import OrgId
from domain.ports.access_probe import AccessProbe
from domain.probe import ProbeRequest
from domain.role_arn import RoleArn
from domain.s3_uri import S3Uri

from .worlds import PRINCIPAL_ARN, unique

OWNER = {"expected_bucket_owner_account_id": "111122223333"}

ORG_7 = ExternalId("org-7-external-id-8c1f0a3e5b7d4c2a9e6f")
ORG_8 = ExternalId("org-8-external-id-3a9d2c7e1f5b4a8c6d0e")
DECOY = ExternalId("decoy-external-id-5e4d3c2b1a0f9e8d7c6b")


def request_from(body: dict[str, str], external_id: ExternalId, org: int = 7) -> ProbeRequest:
    return ProbeRequest(
        role=RoleArn.parse(body["role_arn"]),
        target=S3Uri.parse(body["bucket_uri"]),
        bucket_owner=AccountId(body["expected_bucket_owner_account_id"]),
        external_id=external_id,
        org_id=OrgId(org),
        decoy_external_id=DECOY,
    )


# -- the ready-made customer --


async def test_the_sandbox_customer_passes_with_its_org_s_external_id(
    emulator: Emulator, sandbox_probe: AccessProbe
) -> None:
    body = create_sandbox_customer(emulator.endpoint_url, PRINCIPAL_ARN, ORG_7, 7)

    assert set(body) == {
        "credential_name",
        "role_arn",
        "bucket_uri",
        "expected_bucket_owner_account_id",
        "connector_type",
    }
    assert body["connector_type"] == "s3"
    assert body["expected_bucket_owner_account_id"] == "111122223333"
    assert body["role_arn"] == "arn:aws:iam::111122223333:role/bucketlink-access-org-7"
    assert body["bucket_uri"].startswith("s3://customer-111122223333-")
    assert (await sandbox_probe.probe(request_from(body, ORG_7))).ok


async def test_another_org_s_external_id_cannot_use_the_sandbox_customer(
    emulator: Emulator, sandbox_probe: AccessProbe
) -> None:
    body = create_sandbox_customer(emulator.endpoint_url, PRINCIPAL_ARN, ORG_7, 7)

    report = await sandbox_probe.probe(request_from(body, ORG_8, org=8))

    assert report.failure is not None
    assert report.failure.code == "assume_role_denied"


async def test_making_the_customer_again_reuses_the_role_and_updates_its_trust(
    emulator: Emulator, sandbox_probe: AccessProbe
) -> None:
    bucket = unique("again")
    first = create_sandbox_customer(
        emulator.endpoint_url, PRINCIPAL_ARN, ORG_7, 70, account_id="222233334444", bucket=bucket
    )
    second = create_sandbox_customer(
        emulator.endpoint_url, PRINCIPAL_ARN, ORG_8, 70, account_id="222233334444", bucket=bucket
    )

    assert first == second
    assert (await sandbox_probe.probe(request_from(second, ORG_8))).ok
    assert not (await sandbox_probe.probe(request_from(second, ORG_7))).ok


def test_the_customer_bucket_must_be_a_valid_bucket_name(emulator: Emulator) -> None:
    with pytest.raises(InvalidField):
        create_sandbox_customer(emulator.endpoint_url, PRINCIPAL_ARN, ORG_7, 7, bucket="Not_Valid")


# -- the gateway's STS refuses the platform as AWS's would --


def gated_sts(emulator: Emulator) -> Any:
    """STS as the platform: its key (any AWS client will do)."""
    session = sandbox_emulator.session()
    return session.client("sts", endpoint_url=emulator.endpoint_url, region_name="us-east-1")


def test_the_gate_lets_in_only_what_the_trust_policy_allows(emulator: Emulator) -> None:
    body = create_sandbox_customer(emulator.endpoint_url, PRINCIPAL_ARN, ORG_7, 11)
    sts = gated_sts(emulator)
    role = {"RoleArn": body["role_arn"], "RoleSessionName": "bucketlink-org-11"}

    assert sts.assume_role(**role, ExternalId=ORG_7.value)["Credentials"]["AccessKeyId"]
    for refused in ({}, {"ExternalId": ORG_8.value}):
        with pytest.raises(ClientError) as raised:
            sts.assume_role(**role, **refused)
        assert raised.value.response["Error"]["Code"] == "AccessDenied"
        assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
        # STS's wording: whether the role exists or what its policy lacks, it does not say.
        assert "trust policy" not in str(raised.value)


def test_the_gate_judges_every_caller_not_only_the_platform(emulator: Emulator) -> None:
    body = create_sandbox_customer(emulator.endpoint_url, PRINCIPAL_ARN, ORG_7, 13)
    role = {"RoleArn": body["role_arn"], "RoleSessionName": "someone-else"}

    # A caller in another account, with the right external id, is still not the platform.
    with pytest.raises(ClientError) as raised:
        sts_as("444455556666", emulator.endpoint_url).assume_role(**role, ExternalId=ORG_7.value)
    assert raised.value.response["Error"]["Code"] == "AccessDenied"
    # The platform's key is a session of the platform role.
    identity = gated_sts(emulator).get_caller_identity()
    assert identity["Account"] == "123456789012"
    assert (
        identity["Arn"] == "arn:aws:sts::123456789012:assumed-role/bucketlink-platform/bucketlink"
    )


def test_the_gate_refuses_a_missing_role_in_the_same_words(emulator: Emulator) -> None:
    sts = gated_sts(emulator)
    missing = f"arn:aws:iam::111122223333:role/{unique('nobody')}"

    with pytest.raises(ClientError) as raised:
        sts.assume_role(RoleArn=missing, RoleSessionName="s1", ExternalId=ORG_7.value)
    assert raised.value.response["Error"]["Code"] == "AccessDenied"
    assert "exist" not in str(raised.value)


# -- what moto stores and AWS never would: a malformed policy denies --


@pytest.mark.parametrize(
    "document",
    ["[]", '"hello"', '{"Statement": null}', '{"Statement": ["not a statement"]}', "{}"],
)
async def test_a_malformed_trust_policy_is_a_denial_not_a_crash(
    emulator: Emulator, emulator_world: EmulatorWorld, sandbox_probe: AccessProbe, document: str
) -> None:
    bucket = emulator_world.create_bucket("111122223333", unique("malformed"))
    accounts = EmulatorAccounts(emulator.endpoint_url)
    name = unique("malformed")
    accounts.iam("111122223333").create_role(RoleName=name, AssumeRolePolicyDocument=document)
    role = RoleArn.parse(f"arn:aws:iam::111122223333:role/{name}")
    request = request_from({"role_arn": str(role), "bucket_uri": f"s3://{bucket}", **OWNER}, ORG_7)

    report = await sandbox_probe.probe(request)

    assert report.failure is not None and report.failure.code == "assume_role_denied"


@pytest.mark.parametrize("document", ["[]", '"hello"', '{"Statement": null}'])
async def test_a_malformed_bucket_policy_is_a_denial_not_a_crash(
    emulator: Emulator, sandbox_probe: AccessProbe, document: str
) -> None:
    body = create_sandbox_customer(
        emulator.endpoint_url, PRINCIPAL_ARN, ORG_7, 12, bucket=unique("malformed-policy")
    )
    bucket = body["bucket_uri"].removeprefix("s3://")
    s3 = s3_as("111122223333", emulator.endpoint_url)
    try:
        s3.put_bucket_policy(Bucket=bucket, Policy=document)
    except ClientError:
        pytest.skip(f"moto refuses the bucket policy {document}")

    report = await sandbox_probe.probe(request_from(body, ORG_7, org=12))

    assert report.failure is not None and report.failure.code == "bucket_access_denied"


# -- the emulator --


def test_accounts_are_kept_apart_by_their_keys(emulator: Emulator) -> None:
    bucket = unique("mine")
    s3_as("111122223333", emulator.endpoint_url).create_bucket(Bucket=bucket)

    def names(account: str) -> set[str]:
        answer = s3_as(account, emulator.endpoint_url).list_buckets()
        return {b["Name"] for b in answer["Buckets"]}

    assert bucket in names("111122223333")
    assert bucket not in names("555566667777")


def test_a_busy_port_is_reported_not_waited_on() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(EmulatorError, match=str(port)):
            Emulator(port=port).start(timeout=2)


def test_an_emulator_starts_and_stops() -> None:
    with Emulator(port=0) as running:
        assert running.endpoint_url.startswith("http://127.0.0.1:")
        assert running.https_endpoint_url.startswith("https://127.0.0.1:")
        assert running.ca_bundle.is_file()
    with pytest.raises(EmulatorError):
        _ = running.endpoint_url
