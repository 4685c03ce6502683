"""The schema as piccolo tables. Unbound: repositories use ``bound_to(table,
engine)``; piccolo's CLI uses them through ``piccolo_conf``."""

from __future__ import annotations

from piccolo.columns import UUID, BigInt, Boolean, Integer, Text, Timestamptz
from piccolo.table import Table


def _verified() -> Text:
    return Text(null=True, default=None)


class ConnectorTable(Table, tablename="connector"):
    id = UUID(primary_key=True)
    org_id = BigInt()
    user_id = Text()
    credential_name = Text()
    connector_type = Text()
    created_at = Timestamptz()
    updated_at = Timestamptz()
    # What the connector was verified against; the set matching connector_type
    # is filled, the rest stay NULL.
    verified_bucket_uri = _verified()
    verified_role_arn = _verified()
    verified_bucket_owner_account_id = _verified()
    verified_bucket_region = _verified()
    verified_account = _verified()
    verified_warehouse = _verified()
    verified_database = _verified()
    verified_schema_name = _verified()
    verified_server_hostname = _verified()
    verified_http_path = _verified()
    verified_catalog = _verified()


class OrganisationTable(Table, tablename="organisation"):
    org_id = BigInt(primary_key=True)
    external_id = Text()
    created_at = Timestamptz()


class ManagedBucketTable(Table, tablename="managed_bucket"):
    id = UUID(primary_key=True)
    company_id = BigInt()
    # S3 bucket names are global, so a second row by one name is a bug.
    name = Text(unique=True)
    resource_id = Text()
    # The grant: a role grant fills role_arn and external_id, a policy grant neither.
    access_type = Text()
    account_id = Text()
    role_arn = Text(null=True, default=None)
    external_id = Text(null=True, default=None)
    is_access_mutable = Boolean(default=True)
    created_at = Timestamptz()
    updated_at = Timestamptz()
    # Who is changing the bucket's AWS side, and until when the claim holds.
    change_lease = UUID(null=True, default=None)
    change_lease_until = Timestamptz(null=True, default=None)


class CompanyBucketCountTable(Table, tablename="company_bucket_count"):
    """How many managed buckets each company has, or is having made: the cap is
    one atomic compare-and-add on this row, exact however many instances race."""

    company_id = BigInt(primary_key=True)
    buckets = Integer(default=0)
