from __future__ import annotations

import re
from dataclasses import dataclass

from domain.errors import InvalidField

# Stated here once for the schema too (entrypoints/http/schemas/buckets.py), and
# for the room a managed bucket's name leaves (domain/bucket_naming.py).
CHARACTERS = "[a-z0-9-]"
MIN_LENGTH, MAX_LENGTH = 2, 42
_RESOURCE_ID = re.compile(f"{CHARACTERS}{{{MIN_LENGTH},{MAX_LENGTH}}}")


@dataclass(frozen=True, slots=True)
class ResourceId:
    """The customer's short name that goes into a managed bucket's name."""

    value: str

    def __post_init__(self) -> None:
        if not isinstance(self.value, str) or not _RESOURCE_ID.fullmatch(self.value):
            raise InvalidField(
                "resource_id",
                f"must be {MIN_LENGTH}-{MAX_LENGTH} characters of lowercase letters, "
                "digits and '-'",
            )

    def __str__(self) -> str:
        return self.value
