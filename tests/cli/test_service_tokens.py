"""``bucketlink token --service NAME --org N`` (contract §10): a service token."""

from __future__ import annotations

import time

import jwt
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

from entrypoints.cli.main import cli
from tests.conftest import JWT_SECRET
from tests.unit.strategies import is_service_name, service_name_candidates, service_names

ENV = {"BUCKETLINK_JWT_SECRET": JWT_SECRET}


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["token", *args], env=ENV)
    return result.exit_code, result.output


def _assert_usage_error(code: int, output: str, *said: str) -> None:
    assert code == 2, output
    assert "Traceback" not in output
    for words in said:
        assert words in output, output


def test_a_service_token_carries_exactly_its_claims() -> None:
    code, output = _run("--service", "nightly-export", "--org", "7", "--ttl", "300")

    assert code == 0, output
    claims = jwt.decode(output.strip(), JWT_SECRET, algorithms=["HS256"])
    assert set(claims) == {"sub", "org_id", "scope", "iat", "exp"}
    assert (claims["sub"], claims["org_id"], claims["scope"]) == (
        "service:nightly-export",
        7,
        "credentials",
    )
    assert claims["exp"] - claims["iat"] == 300
    assert claims["exp"] > time.time()


def test_a_user_s_token_carries_no_scope() -> None:
    _, output = _run("--user", "alice", "--org", "7")
    assert "scope" not in jwt.decode(output.strip(), JWT_SECRET, algorithms=["HS256"])


@pytest.mark.parametrize(
    "args",
    [("--org", "1"), ("--user", "alice", "--service", "ci", "--org", "1")],
    ids=["neither", "both"],
)
def test_a_token_names_exactly_one_of_a_user_and_a_service(args: tuple[str, ...]) -> None:
    _assert_usage_error(*_run(*args), "--user", "--service")


def test_a_service_token_is_never_a_refresh_token() -> None:
    _assert_usage_error(*_run("--service", "ci", "--org", "1", "--refresh"), "--refresh", "never")


def test_a_user_id_that_would_read_as_a_service_is_refused() -> None:
    _assert_usage_error(*_run("--user", "service:ci", "--org", "1"), "--user", "service:")


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(service_name_candidates | service_names)
def test_a_name_is_taken_exactly_when_it_keeps_the_rule(name: str) -> None:
    # "--service=NAME", so that a name beginning with "-" is still the option's value.
    code, output = _run(f"--service={name}", "--org", "1")

    if is_service_name(name):
        assert code == 0, output
        claims = jwt.decode(output.strip(), JWT_SECRET, algorithms=["HS256"])
        assert claims["sub"] == f"service:{name}"
    else:
        _assert_usage_error(code, output, "--service", "1-64 characters")
