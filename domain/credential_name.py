from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from domain.errors import DuplicateCredentialName, InvalidField
from domain.unsafe_text import RULE, unsafe_character

MAX_LENGTH = 128

# Unicode's default-ignorable code points that are neither spaces nor format
# characters: combining joiners, variation selectors and Hangul fillers render as
# nothing, and a name made of them is as blank as one made of spaces.
_ALSO_INVISIBLE = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u3164\uffa0"
    + "".join(map(chr, range(0xFE00, 0xFE10)))
    + "".join(map(chr, range(0xE0100, 0xE01F0)))
)


@dataclass(frozen=True, slots=True)
class CredentialName:
    value: str

    def __post_init__(self) -> None:
        if not 1 <= len(self.value) <= MAX_LENGTH:
            raise InvalidField("credential_name", f"must be 1-{MAX_LENGTH} characters")
        if unsafe_character(self.value) is not None:
            raise InvalidField("credential_name", RULE)
        if _only_invisible(self.value):
            raise InvalidField("credential_name", "must not be blank")

    def __str__(self) -> str:
        return self.value


def credential_name_taken(name: CredentialName) -> DuplicateCredentialName:
    """The one wording for a name its owner already uses, whether the use case's
    early look or the store's unique index finds it out."""
    return DuplicateCredentialName(f"you already have a connector named {name.value!r}")


def _only_invisible(text: str) -> bool:
    # A zero-width space is as blank as a space to the person reading the name.
    return all(
        c.isspace() or c in _ALSO_INVISIBLE or unicodedata.category(c) in {"Cf", "Zs"} for c in text
    )
