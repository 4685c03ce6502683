"""The schema as piccolo tables. Unbound: repositories use ``bound_to(table,
engine)``; piccolo's CLI uses them through ``piccolo_conf``."""

from __future__ import annotations

from piccolo.columns import UUID, BigInt, Text, Timestamptz
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
