"""Characters no text the service stores or echoes may hold.

Control characters (Unicode category Cc: C0, DEL and C1) break logs and
terminals, and NUL is refused outright by PostgreSQL's text type, so a value
SQLite takes would fail only on PostgreSQL; the bidirectional overrides and
isolates (U+202A-U+202E, U+2066-U+2069) make a name read otherwise than it is
(the "Trojan Source" trick)."""

from __future__ import annotations

import unicodedata

BIDI_CONTROLS = frozenset(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
RULE = "must not contain control characters or bidirectional overrides"


def unsafe_character(text: str) -> str | None:
    """The first character of ``text`` that must not be stored; None if there is none."""
    return next((c for c in text if c in BIDI_CONTROLS or unicodedata.category(c) == "Cc"), None)
