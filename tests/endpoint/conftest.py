"""Stock boto3 against the sandbox endpoint of a running `bucketlink serve`, as
any AWS client would use it."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config

from adapters.sandbox.emulator import SandboxCredentials, administrator
from tests.support.running_serve import RunningServe, running_serve

_NO_RETRIES = Config(retries={"mode": "standard", "total_max_attempts": 1})


def unique(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(4)}"


def fresh_account() -> str:
    return "".join(secrets.choice("123456789") for _ in range(12))


@pytest.fixture(scope="session")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServe]:
    """The emulator `bucketlink serve` starts, in a directory of its own."""
    with running_serve(tmp_path_factory.mktemp("serve")) as serve:
        yield serve


class Client:
    """boto3 clients for one set of credentials, over HTTPS (default) or HTTP."""

    def __init__(self, emulator: RunningServe, credentials: dict[str, str]) -> None:
        self._emulator = emulator
        self._session = boto3.Session(region_name="us-east-1", **credentials)

    def __call__(
        self, service: str, *, https: bool = True, signature_version: str | None = None
    ) -> Any:
        endpoint = self._emulator.https_endpoint_url if https else self._emulator.endpoint_url
        config = _NO_RETRIES.merge(Config(signature_version=signature_version))
        return self._session.client(
            service,
            endpoint_url=endpoint,
            verify=str(self._emulator.ca_bundle) if https else None,
            config=config,
        )


@pytest.fixture
def admin(emulator: RunningServe) -> Callable[[str], Client]:
    """Clients of an account's administrator (what `bucketlink sandbox credentials` prints)."""

    def make(account: str) -> Client:
        found: SandboxCredentials = administrator(emulator.endpoint_url, account)
        return Client(
            emulator,
            {
                "aws_access_key_id": found.aws_access_key_id,
                "aws_secret_access_key": found.aws_secret_access_key,
            },
        )

    return make


def session_client(emulator: RunningServe, answer: dict[str, Any]) -> Client:
    """Clients of an AssumeRole answer's session."""
    credentials = answer["Credentials"]
    return Client(
        emulator,
        {
            "aws_access_key_id": credentials["AccessKeyId"],
            "aws_secret_access_key": credentials["SecretAccessKey"],
            "aws_session_token": credentials["SessionToken"],
        },
    )


def trust(principal: str, external_id: str | None = None) -> str:
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"AWS": principal},
        "Action": "sts:AssumeRole",
    }
    if external_id is not None:
        statement["Condition"] = {"StringEquals": {"sts:ExternalId": external_id}}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def allow(actions: list[str] | str, resources: list[str] | str, **extra: Any) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": actions, "Resource": resources, **extra}],
        }
    )
