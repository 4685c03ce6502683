"""docs/in-process.md, run.

Its python blocks run in order in one namespace, as one reader's session (a
top-level ``await`` is awaited), and what each prints must be the output the
guide shows after it. Its test module runs under pytest, as in the reader's
service. Its tables of ports, use cases and errors must say what the code says.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import inspect
import io
import os
import re
import typing
from typing import Any

import pytest

from adapters.fakes import (
    fake_access_probe,
    fake_aws,
    fake_credential_vendor,
    fake_provisioner,
    in_memory_connectors,
    in_memory_managed_buckets,
    in_memory_organisations,
)
from adapters.persistence.piccolo.pool import open_pool
from application.bucketlink import Bucketlink
from domain import errors
from domain.probe import FIXES
from entrypoints import bootstrap
from entrypoints.http.error_catalogue import ERROR_KINDS
from entrypoints.settings import Settings
from tests.docs.markdown import DOCS, Block, fenced_blocks
from tests.docs.test_customer_guide import broken_links

GUIDE = "in-process.md"
DOCUMENT = fenced_blocks(GUIDE)
SESSION = [b for b in DOCUMENT if b.language == "python" and "file" not in b.tags]
TEST_MODULES = [b for b in DOCUMENT if b.language == "python" and "file" in b.tags]


def shown_output(block: Block) -> str:
    """What the guide shows ``block`` prints: the ``text output`` block right after it."""
    following = DOCUMENT[DOCUMENT.index(block) + 1 :][:1]
    if following and following[0].language == "text" and "output" in following[0].tags:
        return following[0].text
    return ""


async def run(block: Block, namespace: dict[str, Any]) -> str:
    """Runs ``block`` as the next input of a session, as ``python -m asyncio`` would;
    a traceback names the guide's own lines. Returns what it printed."""
    source = "\n" * block.line + block.text
    code = compile(source, str(DOCS / GUIDE), "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        result = eval(code, namespace)
        if inspect.iscoroutine(result):
            await result
    return printed.getvalue()


@pytest.mark.parametrize("upto", range(len(SESSION)), ids=[b.where for b in SESSION])
async def test_each_block_runs_after_the_ones_before_and_prints_what_the_guide_shows(
    upto: int,
) -> None:
    namespace: dict[str, Any] = {"__name__": "in_process_guide"}
    for block in SESSION[:upto]:
        await run(block, namespace)

    printed = await run(SESSION[upto], namespace)

    assert printed == shown_output(SESSION[upto])


class Outcomes:
    """A pytest plugin noting which tests passed."""

    def __init__(self) -> None:
        self.passed: set[str] = set()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call" and report.passed:
            self.passed.add(report.nodeid.rpartition("::")[2])


@pytest.mark.parametrize("block", TEST_MODULES, ids=lambda block: block.tags["file"])
def test_the_guides_test_module_passes_under_pytest(block: Block, tmp_path: Any) -> None:
    module = tmp_path / block.tags["file"]
    module.write_text(block.text)
    # A reader's pytest settings, not this project's (no asyncio_mode=auto).
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nasyncio_default_fixture_loop_scope = function\n"
    )
    outcomes = Outcomes()
    arguments = ["-q", "-p", "no:cacheprovider", "--import-mode=importlib"]
    settings = ["-c", str(tmp_path / "pytest.ini"), "--rootdir", str(tmp_path)]

    exit_code = pytest.main([str(module), *arguments, *settings], plugins=[outcomes])

    assert exit_code == pytest.ExitCode.OK
    defined = set(re.findall(r"^(?:async )?def (test_\w+)", block.text, re.MULTILINE))
    assert len(defined) >= 4
    assert outcomes.passed == defined


def test_every_block_is_run_and_every_output_follows_a_block_that_prints_it() -> None:
    assert {block.language for block in DOCUMENT} == {"python", "text"}
    for index, block in enumerate(DOCUMENT):
        if block.language == "text":
            assert "output" in block.tags, f"{block.where}: a text block that is no output"
            assert DOCUMENT[index - 1] in SESSION, f"{block.where}: output of no session block"
    assert len(SESSION) >= 10 and len(TEST_MODULES) == 1


