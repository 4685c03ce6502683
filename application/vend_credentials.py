from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.connector_queries import connector_not_found
from application.external_ids import OrgExternalIds
from domain.account_id import AccountId
from domain.connector import Connector, ConnectorType, S3Target
from domain.identity import Caller
from domain.ports.connector_repository import ConnectorRepository
from domain.ports.credential_cache import CacheKey, CredentialCache
from domain.ports.credential_vendor import CredentialVendor, SessionCredentials, SessionRequest
from domain.s3_uri import BucketName
from domain.vending import VendAccess, VendRequest, key_prefix, packed, session_name, session_policy

# The request's defaults: read, the connector's whole prefix, an hour.
WHOLE_PREFIX_READ = VendRequest()


@dataclass(frozen=True, slots=True)
class VendedCredentials:
    connector_id: UUID
    access: VendAccess
    bucket: BucketName
    prefix: str
    region: str
    credentials: SessionCredentials


@dataclass(frozen=True, slots=True)
class VendCredentials:
    """Short-lived credentials for a connector's bucket, down-scoped to a prefix
    (contract section 10). The external id comes from the caller's org; a cached
    credential is served while more than a quarter of its life remains, so a
    miss costs exactly one AssumeRole."""

    connectors: ConnectorRepository
    external_ids: OrgExternalIds
    vendor: CredentialVendor
    cache: CredentialCache
    platform_account: AccountId
    # For connectors registered before their bucket's region was recorded.
    region: str

    async def __call__(
        self, caller: Caller, connector_id: UUID, request: VendRequest = WHOLE_PREFIX_READ
    ) -> VendedCredentials:
        connector = await self._connector(caller, connector_id)
        target = _s3(connector)
        prefix = key_prefix(target.bucket_uri.prefix, request.prefix)
        key = CacheKey(connector.id, request.access.value, prefix)
        credentials = await self.cache.fetch(
            key, lambda: self._assume(caller, connector, target, prefix, request)
        )
        # The bucket's own region: an engine sent elsewhere fails on its first call.
        region = target.region or self.region
        return VendedCredentials(
            connector.id, request.access, target.bucket_uri.bucket, prefix, region, credentials
        )

    async def _connector(self, caller: Caller, connector_id: UUID) -> Connector:
        # The owner, or a service of the same organisation: another org's is 404.
        if caller.is_service:
            found = await self.connectors.get_in_org(caller.org_id, ConnectorType.S3, connector_id)
        else:
            found = await self.connectors.get(caller, ConnectorType.S3, connector_id)
        if found is None:
            raise connector_not_found(connector_id)
        return found

    async def _assume(
        self,
        caller: Caller,
        connector: Connector,
        target: S3Target,
        prefix: str,
        request: VendRequest,
    ) -> SessionCredentials:
        target.refuse_platform_role(self.platform_account)
        bucket, owner = target.bucket_uri.bucket, target.bucket_owner
        policy = session_policy(bucket, owner, prefix, request.access)
        return await self.vendor.vend(
            SessionRequest(
                role=target.role_arn,
                external_id=await self.external_ids.for_org(caller.org_id),
                session_name=session_name(caller.org_id, connector.id),
                policy=packed(policy),
                duration_seconds=request.duration.seconds,
            )
        )


def _s3(connector: Connector) -> S3Target:
    if connector.s3 is None:  # no other connector type can be stored yet
        raise connector_not_found(connector.id)
    return connector.s3
