"""Every problem's ``type`` leads to its code's entry on the catalogue, which is
rendered from the one list of codes, and docs/errors.md is that same list."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from litestar.testing import AsyncTestClient

from domain.error_codes import ErrorCode
from domain.errors import DomainError
from domain.probe import FAILURE_CODES, FIX_ADVICE
from entrypoints.http.error_catalogue import ERROR_KINDS
from entrypoints.http.error_pages import catalogue_markdown
from tests.conftest import bearer

DOCS = Path(__file__).resolve().parents[2] / "docs" / "errors.md"


async def test_the_catalogue_is_public_html_with_an_entry_for_every_code(
    client: AsyncTestClient[Any],
) -> None:
    response = await client.get("/errors")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    anchors = set(re.findall(r'<tr id="([a-z_]+)">', response.text))
    assert anchors == set(ERROR_KINDS)
    for kind in ERROR_KINDS.values():
        assert kind.advice, kind.code


async def test_a_problem_s_type_points_at_its_entry(client: AsyncTestClient[Any]) -> None:
    problems = [
        await client.get("/v1/connectors"),  # no token
        await client.get("/v1/connectors/s3/not-a-uuid", headers=bearer()),
        await client.post("/v1/connectors/s3", json={"credential_name": ""}, headers=bearer()),
    ]
    page = (await client.get("/errors")).text

    for problem in problems:
        body = problem.json()
        path, _, anchor = body["type"].partition("#")
        assert (path, anchor) == ("/errors", body["code"])
        assert f'<tr id="{anchor}">' in page


def test_docs_errors_md_is_the_catalogue_as_rendered_from_the_code() -> None:
    # Regenerate with: uv run python -m entrypoints.http.error_pages > docs/errors.md
    assert DOCS.read_text() == catalogue_markdown()


def test_the_catalogue_has_an_entry_for_every_error_code_and_no_other() -> None:
    # A code added to the enum but not documented (or documented but not in the
    # enum, so nothing can answer with it) fails here.
    assert set(ERROR_KINDS) == set(ErrorCode)
    assert all(type(code) is ErrorCode for code in ERROR_KINDS)
    assert all(kind.code is code for code, kind in ERROR_KINDS.items())


def test_every_domain_error_answers_a_catalogued_code() -> None:
    classes = [DomainError]
    for each in classes:
        classes += each.__subclasses__()
        assert each.code in ERROR_KINDS, each.__name__


def test_a_probe_failure_s_advice_is_the_fix_its_check_gives() -> None:
    for code, fix in FIX_ADVICE.items():
        assert fix in ERROR_KINDS[code].advice, code
        assert ERROR_KINDS[code].status == 422, code
    assert {*FAILURE_CODES.values(), ErrorCode.BUCKET_NOT_FOUND} == set(FIX_ADVICE)
