from __future__ import annotations

from dataclasses import dataclass, fields

from application.change_bucket_access import ChangeBucketAccess
from application.connector_queries import DeleteConnector, GetConnector, ListConnectors
from application.create_managed_bucket import CreateManagedBucket
from application.delete_managed_bucket import DeleteManagedBucket
from application.get_aws_setup import GetAwsSetup
from application.managed_bucket_queries import GetManagedBucket, ListManagedBuckets
from application.register_s3_connector import RegisterS3Connector
from application.set_access_lock import SetAccessLock
from application.validate_s3_connector import ValidateS3Connector
from application.vend_credentials import VendCredentials
from application.verify_connector import VerifyConnector


@dataclass(frozen=True, slots=True)
class Bucketlink:
    """The use cases, ready to call in-process: what ``bootstrap()`` returns."""

    get_aws_setup: GetAwsSetup
    register_s3_connector: RegisterS3Connector
    validate_s3_connector: ValidateS3Connector
    verify_connector: VerifyConnector
    list_connectors: ListConnectors
    get_connector: GetConnector
    delete_connector: DeleteConnector
    create_managed_bucket: CreateManagedBucket
    list_managed_buckets: ListManagedBuckets
    get_managed_bucket: GetManagedBucket
    change_bucket_access: ChangeBucketAccess
    delete_managed_bucket: DeleteManagedBucket
    set_access_lock: SetAccessLock
    vend_credentials: VendCredentials


USE_CASES: tuple[str, ...] = tuple(field.name for field in fields(Bucketlink))
"""Every use case's name: the container provides each under it, the HTTP app
injects each under it."""
