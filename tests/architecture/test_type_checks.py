"""mypy, as configured in pyproject.toml: strict for the domain and the use cases,
checked (less strictly) for adapters and entrypoints."""

from __future__ import annotations

from pathlib import Path

from mypy import api


def run_mypy(*args: str) -> tuple[str, int]:
    stdout, stderr, status = api.run(["--config-file", "pyproject.toml", *args])
    return stdout + stderr, status


def test_domain_and_application_pass_mypy_strict(project_root: Path) -> None:
    report, status = run_mypy("--strict", "domain", "application")
    assert status == 0, report


def test_the_whole_project_type_checks(project_root: Path) -> None:
    report, status = run_mypy()
    assert status == 0, report
