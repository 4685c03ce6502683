from __future__ import annotations

import json

import anyio
import click
from botocore.exceptions import BotoCoreError

from adapters.sandbox import defaults
from adapters.sandbox.customer import create_sandbox_customer
from adapters.sandbox.emulator import EmulatorError, administrator
from domain.errors import DomainError
from domain.identity import Caller, OrgId
from entrypoints.cli.database import refuse_outdated_schema
from entrypoints.cli.settings_option import settings_or_exit


@click.group(short_help="Play a customer in the sandbox's AWS emulator.")
def sandbox() -> None:
    """Set things up in the sandbox's AWS emulator (`bucketlink serve` must be running)."""


@sandbox.command(short_help="Make a customer's role and bucket; print the body.")
@click.option("--org", required=True, type=click.IntRange(min=1), help="The organisation id.")
@click.option(
    "--account",
    default=defaults.CUSTOMER_ACCOUNT_ID,
    show_default=True,
    help="The customer's 12-digit AWS account.",
)
@click.option("--bucket", default=None, help="The customer's bucket (default: a fresh name).")
def customer(org: int, account: str, bucket: str | None) -> None:
    """Create a customer's bucket and a role trusting the platform under ORG's
    external id, and print the body for POST /v1/connectors/s3."""
    from entrypoints.bootstrap import bootstrap

    settings = settings_or_exit()
    if not settings.sandbox:
        raise click.UsageError("`sandbox customer` needs BUCKETLINK_AWS=sandbox")
    refuse_outdated_schema(settings)
    try:
        setup = anyio.run(bootstrap(settings).get_aws_setup, Caller("sandbox-cli", OrgId(org)))
    except DomainError as error:
        raise click.ClickException(error.detail) from None
    try:
        body = create_sandbox_customer(
            settings.sandbox_endpoint,
            settings.principal_arn,
            setup.external_id,
            org,
            account_id=account,
            bucket=bucket,
        )
    except (BotoCoreError, EmulatorError) as error:  # the emulator runs inside `serve`
        raise _unreachable(settings.sandbox_endpoint, error) from None
    click.echo(json.dumps(body, indent=2))


@sandbox.command(short_help="Print an administrator's credentials for an emulator account.")
@click.option(
    "--account",
    default=defaults.CUSTOMER_ACCOUNT_ID,
    show_default=True,
    help="The 12-digit AWS account (any, the platform's included).",
)
def credentials(account: str) -> None:
    """Print the key of ACCOUNT's administrator in the emulator (made on first
    use), its HTTPS endpoint and the CA file that verifies it, as JSON."""
    settings = settings_or_exit()
    if not settings.sandbox:
        raise click.UsageError("`sandbox credentials` needs BUCKETLINK_AWS=sandbox")
    if not (len(account) == 12 and account.isdigit()):
        raise click.BadParameter("must be exactly 12 digits", param_hint="--account")
    try:
        found = administrator(settings.sandbox_endpoint, account)
    except EmulatorError as error:
        raise _unreachable(settings.sandbox_endpoint, error) from None
    click.echo(json.dumps(found.as_json(), indent=2))


def _unreachable(endpoint: str, error: Exception) -> click.ClickException:
    return click.ClickException(
        f"cannot reach the sandbox AWS emulator at {endpoint} "
        f"({type(error).__name__}); start it with `bucketlink serve`"
    )
