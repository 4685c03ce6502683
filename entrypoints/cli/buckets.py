from __future__ import annotations

import json
import uuid

import anyio
import click

from domain.errors import DomainError
from entrypoints.cli.settings_option import settings_or_exit


@click.group(short_help="Operators' actions on managed buckets.")
def buckets() -> None:
    """Operators' actions on managed buckets."""


def _set_lock(bucket_id: uuid.UUID, mutable: bool) -> None:
    from entrypoints.bootstrap import bootstrap

    set_access_lock = bootstrap(settings_or_exit()).set_access_lock
    try:
        bucket = anyio.run(lambda: set_access_lock(bucket_id, mutable=mutable))
    except DomainError as error:
        raise click.ClickException(error.detail) from None
    state = "mutable" if bucket.is_access_mutable else "locked"
    click.echo(json.dumps({"id": str(bucket.id), "name": bucket.name.value, "access": state}))


@buckets.command("lock-access", short_help="Forbid access changes to a managed bucket.")
@click.argument("bucket_id", type=click.UUID)
def lock_access(bucket_id: uuid.UUID) -> None:
    """Forbid access changes to BUCKET_ID (e.g. after configuring it by hand)."""
    _set_lock(bucket_id, mutable=False)


@buckets.command("unlock-access", short_help="Allow access changes to a bucket again.")
@click.argument("bucket_id", type=click.UUID)
def unlock_access(bucket_id: uuid.UUID) -> None:
    """Allow access changes to BUCKET_ID again."""
    _set_lock(bucket_id, mutable=True)
