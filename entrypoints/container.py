"""The composition root: which adapter serves each port, per configuration.

Tests and in-process users swap adapters with ``container.<port>.override(...)``
(or through ``bootstrap``); use cases are factories, so they always see the
current adapters.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from entrypoints.optional_imports import as_if_absent

# Without integrations it would load because moto's server installs them:
# pydantic-settings and werkzeug, ~0.7 s of start-up (see optional_imports).
with as_if_absent("pydantic_settings", "werkzeug"):
    from dependency_injector import containers, providers

from adapters.observability.logged_probe import LoggedAccessProbe
from adapters.observability.metered_probe import MeteredAccessProbe
from adapters.observability.observed_vendor import CountedCredentialCache, ObservedCredentialVendor
from adapters.persistence.piccolo.connector_repository import PiccoloConnectorRepository
from adapters.persistence.piccolo.engine import engine_from_url
from adapters.persistence.piccolo.managed_bucket_repository import (
    PiccoloManagedBucketRepository,
)
from adapters.persistence.piccolo.organisation_repository import PiccoloOrganisationRepository
from adapters.system.clock import SystemClock
from adapters.system.credential_cache import InProcessCredentialCache
from adapters.system.ids import RandomIds
from adapters.system.secrets_source import CsprngSecrets
from adapters.system.suffixes import CsprngSuffixes
from application.bucket_changes import BucketChanges
from application.bucketlink import USE_CASES, Bucketlink
from application.change_bucket_access import ChangeBucketAccess
from application.connector_queries import DeleteConnector, GetConnector, ListConnectors
from application.create_managed_bucket import CreateManagedBucket
from application.delete_managed_bucket import DeleteManagedBucket
from application.external_ids import OrgExternalIds
from application.get_aws_setup import GetAwsSetup
from application.managed_bucket_queries import GetManagedBucket, ListManagedBuckets
from application.probing import TargetProbe
from application.register_s3_connector import RegisterS3Connector
from application.set_access_lock import SetAccessLock
from application.validate_s3_connector import ValidateS3Connector
from application.vend_credentials import VendCredentials
from application.verify_connector import VerifyConnector
from domain.account_id import AccountId
from domain.bucket_naming import BucketNameGenerator, BucketPrefix
from entrypoints.readiness import aws_check, database_check
from entrypoints.settings import Settings

if TYPE_CHECKING:
    from adapters.aws.boto3_probe import Boto3AccessProbe
    from adapters.aws.boto3_provisioner import Boto3BucketProvisioner
    from adapters.aws.boto3_vendor import Boto3CredentialVendor
    from adapters.aws.session import SharedSession

# The AWS adapters are imported when first built, not with this module: boto3
# costs ~0.4 s of start-up, and a server answers /health while it builds them
# in the background (entrypoints/http/serving.py). Their providers are
# thread-safe singletons, so a request that needs one meanwhile waits for that
# build instead of making a second.


def _sandbox_probe(settings: Settings, session: SharedSession) -> Boto3AccessProbe:
    from adapters.sandbox.probe import sandbox_access_probe

    return sandbox_access_probe(
        settings.sandbox_https_endpoint,
        session=session,
        region_name=settings.region,
        assume_role_grace_seconds=settings.assume_role_grace_seconds,
    )


def _aws_probe(settings: Settings, session: SharedSession) -> Boto3AccessProbe:
    from adapters.aws.boto3_probe import Boto3AccessProbe

    return Boto3AccessProbe(
        session=session,
        region_name=settings.region,
        assume_role_grace_seconds=settings.assume_role_grace_seconds,
    )


def _sandbox_provisioner(settings: Settings, session: SharedSession) -> Boto3BucketProvisioner:
    from adapters.sandbox.provisioner import sandbox_provisioner

    return sandbox_provisioner(
        settings.sandbox_https_endpoint,
        session,
        settings.region,
        role_boundary_arn=settings.role_boundary_arn,
        prefix=BucketPrefix(settings.bucket_prefix),
    )


def _aws_provisioner(settings: Settings, session: SharedSession) -> Boto3BucketProvisioner:
    from adapters.aws.boto3_provisioner import Boto3BucketProvisioner

    return Boto3BucketProvisioner(
        session=session, region_name=settings.region, role_boundary_arn=settings.role_boundary_arn
    )


def _sandbox_vendor(settings: Settings, session: SharedSession) -> Boto3CredentialVendor:
    from adapters.aws.boto3_vendor import Boto3CredentialVendor

    return Boto3CredentialVendor(
        session=session, endpoint_url=settings.sandbox_https_endpoint, region_name=settings.region
    )


def _aws_vendor(settings: Settings, session: SharedSession) -> Boto3CredentialVendor:
    from adapters.aws.boto3_vendor import Boto3CredentialVendor

    return Boto3CredentialVendor(session=session, region_name=settings.region)


def _aws_session(settings: Settings) -> SharedSession:
    from adapters.aws.session import SharedSession
    from adapters.observability.aws_call_metrics import observe_aws_calls
    from adapters.sandbox import defaults

    if settings.sandbox:
        # The platform's own key in the emulator, never real credentials; its
        # HTTPS endpoint is verified with the CA it made (adapters/sandbox/tls.py).
        session = SharedSession(
            aws_access_key_id=defaults.ACCESS_KEY_ID,
            aws_secret_access_key=defaults.SECRET_ACCESS_KEY,
            region_name=settings.region,
        )
        session.botocore_session.set_config_variable("ca_bundle", str(settings.sandbox_ca_bundle))
    else:
        session = SharedSession(region_name=settings.region)
    observe_aws_calls(session)
    return session


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)

    clock = providers.Singleton(SystemClock)
    ids = providers.Singleton(RandomIds)
    secrets = providers.Singleton(CsprngSecrets)
    suffixes = providers.Singleton(CsprngSuffixes)

    database = providers.Singleton(engine_from_url, settings.provided.database_url)
    connectors = providers.Singleton(PiccoloConnectorRepository, database)
    organisations = providers.Singleton(PiccoloOrganisationRepository, database)
    buckets = providers.Singleton(PiccoloManagedBucketRepository, database)

    aws_session = providers.ThreadSafeSingleton(_aws_session, settings)
    probe = providers.Selector(
        settings.provided.aws_mode,
        sandbox=providers.ThreadSafeSingleton(_sandbox_probe, settings, aws_session),
        aws=providers.ThreadSafeSingleton(_aws_probe, settings, aws_session),
    )
    provisioner = providers.Selector(
        settings.provided.aws_mode,
        sandbox=providers.ThreadSafeSingleton(_sandbox_provisioner, settings, aws_session),
        aws=providers.ThreadSafeSingleton(_aws_provisioner, settings, aws_session),
    )

    vendor = providers.Selector(
        settings.provided.aws_mode,
        sandbox=providers.ThreadSafeSingleton(_sandbox_vendor, settings, aws_session),
        aws=providers.ThreadSafeSingleton(_aws_vendor, settings, aws_session),
    )
    credential_cache = providers.Singleton(InProcessCredentialCache, clock)
    observed_vendor = providers.Factory(ObservedCredentialVendor, vendor)
    counted_cache = providers.Singleton(CountedCredentialCache, credential_cache)

    database_readiness = providers.Singleton(database_check, database)
    aws_readiness = providers.ThreadSafeSingleton(aws_check, settings, aws_session)
    readiness_checks = providers.Dict(database=database_readiness, aws=aws_readiness)

    logged_probe = providers.Factory(LoggedAccessProbe, probe)
    metered_probe = providers.Factory(MeteredAccessProbe, logged_probe)
    external_ids = providers.Factory(OrgExternalIds, organisations, secrets)
    platform_account = providers.Singleton(
        AccountId.parse, settings.provided.platform_account_id, "BUCKETLINK_PRINCIPAL_ARN"
    )
    probe_target = providers.Factory(
        TargetProbe, external_ids, metered_probe, platform_account, secrets
    )

    get_aws_setup = providers.Factory(GetAwsSetup, external_ids, settings.provided.principal_arn)
    register_s3_connector = providers.Factory(
        RegisterS3Connector, connectors, probe_target, clock, ids
    )
    validate_s3_connector = providers.Factory(ValidateS3Connector, probe_target)
    get_connector = providers.Factory(GetConnector, connectors)
    list_connectors = providers.Factory(ListConnectors, connectors)
    delete_connector = providers.Factory(DeleteConnector, connectors, credential_cache)
    verify_connector = providers.Factory(
        VerifyConnector, get_connector, probe_target, clock, credential_cache, connectors
    )
    vend_credentials = providers.Factory(
        VendCredentials,
        connectors,
        external_ids,
        observed_vendor,
        counted_cache,
        platform_account,
        settings.provided.region,
    )

    bucket_names = providers.Factory(
        BucketNameGenerator,
        providers.Factory(BucketPrefix, settings.provided.bucket_prefix),
        suffixes,
    )
    create_managed_bucket = providers.Factory(
        CreateManagedBucket,
        buckets,
        provisioner,
        bucket_names,
        clock,
        ids,
        platform_account,
        settings.provided.max_buckets_per_company,
    )
    list_managed_buckets = providers.Factory(ListManagedBuckets, buckets)
    get_managed_bucket = providers.Factory(GetManagedBucket, buckets)
    bucket_changes = providers.Factory(BucketChanges, buckets, ids, clock)
    change_bucket_access = providers.Factory(
        ChangeBucketAccess, bucket_changes, buckets, provisioner, clock, platform_account
    )
    delete_managed_bucket = providers.Factory(
        DeleteManagedBucket, bucket_changes, buckets, provisioner
    )
    set_access_lock = providers.Factory(SetAccessLock, buckets, clock)

    bucketlink: providers.Factory[Bucketlink]  # every use case above: made below the class


# Bucketlink's fields are the list of use cases; each is the provider of that name.
Container.bucketlink = providers.Factory(
    Bucketlink, **{name: getattr(Container, name) for name in USE_CASES}
)
