"""One function that wires the use cases for in-process callers (contract §9)."""

from __future__ import annotations

from typing import Any

from application.bucketlink import Bucketlink
from entrypoints.container import Container
from entrypoints.logs import route_structlog_through_logging
from entrypoints.settings import Settings, load_settings

_PORTS = (
    "probe",
    "connectors",
    "organisations",
    "clock",
    "ids",
    "secrets",
    "provisioner",
    "buckets",
    "suffixes",
)


def build_container(settings: Settings | None = None, **adapters: Any) -> Container:
    """A container on ``settings`` (default: the environment), with any of the
    ports in ``_PORTS`` replaced by the given adapters (fakes, say)."""
    unknown = set(adapters) - set(_PORTS)
    if unknown:
        raise TypeError(f"no port named {', '.join(sorted(unknown))}; ports: {', '.join(_PORTS)}")
    # In-process callers get log records to handle as they configure, not prints.
    route_structlog_through_logging()
    container = Container(settings=settings or load_settings())
    for port, adapter in adapters.items():
        getattr(container, port).override(adapter)
    return container


def bootstrap(settings: Settings | None = None, **adapters: Any) -> Bucketlink:
    """The use cases, ready to call: ``await bootstrap().register_s3_connector(...)``."""
    return build_container(settings, **adapters).bucketlink()