# -- what the guide says of bootstrap() --


async def test_bootstrap_wires_without_connecting_and_reads_the_environment_only_unasked(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in [name for name in os.environ if name.startswith("BUCKETLINK_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("BUCKETLINK_SANDBOX_PORT", "9")  # nothing listens there

    explicit = bootstrap.bootstrap(Settings(principal_arn="arn:aws:iam::123456789012:role/p"))
    assert not (tmp_path / ".bucketlink").exists()
    from_environment = bootstrap.bootstrap()
    assert (tmp_path / ".bucketlink" / "jwt-secret").exists()
    assert isinstance(explicit, Bucketlink) and isinstance(from_environment, Bucketlink)

    with pytest.raises(TypeError, match="no port named nonsense"):
        bootstrap.bootstrap(Settings(), nonsense=object())

    # The long-running PostgreSQL recipe, on SQLite (where opening the pool is a no-op).
    container = bootstrap.build_container(Settings(database_url=f"sqlite:///{tmp_path}/db"))
    await open_pool(container.database())
    assert isinstance(container.bucketlink(), Bucketlink)


# -- the tables say what the code says --


def table(header: str) -> list[list[str]]:
    """The rows of the guide's table whose header row starts with ``header``."""
    lines = (DOCS / GUIDE).read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {header} |"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = re.split(r"(?<!\\)\|", line)[1:-1]
        rows.append([cell.strip().replace("\\|", "|") for cell in cells])
    return rows


def code(cell: str) -> str:
    """The text of a cell that is one piece of code."""
    found = re.fullmatch(r"`([^`]+)`", cell)
    assert found, f"expected one piece of code, found {cell!r}"
    return found[1]


def test_the_ports_are_the_ones_bootstrap_takes_and_the_fakes_exist() -> None:
    rows = table("port")
    fakes = {
        name
        for module in (
            fake_access_probe,
            fake_aws,
            fake_credential_vendor,
            fake_provisioner,
            in_memory_connectors,
            in_memory_managed_buckets,
            in_memory_organisations,
        )
        for name in dir(module)
    }

    assert sorted(code(row[0]) for row in rows) == sorted(bootstrap.PORTS)
    for row in rows:
        named = re.fullmatch(r"`(\w+)\(.*\)`", row[3])
        assert named is None or named[1] in fakes, row


def test_the_use_cases_are_bucketlinks_with_their_signatures() -> None:
    rows = {code(row[0]): code(row[1]) for row in table("use case")}
    use_cases = typing.get_type_hints(Bucketlink)

    assert list(rows) == [f.name for f in dataclasses.fields(Bucketlink)]
    for name, call in rows.items():
        assert call == signature(use_cases[name]), name


def signature(use_case: type) -> str:
    """``__call__``'s signature as the guide writes it: ``(a: A, *, b: B) -> C``."""
    parameters, starred = [], False
    for parameter in list(inspect.signature(use_case.__call__).parameters.values())[1:]:
        if parameter.kind is parameter.KEYWORD_ONLY and not starred:
            parameters.append("*")
            starred = True
        parameters.append(f"{parameter.name}: {parameter.annotation}")
    returns = inspect.signature(use_case.__call__).return_annotation
    return f"({', '.join(parameters)}) -> {returns}"


def test_the_errors_are_the_domains_with_their_codes() -> None:
    rows = {code(row[0]): row[1] for row in table("error")}
    domain_errors = {
        name: value
        for name, value in vars(errors).items()
        if isinstance(value, type) and issubclass(value, errors.DomainError)
    }

    assert rows.keys() == domain_errors.keys()
    for name, cell in rows.items():
        codes = set(re.findall(r"`(\w+)`", cell))
        assert codes <= set(ERROR_KINDS), name
        if name == "ProbeFailed":
            assert codes == set(FIXES)
        elif name != "Unavailable":  # only its subclasses' codes are ever seen
            assert codes == {domain_errors[name].code}, name


def test_links_point_at_what_exists() -> None:
    assert broken_links(GUIDE) == []
