"""The error catalogue as people read it, rendered from ``error_catalogue``:
HTML for ``GET /errors`` (where every problem's ``type`` points) and Markdown
for ``docs/errors.md``. Regenerate the latter with
``uv run python -m entrypoints.http.error_pages > docs/errors.md``."""

from __future__ import annotations

import html
import re

from entrypoints.http.error_catalogue import ERROR_KINDS, ErrorKind

_INTRO = (
    "Every error answers `application/problem+json` with `status`, `title`, `detail`, "
    "a stable `code` and a `type` that links to the code's entry here; bad input also "
    "lists each bad field under `errors`. Every response carries `x-request-id`."
)
_CODE = re.compile(r"`([^`]+)`")


def catalogue_markdown() -> str:
    lines = ["# Error codes", "", _INTRO, "", "| code | status | meaning | what to do |"]
    lines.append("|---|---|---|---|")
    lines += [
        f'| <a id="{k.code}"></a>`{k.code}` | {k.status} | {k.title} | {k.advice} |'
        for k in _by_status()
    ]
    return "\n".join(lines) + "\n"


def catalogue_html() -> str:
    rows = "\n".join(_html_row(kind) for kind in _by_status())
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>bucketlink error codes</title></head><body>"
        f"<h1>Error codes</h1><p>{_inline_code(_INTRO)}</p>"
        "<table><thead><tr><th>code</th><th>status</th><th>meaning</th>"
        f"<th>what to do</th></tr></thead><tbody>\n{rows}\n</tbody></table></body></html>"
    )


def _html_row(kind: ErrorKind) -> str:
    return (
        f'<tr id="{kind.code}"><td><code>{kind.code}</code></td><td>{kind.status}</td>'
        f"<td>{html.escape(kind.title)}</td><td>{_inline_code(kind.advice)}</td></tr>"
    )


def _inline_code(text: str) -> str:
    return _CODE.sub(r"<code>\1</code>", html.escape(text, quote=False))


def _by_status() -> list[ErrorKind]:
    return sorted(ERROR_KINDS.values(), key=lambda kind: (kind.status, kind.code))


if __name__ == "__main__":
    print(catalogue_markdown(), end="")
