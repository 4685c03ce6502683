from __future__ import annotations

from dataclasses import dataclass

import boto3
import pytest

from adapters.fakes.fake_access_probe import FakeAccessProbe
from adapters.fakes.fake_aws import FakeAws
from adapters.sandbox import emulator as sandbox_emulator
from adapters.sandbox.accounts import EmulatorAccounts
from adapters.sandbox.emulator import Emulator
from adapters.sandbox.probe import sandbox_access_probe
from adapters.sandbox.provisioner import sandbox_provisioner
from adapters.sandbox.world import EmulatorWorld
from domain.ports.access_probe import AccessProbe

from .provisioning_worlds import (
    EmulatorProvisioningWorld,
    FakeProvisioningWorld,
    ProvisioningWorld,
)
from .worlds import PRINCIPAL_ARN, World


@dataclass(frozen=True)
class Sessions:
    """One boto3 session per component, reused across tests: a fresh session is
    slow to warm up, and one session must not build clients for two components
    at once."""

    probe: boto3.Session
    provisioner: boto3.Session


@pytest.fixture(scope="session")
def sessions(emulator: Emulator) -> Sessions:
    def new() -> boto3.Session:
        return sandbox_emulator.session(ca_bundle=emulator.ca_bundle)

    return Sessions(probe=new(), provisioner=new())


@pytest.fixture
def sandbox_probe(emulator: Emulator, sessions: Sessions) -> AccessProbe:
    return sandbox_access_probe(emulator.https_endpoint_url, session=sessions.probe)


@pytest.fixture
def emulator_world(emulator: Emulator) -> EmulatorWorld:
    return EmulatorWorld(emulator.endpoint_url)


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


@pytest.fixture(scope="session")
def inspecting_accounts(emulator: Emulator) -> EmulatorAccounts:
    return EmulatorAccounts(emulator.endpoint_url)


@pytest.fixture(params=["fake", "sandbox"])
def provisioning(request: pytest.FixtureRequest) -> ProvisioningWorld:
    if request.param == "fake":
        return FakeProvisioningWorld()
    emulator: Emulator = request.getfixturevalue("emulator")
    sessions: Sessions = request.getfixturevalue("sessions")
    # A provisioner of its own per test: its clients carry the test's hooks.
    provisioner = sandbox_provisioner(emulator.https_endpoint_url, sessions.provisioner)
    return EmulatorProvisioningWorld(provisioner, request.getfixturevalue("inspecting_accounts"))
