"""Every problem's ``type`` leads to its code's entry on the catalogue, which is
rendered from the one list of codes, and docs/errors.md is that same list."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from litestar.testing import AsyncTestClient

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
