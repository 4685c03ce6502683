"""The composition root names each port and use case once: bootstrap's typed
``Adapters`` and ``Bucketlink``'s fields; the container and the HTTP app follow."""

from __future__ import annotations

import typing

from dependency_injector import providers

from application.bucketlink import USE_CASES, Bucketlink
from entrypoints.bootstrap import PORTS, Adapters
from entrypoints.container import Container
from entrypoints.settings import Settings


def test_every_port_bootstrap_takes_is_a_provider_of_the_container() -> None:
    assert PORTS, "bootstrap takes no port at all"
    for port in PORTS:
        assert isinstance(getattr(Container, port, None), providers.Provider), port


def test_each_port_is_typed_by_its_protocol() -> None:
    hints = typing.get_type_hints(Adapters)
    assert set(hints) == set(PORTS)
    for port, hint in hints.items():
        assert getattr(hint, "_is_protocol", False), f"{port}: {hint} is not a port's Protocol"


def test_the_bucketlink_provider_gives_every_use_case_of_its_type() -> None:
    settings = Settings(principal_arn="arn:aws:iam::123456789012:role/bucketlink-platform")
    made = Container(settings=settings).bucketlink()
    for name, use_case in typing.get_type_hints(Bucketlink).items():
        assert type(getattr(made, name)) is use_case, name
    assert set(USE_CASES) == set(typing.get_type_hints(Bucketlink))
