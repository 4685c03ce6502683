from __future__ import annotations

from datetime import timedelta
from typing import Any

import click

from domain.errors import InvalidField
from domain.identity import SERVICE_NAME_RULE, Caller, OrgId, ServiceName
from entrypoints.cli.settings_option import settings_or_exit
from entrypoints.http.tokens import issue_service_token, issue_token


class ServiceNameType(click.ParamType):
    name = "name"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, ServiceName):
            return value
        try:
            return ServiceName(value)
        except InvalidField:
            self.fail(f"{value!r} {SERVICE_NAME_RULE}", param, ctx)


@click.command(short_help="Print a signed token for a user or service.")
@click.option("--user", help="The user id (the token's sub).")
@click.option(
    "--service",
    type=ServiceNameType(),
    help="A platform job's name: the token's sub is service:NAME, with scope "
    "credentials, and it may only vend credentials. "
    f"NAME {SERVICE_NAME_RULE}.",
)
@click.option("--org", required=True, type=click.IntRange(min=1), help="The organisation id.")
@click.option(
    "--ttl",
    default=3600,
    show_default=True,
    type=click.IntRange(min=1),
    help="Lifetime in seconds.",
)
@click.option(
    "--refresh",
    is_flag=True,
    help="Print a refresh token instead of an access token (users only).",
)
def token(user: str | None, service: ServiceName | None, org: int, ttl: int, refresh: bool) -> None:
    """Print a signed token for USER, or for SERVICE, in ORG (uses
    BUCKETLINK_JWT_SECRET). Give exactly one of --user and --service.

    A service token has no refresh token: it is minted for a machine, which
    asks whoever minted it for another when it expires; a refresh token would
    be a long-lived secret that mints credential-vending tokens forever.
    """
    if user is not None and service is not None:
        raise click.UsageError(
            "--user and --service are mutually exclusive: a token names one caller"
        )
    if service is not None:
        if refresh:
            raise click.UsageError(
                "--refresh is for users: a service token is never refreshed; "
                "mint a new one with --service when it expires"
            )
        settings = settings_or_exit()
        click.echo(issue_service_token(settings.jwt_secret, service, org, timedelta(seconds=ttl)))
        return
    if user is None:
        raise click.UsageError("give --user USER or --service NAME")
    _refuse_what_the_service_would(user, org)
    settings = settings_or_exit()
    click.echo(issue_token(settings.jwt_secret, user, org, timedelta(seconds=ttl), refresh=refresh))


def _refuse_what_the_service_would(user: str, org: int) -> None:
    # A token the service refuses is no use; "service:..." above all, which
    # would read as a service's name without being a service token.
    try:
        Caller(user, OrgId(org))
    except InvalidField as error:
        raise click.BadParameter(error.message, param_hint="--user") from None
