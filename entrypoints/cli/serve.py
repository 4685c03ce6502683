from __future__ import annotations

from typing import TYPE_CHECKING

import click

from entrypoints.cli.database import refuse_outdated_schema, run_migrations
from entrypoints.cli.settings_option import settings_or_exit
from entrypoints.settings import Settings

if TYPE_CHECKING:
    from adapters.sandbox.emulator import Emulator


@click.command(short_help="Apply pending database migrations.")
def migrate() -> None:
    """Bring the database schema up to date (BUCKETLINK_DATABASE_URL)."""
    settings = settings_or_exit()
    applied = run_migrations(settings)
    click.echo(f"applied {', '.join(applied)}" if applied else "the schema is up to date")


@click.command(short_help="Run the API (and, in the sandbox, the AWS emulator).")
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="The port to listen on.",
)
@click.option(
    "--migrate",
    "migrate_first",
    is_flag=True,
    help="Apply pending migrations before starting (else serve refuses to start).",
)
def serve(host: str, port: int, migrate_first: bool) -> None:
    """Start the API (OpenAPI at /schema); in the sandbox, the AWS emulator too."""
    settings = settings_or_exit()
    if migrate_first:
        run_migrations(settings)
    refuse_outdated_schema(settings)
    emulator = _start_emulator(settings) if settings.sandbox else None
    try:
        _announce(settings, host, port)
        _serve_http(host, port, settings.log_level)
    finally:
        if emulator is not None:
            emulator.stop()


def _serve_http(host: str, port: int, log_level: str) -> None:
    # uvicorn with uvloop and httptools, in this process (docs/performance.md
    # says why not granian). The app is built from the environment this
    # command has just checked.
    import uvicorn

    from entrypoints.http.bounded_http import BoundedHttpToolsProtocol
    from entrypoints.logs import configure_logging

    configure_logging(log_level)  # uvicorn's lines as JSON too: it configures none itself
    uvicorn.run(
        "entrypoints.http.asgi:create",
        factory=True,
        host=host,
        port=port,
        loop="uvloop",
        http=BoundedHttpToolsProtocol,  # httptools, with bounds on a request's head
        log_config=None,
        access_log=False,  # entrypoints/http/access_log.py logs each request
        server_header=False,
    )


def _start_emulator(settings: Settings) -> Emulator:
    from adapters.sandbox.emulator import Emulator, EmulatorError
    from domain.account_id import AccountId
    from domain.bucket_naming import BucketPrefix
    from domain.platform_policy import platform_principal_policy

    # The platform role holds the operator guide's policy, for these settings.
    emulator = Emulator(
        port=settings.sandbox_port,
        principal_arn=settings.principal_arn,
        platform_policy=platform_principal_policy(
            AccountId(settings.principal_arn.split(":")[4]),
            BucketPrefix(settings.bucket_prefix),
            settings.role_boundary_arn,
        ),
    )
    try:
        emulator.start()
    except EmulatorError as error:
        raise click.ClickException(
            f"cannot start the sandbox AWS emulator: {error}. "
            "Set BUCKETLINK_SANDBOX_PORT to a free port."
        ) from None
    return emulator


def _announce(settings: Settings, host: str, port: int) -> None:
    base = f"http://{host}:{port}"
    click.echo(f"bucketlink API          {base}  (OpenAPI UI at {base}/schema)")
    click.echo(f"database                {_safe_url(settings.database_url)}")
    if settings.sandbox:
        click.echo(
            f"sandbox AWS emulator    {settings.sandbox_endpoint}  "
            f"(platform principal {settings.principal_arn})"
        )
        # The database outlives the emulator: say so before a bucket looks broken.
        click.echo(
            "                        starts empty: buckets and roles made before this start "
            "are gone from it (their access changes answer 409 bucket_missing; delete them)"
        )
        if settings.jwt_secret_generated:
            click.echo(
                "token secret            generated for the sandbox and kept in "
                ".bucketlink/jwt-secret; `bucketlink token --user me --org 1` signs with it"
            )
    else:
        click.echo("AWS                     real AWS through boto3's default credential chain")


def _safe_url(url: str) -> str:
    # A PostgreSQL URL may carry a password: show only where it points.
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.rpartition('@')[2]}"
