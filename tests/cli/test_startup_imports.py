"""What a server process imports to build the app: nothing the service does not
use. Each of these is installed (by piccolo, moto's server or the dev tools) and
some library would import it if let; together they cost about a second of
start-up (docs/performance.md). Run in a fresh interpreter, since the test
process has imported most of them already."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# Each test starts the service (or a Python) as a separate program.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
NOT_IMPORTED = (
    "litestar.plugins.pydantic",  # Litestar's default plugins
    "attr",
    "pydantic_settings",  # dependency-injector's integrations
    "werkzeug",
    "cryptography",  # PyJWT's RSA and EC keys
    "rich",  # structlog's pretty tracebacks
    "black",  # piccolo's AppConfig, when no migration is pending
    "limits",  # the rate limiter's counters, built with the first limited request
)
_SERVE_WITH_MIGRATE = f"""
import json, sys
from entrypoints.cli.database import refuse_outdated_schema, run_migrations
from entrypoints.http.asgi import create
from entrypoints.settings import load_settings

settings = load_settings()
run_migrations(settings)
refuse_outdated_schema(settings)
create()
print(json.dumps([name for name in {NOT_IMPORTED!r} if name in sys.modules]))
"""


def test_serving_a_migrated_database_imports_no_unused_integration(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "BUCKETLINK_AWS": "aws",
        "BUCKETLINK_DATABASE_URL": f"sqlite:///{tmp_path / 'startup.sqlite'}",
        "BUCKETLINK_JWT_SECRET": "a-secret-long-enough-for-hs256-signatures",
        "BUCKETLINK_PRINCIPAL_ARN": "arn:aws:iam::210987654321:role/bucketlink-platform",
        "BUCKETLINK_ROLE_BOUNDARY_ARN": "arn:aws:iam::210987654321:policy/boundary",
    }
    migrated = _python(
        "from entrypoints.cli.database import run_migrations\n"
        "from entrypoints.settings import load_settings\n"
        "run_migrations(load_settings())",
        env,
    )
    assert migrated.returncode == 0, migrated.stderr
    result = _python(_SERVE_WITH_MIGRATE, env)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == []


def _python(source: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", source],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
