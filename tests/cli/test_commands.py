"""The ``bucketlink`` command, as an operator or a newcomer uses it."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import jwt
import pytest
from click.testing import CliRunner

from adapters.persistence.piccolo import PiccoloManagedBucketRepository, engine_from_url
from domain.account_id import AccountId
from domain.identity import OrgId
from domain.managed_bucket import Access, Grant, ManagedBucket
from domain.resource_id import ResourceId
from domain.s3_uri import BucketName
from entrypoints.cli.main import cli
from tests.conftest import JWT_SECRET


@pytest.fixture
def env(tmp_path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.chdir(tmp_path)
    return {
        "BUCKETLINK_JWT_SECRET": JWT_SECRET,
        "BUCKETLINK_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}",
    }


def _run(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env=env)
    return result.exit_code, result.output


def test_token_prints_an_access_token_with_the_contract_claims(env: dict[str, str]) -> None:
    code, output = _run(env, "token", "--user", "alice", "--org", "7", "--ttl", "120")
    assert code == 0
    claims = jwt.decode(output.strip(), JWT_SECRET, algorithms=["HS256"])
    assert (claims["sub"], claims["org_id"]) == ("alice", 7)
    assert claims["exp"] - claims["iat"] == 120
    assert "typ" not in claims


def test_token_refresh_prints_a_refresh_token(env: dict[str, str]) -> None:
    code, output = _run(env, "token", "--user", "alice", "--org", "7", "--refresh")
    assert code == 0
    assert jwt.decode(output.strip(), JWT_SECRET, algorithms=["HS256"])["typ"] == "refresh"


@pytest.mark.parametrize("org", ["0", "-1", "x"])
def test_token_refuses_an_org_that_is_not_a_positive_integer(env: dict[str, str], org: str) -> None:
    code, output = _run(env, "token", "--user", "alice", "--org", org)
    assert code == 2
    assert "--org" in output


def test_the_sandbox_secret_is_made_once_and_shared_by_every_command(
    env: dict[str, str],
) -> None:
    del env["BUCKETLINK_JWT_SECRET"]
    tokens = [_run(env, "token", "--user", "a", "--org", "1")[1].strip() for _ in range(2)]
    with open(".bucketlink/jwt-secret") as file:
        secret = file.read().strip()
    for token in tokens:
        assert jwt.decode(token, secret, algorithms=["HS256"])["sub"] == "a"


def test_serve_refuses_an_outdated_schema_and_names_the_fix(env: dict[str, str]) -> None:
    code, output = _run(env, "serve")
    assert code == 1
    assert "out of date" in output and "bucketlink migrate" in output


def test_migrate_brings_the_schema_up_to_date_once(env: dict[str, str]) -> None:
    first = _run(env, "migrate")
    second = _run(env, "migrate")
    assert first[0] == 0 and "applied" in first[1]
    assert second == (0, "the schema is up to date\n")


def test_aws_mode_requires_a_secret_a_principal_and_a_boundary(env: dict[str, str]) -> None:
    aws = {**env, "BUCKETLINK_AWS": "aws"}
    del aws["BUCKETLINK_JWT_SECRET"]
    code, output = _run(aws, "serve")
    assert code == 2 and "BUCKETLINK_JWT_SECRET" in output
    code, output = _run({**aws, "BUCKETLINK_JWT_SECRET": "s"}, "serve")
    assert code == 2 and "BUCKETLINK_PRINCIPAL_ARN" in output
    principal = "arn:aws:iam::210987654321:role/bucketlink-platform"
    code, output = _run(
        {**aws, "BUCKETLINK_JWT_SECRET": "s", "BUCKETLINK_PRINCIPAL_ARN": principal}, "serve"
    )
    assert code == 2 and "BUCKETLINK_ROLE_BOUNDARY_ARN" in output


def test_a_bad_setting_names_the_variable(env: dict[str, str]) -> None:
    code, output = _run({**env, "BUCKETLINK_SANDBOX_PORT": "many"}, "serve")
    assert code == 2 and "BUCKETLINK_SANDBOX_PORT" in output


def test_sandbox_customer_without_a_running_emulator_says_to_start_serve(
    env: dict[str, str],
) -> None:
    _run(env, "migrate")
    code, output = _run(
        {**env, "BUCKETLINK_SANDBOX_PORT": "1"}, "sandbox", "customer", "--org", "1"
    )
    assert code == 1
    assert "bucketlink serve" in output


def test_sandbox_credentials_without_a_running_emulator_says_to_start_serve(
    env: dict[str, str],
) -> None:
    code, output = _run({**env, "BUCKETLINK_SANDBOX_PORT": "1"}, "sandbox", "credentials")
    assert code == 1 and "bucketlink serve" in output and "Traceback" not in output


@pytest.mark.parametrize("account", ["12345", "1234567890123", "abcdefghijkl", ""])
def test_sandbox_credentials_refuses_an_account_that_is_not_12_digits(
    env: dict[str, str], account: str
) -> None:
    code, output = _run(env, "sandbox", "credentials", "--account", account)
    assert code == 2 and "12 digits" in output and "Traceback" not in output


def test_an_unsupported_database_url_is_a_usage_error(env: dict[str, str]) -> None:
    code, output = _run({**env, "BUCKETLINK_DATABASE_URL": "mysql://u:hunter2@h/db"}, "migrate")
    assert code == 2
    assert "BUCKETLINK_DATABASE_URL" in output and "hunter2" not in output


def test_an_unreachable_database_is_reported_not_raised(env: dict[str, str]) -> None:
    url = "postgresql://postgres@127.0.0.1:1/none"
    code, output = _run({**env, "BUCKETLINK_DATABASE_URL": url}, "serve")
    assert code == 1
    assert "cannot reach the database" in output and "Traceback" not in output


def test_a_token_carries_exactly_the_contract_claims(env: dict[str, str]) -> None:
    _, output = _run(env, "token", "--user", "alice", "--org", "3")
    claims = jwt.decode(output.strip(), JWT_SECRET, algorithms=["HS256"])
    assert set(claims) == {"sub", "org_id", "exp", "iat"}


def _stored_bucket(url: str) -> uuid.UUID:
    now = datetime.now(UTC)
    bucket = ManagedBucket(
        id=uuid.uuid4(),
        company_id=OrgId(4),
        name=BucketName("nio-acme-abcdefabcdef"),
        resource_id=ResourceId("acme"),
        grant=Grant(Access.by_bucket_policy(AccountId("111122223333"))),
        created_at=now,
        updated_at=now,
    )
    asyncio.run(PiccoloManagedBucketRepository(engine_from_url(url)).add(bucket))
    return bucket.id


def _mutable(url: str, bucket_id: uuid.UUID) -> bool:
    found = asyncio.run(PiccoloManagedBucketRepository(engine_from_url(url)).find(bucket_id))
    assert found is not None
    return found.is_access_mutable


def test_operators_lock_and_unlock_a_buckets_access(env: dict[str, str]) -> None:
    _run(env, "migrate")
    url = env["BUCKETLINK_DATABASE_URL"]
    bucket_id = _stored_bucket(url)
    code, output = _run(env, "buckets", "lock-access", str(bucket_id))
    assert code == 0 and '"access": "locked"' in output
    assert _mutable(url, bucket_id) is False
    code, _ = _run(env, "buckets", "unlock-access", str(bucket_id))
    assert code == 0 and _mutable(url, bucket_id) is True


def test_locking_an_unknown_bucket_says_so(env: dict[str, str]) -> None:
    _run(env, "migrate")
    code, output = _run(env, "buckets", "lock-access", str(uuid.uuid4()))
    assert code == 1 and "no bucket" in output
    code, output = _run(env, "buckets", "lock-access", "not-a-uuid")
    assert code == 2


def test_sandbox_customer_on_an_unmigrated_database_names_the_fix(env: dict[str, str]) -> None:
    code, output = _run(
        {**env, "BUCKETLINK_SANDBOX_PORT": "1"}, "sandbox", "customer", "--org", "1"
    )
    assert code == 1
    assert "bucketlink migrate" in output and "emulator" not in output
