"""The app under fuzzing: the HTTP layer on the shipped fakes, as tests/api wires
it, built once for the whole run (schemathesis reads its OpenAPI document)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from dependency_injector import providers
from litestar import Litestar

from adapters.fakes.fake_aws import FakeAws
from entrypoints.container import Container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings
from tests.api.conftest import fake_adapters, fake_container
from tests.conftest import JWT_SECRET, PRINCIPAL_ARN


class FuzzedService:
    """The app, and a way back to its empty state: a stateful run that starts
    from whatever earlier runs left finds different links to follow, which
    Hypothesis (rightly) reports as flaky data generation."""

    def __init__(self) -> None:
        self.app = fuzzed_app()
        self._container: Container = self.app.state.container

    def reset(self) -> None:
        for port, adapter in fake_adapters(FakeAws()).items():
            getattr(self._container, port).override(adapter)


def fuzzed_app() -> Litestar:
    unused = Path(tempfile.gettempdir()) / "bucketlink-fuzz-unused.sqlite"  # never opened
    settings = Settings(
        jwt_secret=JWT_SECRET,
        database_url=f"sqlite:///{unused}",
        principal_arn=PRINCIPAL_ARN,
        assume_role_grace_seconds=0,
        # The fuzzer is one organisation sending thousands of requests; the
        # limit has its own tests, here it would only hide the routes behind it.
        rate_limit="1000000/minute",
    )
    container = fake_container(settings, FakeAws())
    # The fakes are always reachable; the real checks would dial the sandbox's port.
    container.readiness_checks.override(providers.Object({"database": _ok, "aws": _ok}))
    app = create_app(container)
    app.state.container = container
    return app


async def _ok() -> None:
    return None
