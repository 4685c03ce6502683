"""The real service for benchmarks: its environment, a migrated and seeded
database (SQLite or a fresh PostgreSQL database), and a token to call it with."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

import anyio
import asyncpg

from adapters.persistence.piccolo import migrate
from application.register_s3_connector import S3ConnectorRequest
from domain.account_id import AccountId
from domain.connector import S3Target
from domain.credential_name import CredentialName
from domain.identity import Caller, OrgId
from domain.probe import ProbeReport, ProbeRequest
from domain.role_arn import RoleArn
from domain.s3_uri import S3Uri
from entrypoints.bootstrap import bootstrap
from entrypoints.http.tokens import issue_token
from entrypoints.settings import load_settings

JWT_SECRET = "benchmark-secret-that-is-long-enough-for-hs256"
PRINCIPAL_ARN = "arn:aws:iam::210987654321:role/bucketlink-platform"
ROLE_BOUNDARY_ARN = "arn:aws:iam::210987654321:policy/bucketlink-managed-role-boundary"
TARGET = "entrypoints.http.asgi:create"
CALLER = Caller(user_id="bench", org_id=OrgId(1))
ADMIN_URL = os.environ.get(
    "BUCKETLINK_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


def environment(database_url: str, **extra: str) -> dict[str, str]:
    """``aws`` mode, as production runs: nothing of the sandbox is started."""
    return {
        "BUCKETLINK_AWS": "aws",
        "BUCKETLINK_DATABASE_URL": database_url,
        "BUCKETLINK_JWT_SECRET": JWT_SECRET,
        "BUCKETLINK_PRINCIPAL_ARN": PRINCIPAL_ARN,
        "BUCKETLINK_ROLE_BOUNDARY_ARN": ROLE_BOUNDARY_ARN,
        "BUCKETLINK_REGION": "us-east-1",
        **extra,
    }


def bearer() -> dict[str, str]:
    token = issue_token(JWT_SECRET, CALLER.user_id, CALLER.org_id.value, timedelta(hours=2))
    return {"Authorization": f"Bearer {token}"}


@contextmanager
def database(kind: str) -> Iterator[str]:
    """A new, empty database of ``kind`` (``sqlite`` or ``postgresql``); its URL."""
    if kind == "sqlite":
        with TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'bench.sqlite'}"
        return
    name = f"bucketlink_bench_{os.getpid()}"
    anyio.run(_admin, f'CREATE DATABASE "{name}"')
    try:
        yield f"{ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    finally:
        anyio.run(_admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _admin(statement: str) -> None:
    connection = await asyncpg.connect(ADMIN_URL)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


class _Passes:
    """Seeding stores connectors; whether AWS would pass them is not measured here."""

    async def probe(self, request: ProbeRequest) -> ProbeReport:
        return ProbeReport.passed()


def external_id(env: Mapping[str, str]) -> str:
    """``CALLER``'s organisation's external id (made now if it has none yet)."""
    return anyio.run(_external_id, env)


async def _external_id(env: Mapping[str, str]) -> str:
    setup = await bootstrap(load_settings(env), probe=_Passes()).get_aws_setup(CALLER)
    return setup.external_id.value


def seed(env: Mapping[str, str], connectors: int) -> list[str]:
    """Migrate the database and register ``connectors`` connectors for ``CALLER``."""
    return anyio.run(_seed, env, connectors)


async def _seed(env: Mapping[str, str], count: int) -> list[str]:
    settings = load_settings(env)
    with contextlib.redirect_stdout(io.StringIO()):  # piccolo narrates each migration
        await migrate(settings.database_url)
    bucketlink = bootstrap(settings, probe=_Passes())
    ids = []
    for number in range(count):
        request = S3ConnectorRequest(
            credential_name=CredentialName(f"bench-{number:04d}"),
            target=S3Target(
                bucket_uri=S3Uri.parse(f"s3://bench-bucket-{number:04d}/data/"),
                role_arn=RoleArn.parse("arn:aws:iam::111122223333:role/bucketlink-access"),
                bucket_owner=AccountId.parse("111122223333"),
            ),
        )
        connector = await bucketlink.register_s3_connector(CALLER, request)
        ids.append(str(connector.id))
    return ids
