"""The CLI's view of the database: migrations, and refusing to work on an old schema."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Awaitable, Callable

import anyio
import click

from adapters.persistence.piccolo import InvalidDatabaseUrl, pending_migrations
from adapters.persistence.piccolo import migrate as apply_migrations
from domain.errors import DatabaseUnavailable
from entrypoints.settings import Settings


def _on_database(task: Callable[[str], Awaitable[list[str]]], settings: Settings) -> list[str]:
    try:
        # piccolo prints each migration's progress; the command says what happened.
        with contextlib.redirect_stdout(io.StringIO()):
            return anyio.run(task, settings.database_url)
    except DatabaseUnavailable as error:
        raise click.ClickException(f"cannot reach the database: {error.detail}") from None
    except InvalidDatabaseUrl as error:
        raise click.UsageError(f"BUCKETLINK_DATABASE_URL: {error}") from None


def run_migrations(settings: Settings) -> list[str]:
    return _on_database(apply_migrations, settings)


def refuse_outdated_schema(settings: Settings) -> None:
    pending = _on_database(pending_migrations, settings)
    if pending:
        raise click.ClickException(
            f"the database schema is out of date ({len(pending)} migration(s) pending: "
            f"{', '.join(pending)}). Run `bucketlink migrate` (or `serve --migrate`)."
        )
