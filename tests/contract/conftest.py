from __future__ import annotations

from dataclasses import dataclass

import boto3
import pytest

from adapters.aws.boto3_probe import Boto3AccessProbe
from adapters.fakes.fake_aws import FakeAccessProbe, FakeAws
from adapters.sandbox import emulator as sandbox_emulator
from adapters.sandbox.emulator import Emulator
from adapters.sandbox.enforcing_probe import SandboxAccessProbe
from adapters.sandbox.world import EmulatorWorld
from domain.ports.access_probe import AccessProbe

from .worlds import PRINCIPAL_ARN, World


@dataclass(frozen=True)
class Sessions:
    """One boto3 session per component, reused across tests: a fresh session is
    slow to warm up, and one session must not build clients for two components
    at once."""

    probe: boto3.Session
    checks: boto3.Session
    world: boto3.Session


@pytest.fixture(scope="session")
def sessions() -> Sessions:
    new = sandbox_emulator.session
    return Sessions(probe=new(), checks=new(), world=new())


@pytest.fixture
def sandbox_probe(emulator: Emulator, sessions: Sessions) -> AccessProbe:
    endpoint = emulator.endpoint_url
    inner = Boto3AccessProbe(
        session=sessions.probe, endpoint_url=endpoint, assume_role_grace_seconds=0
    )
    return SandboxAccessProbe(
        inner, endpoint_url=endpoint, principal_arn=PRINCIPAL_ARN, session=sessions.checks
    )


@pytest.fixture
def emulator_world(emulator: Emulator, sessions: Sessions) -> EmulatorWorld:
    return EmulatorWorld(emulator.endpoint_url, sessions.world)


@pytest.fixture(params=["fake", "sandbox"])
def world(request: pytest.FixtureRequest) -> World:
    if request.param == "fake":
        fake = FakeAws()
        return World("fake", fake, FakeAccessProbe(fake, PRINCIPAL_ARN))
    return World(
        "sandbox",
        request.getfixturevalue("emulator_world"),
        request.getfixturevalue("sandbox_probe"),
    )
