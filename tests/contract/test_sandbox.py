"""The sandbox's own pieces: the emulator's life cycle, the enforcing probe's
delegation, and the ready-made customer of ``bucketlink sandbox customer``."""

from __future__ import annotations

import socket

import pytest

from adapters.sandbox.customer import create_sandbox_customer
from adapters.sandbox.emulator import Emulator, EmulatorError, s3_as
from adapters.sandbox.enforcing_probe import SandboxAccessProbe
from domain.account_id import AccountId
from domain.errors import AwsUnavailable, InvalidField
from domain.external_id import ExternalId
from domain.identity import OrgId
from domain.ports.access_probe import AccessProbe
from domain.probe import ProbeReport, ProbeRequest
from domain.role_arn import RoleArn
from domain.s3_uri import S3Uri

from .worlds import PRINCIPAL_ARN, unique

ORG_7 = ExternalId("org-7-external-id-8c1f0a3e5b7d4c2a9e6f")
ORG_8 = ExternalId("org-8-external-id-3a9d2c7e1f5b4a8c6d0e")


def request_from(body: dict[str, str], external_id: ExternalId, org: int = 7) -> ProbeRequest:
    return ProbeRequest(
        role=RoleArn.parse(body["role_arn"]),
        target=S3Uri.parse(body["bucket_uri"]),
        bucket_owner=AccountId(body["expected_bucket_owner_account_id"]),
        external_id=external_id,
        org_id=OrgId(org),
    )


class RecordingProbe:
    def __init__(self) -> None:
        self.requests: list[ProbeRequest] = []

    async def probe(self, request: ProbeRequest) -> ProbeReport:
        self.requests.append(request)
        return ProbeReport.passed()


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


# -- the enforcing probe --


async def test_the_wrapped_probe_runs_only_when_aws_would_let_every_step_pass(
    emulator: Emulator,
) -> None:
    body = create_sandbox_customer(emulator.endpoint_url, PRINCIPAL_ARN, ORG_7, 9)
    inner = RecordingProbe()
    probe = SandboxAccessProbe(
        inner, endpoint_url=emulator.endpoint_url, principal_arn=PRINCIPAL_ARN
    )

    assert (await probe.probe(request_from(body, ORG_8, org=9))).failure is not None
    assert inner.requests == []
    assert (await probe.probe(request_from(body, ORG_7, org=9))).ok
    assert inner.requests == [request_from(body, ORG_7, org=9)]


async def test_the_enforcing_probe_reports_an_unreachable_emulator_as_unavailable() -> None:
    probe = SandboxAccessProbe(RecordingProbe(), endpoint_url="http://127.0.0.1:1")
    body = {
        "role_arn": "arn:aws:iam::111122223333:role/r",
        "bucket_uri": "s3://some-bucket",
        "expected_bucket_owner_account_id": "111122223333",
    }

    with pytest.raises(AwsUnavailable):
        await probe.probe(request_from(body, ORG_7))


# -- the emulator --


def test_accounts_are_kept_apart_by_the_account_header(emulator: Emulator) -> None:
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
    with pytest.raises(EmulatorError):
        _ = running.endpoint_url
