"""`bucketlink --help`, `--version` and every command's `--help`: each command
is listed with its whole summary, says what it does, and every option says
what it takes."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.metadata import version

import click
import pytest
from click.testing import CliRunner

from entrypoints.cli.main import cli


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        assert command is not None, name
        yield (*path, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


def _command(path: tuple[str, ...]) -> click.Command:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        found = command.get_command(click.Context(command), name)
        assert found is not None, path
        command = found
    return command


COMMANDS = list(_commands(cli))


def test_every_command_is_reachable() -> None:
    assert {" ".join(path) for path in COMMANDS} == {
        "serve",
        "migrate",
        "token",
        "sandbox",
        "sandbox credentials",
        "sandbox customer",
        "buckets",
        "buckets lock-access",
        "buckets unlock-access",
    }


def test_version_is_the_installed_packages() -> None:
    result = CliRunner().invoke(cli, ["--version"], prog_name="bucketlink")
    assert result.exit_code == 0
    assert result.output == f"bucketlink, version {version('bucketlink')}\n"


@pytest.mark.parametrize("path", [(), *COMMANDS], ids=lambda path: " ".join(path) or "bucketlink")
def test_help_lists_each_subcommand_whole(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"], prog_name="bucketlink")
    assert result.exit_code == 0, result.output
    command = _command(path)
    assert command.help, path
    assert " ".join(command.help.split()) in " ".join(result.output.split())
    if isinstance(command, click.Group):
        for name in command.list_commands(click.Context(command)):
            summary = _command((*path, name)).get_short_help_str(limit=45)
            assert not summary.endswith("..."), f"{name}: {summary}"
            assert f"{name}  " in result.output and summary in result.output


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_option_says_what_it_takes(path: tuple[str, ...]) -> None:
    for parameter in _command(path).params:
        if isinstance(parameter, click.Option) and parameter.name != "help":
            assert parameter.help, f"{' '.join(path)} {parameter.opts}"
