"""One function that wires the use cases for in-process callers (contract §9)."""

from __future__ import annotations

from typing import TypedDict, Unpack

from application.bucketlink import Bucketlink
from domain.ports.access_probe import AccessProbe
from domain.ports.bucket_provisioner import BucketProvisioner
from domain.ports.clock import Clock
from domain.ports.connector_repository import ConnectorRepository
from domain.ports.credential_cache import CredentialCache
from domain.ports.credential_vendor import CredentialVendor
from domain.ports.id_source import IdSource
from domain.ports.managed_bucket_repository import ManagedBucketRepository
from domain.ports.organisation_repository import OrganisationRepository
from domain.ports.secret_source import SecretSource
from domain.ports.suffix_source import SuffixSource
from entrypoints.container import Container
from entrypoints.logs import route_structlog_through_logging
from entrypoints.settings import Settings, load_settings


class Adapters(TypedDict, total=False):
    """The ports a caller may serve with adapters of its own (fakes, say);
    each one left out gets the real adapter the settings choose."""

    probe: AccessProbe
    connectors: ConnectorRepository
    organisations: OrganisationRepository
    clock: Clock
    ids: IdSource
    secrets: SecretSource
    provisioner: BucketProvisioner
    buckets: ManagedBucketRepository
    suffixes: SuffixSource
    vendor: CredentialVendor
    credential_cache: CredentialCache


PORTS = tuple(Adapters.__annotations__)


def build_container(settings: Settings | None = None, **adapters: Unpack[Adapters]) -> Container:
    """A container on ``settings`` (default: the environment), with the given
    ports served by the given adapters."""
    # A type checker catches a misspelt port; a caller without one must hear of it too.
    unknown = set(adapters) - set(PORTS)
    if unknown:
        raise TypeError(f"no port named {', '.join(sorted(unknown))}; ports: {', '.join(PORTS)}")
    # In-process callers get log records to handle as they configure, not prints.
    route_structlog_through_logging()
    container = Container(settings=settings or load_settings())
    for port, adapter in adapters.items():
        getattr(container, port).override(adapter)
    return container


def bootstrap(settings: Settings | None = None, **adapters: Unpack[Adapters]) -> Bucketlink:
    """The use cases, ready to call: ``await bootstrap().register_s3_connector(...)``."""
    return build_container(settings, **adapters).bucketlink()
