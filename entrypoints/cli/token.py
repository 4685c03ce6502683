from __future__ import annotations

from datetime import timedelta

import click

from entrypoints.cli.settings_option import settings_or_exit
from entrypoints.http.tokens import issue_token


@click.command(short_help="Print a signed access (or refresh) token.")
@click.option("--user", required=True, help="The user id (the token's sub).")
@click.option("--org", required=True, type=click.IntRange(min=1), help="The organisation id.")
@click.option(
    "--ttl",
    default=3600,
    show_default=True,
    type=click.IntRange(min=1),
    help="Lifetime in seconds.",
)
@click.option("--refresh", is_flag=True, help="Print a refresh token instead of an access token.")
def token(user: str, org: int, ttl: int, refresh: bool) -> None:
    """Print a signed token for USER in ORG (uses BUCKETLINK_JWT_SECRET)."""
    settings = settings_or_exit()
    click.echo(issue_token(settings.jwt_secret, user, org, timedelta(seconds=ttl), refresh=refresh))
