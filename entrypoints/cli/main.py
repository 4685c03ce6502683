"""The ``bucketlink`` command."""

from __future__ import annotations

import click

from entrypoints.cli.buckets import buckets
from entrypoints.cli.sandbox import sandbox
from entrypoints.cli.serve import migrate, serve
from entrypoints.cli.token import token


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="bucketlink")
def cli() -> None:
    """Keyless, cross-account S3 access: connectors and managed buckets."""


cli.add_command(serve)
cli.add_command(migrate)
cli.add_command(token)
cli.add_command(sandbox)
cli.add_command(buckets)
