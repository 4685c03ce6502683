"""Fenced code blocks read out of the docs, so that the tests can run the
examples a reader would copy."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"
_FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Block:
    """One fenced block: ```` ```python example=register ```` gives language
    ``python`` and tags ``{"example": "register"}`` (a bare word is a tag with value "")."""

    language: str
    tags: dict[str, str]
    text: str
    line: int

    @property
    def where(self) -> str:
        return f"line {self.line}"


def fenced_blocks(document: Path | str, language: str | None = None) -> list[Block]:
    path = DOCS / document if isinstance(document, str) else document
    text = path.read_text()
    blocks = []
    for match in _FENCE.finditer(text):
        words = match[1].split()
        block = Block(
            language=words[0] if words else "",
            tags=dict(_tag(word) for word in words[1:]),
            text=match[2],
            line=text.count("\n", 0, match.start()) + 1,
        )
        if language is None or block.language == language:
            blocks.append(block)
    return blocks


def _tag(word: str) -> tuple[str, str]:
    name, _, value = word.partition("=")
    return name, value
