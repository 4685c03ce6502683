from __future__ import annotations

import re
from dataclasses import dataclass

from domain.errors import InvalidField

# sts:ExternalId as AWS accepts it (stated once, for the schema too).
CHARACTERS = "[A-Za-z0-9+=,.@:/-]"
MIN_LENGTH, MAX_LENGTH = 2, 1224
_EXTERNAL_ID = re.compile(f"{CHARACTERS}{{{MIN_LENGTH},{MAX_LENGTH}}}")


@dataclass(frozen=True, slots=True)
class ExternalId:
    """The secret a role's trust policy asks for. ``repr`` hides it so it never
    lands in a log line by accident."""

    value: str

    def __post_init__(self) -> None:
        if not isinstance(self.value, str) or not _EXTERNAL_ID.fullmatch(self.value):
            raise InvalidField(
                "external_id",
                f"must be {MIN_LENGTH}-{MAX_LENGTH} characters of A-Z a-z 0-9 + = , . @ : / -",
            )

    def __repr__(self) -> str:
        return "ExternalId(***)"

    def __str__(self) -> str:
        return self.value
