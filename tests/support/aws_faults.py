"""Faults injected into a real boto3 client, as AWS would produce them."""

from __future__ import annotations

from typing import Any

from botocore.client import BaseClient
from botocore.exceptions import ClientError


def fail_next_call(client: BaseClient, operation: str) -> None:
    """The client's next ``operation`` fails as botocore does once its retries
    of a 503 have run out; later calls work again."""
    event = f"before-call.{client.meta.service_model.service_id.hyphenize()}.{operation}"

    def fail_once(**_: Any) -> None:
        client.meta.events.unregister(event, fail_once)
        raise ClientError(
            {
                "Error": {"Code": "ServiceUnavailable", "Message": "injected"},
                "ResponseMetadata": {"HTTPStatusCode": 503},
            },
            operation,
        )

    client.meta.events.register(event, fail_once)


def client_for(operation: str, *clients: BaseClient) -> BaseClient:
    """Which of ``clients`` has ``operation``."""
    return next(c for c in clients if operation in c.meta.service_model.operation_names)
