"""The ``bucketlink`` command."""

from __future__ import annotations

import importlib
from typing import Any

import click

# Each command's module is imported when that command runs (click's lazy-group
# pattern): `serve` need not pay for what `sandbox` or `token` import, and the
# server's own worker imports the app (docs/performance.md).
_COMMANDS = {
    "serve": "entrypoints.cli.serve:serve",
    "migrate": "entrypoints.cli.serve:migrate",
    "token": "entrypoints.cli.token:token",
    "sandbox": "entrypoints.cli.sandbox:sandbox",
    "buckets": "entrypoints.cli.buckets:buckets",
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in _COMMANDS:
            return None
        module, _, name = _COMMANDS[cmd_name].partition(":")
        command: Any = getattr(importlib.import_module(module), name)
        return command


@click.group(
    cls=_LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Configured by BUCKETLINK_* environment variables (docs/operator-guide.md); "
    "with none set: SQLite and the sandbox AWS emulator. "
    "`bucketlink COMMAND --help` describes a command.",
)
@click.version_option(package_name="bucketlink")
def cli() -> None:
    """Keyless, cross-account S3 access: connectors and managed buckets."""
