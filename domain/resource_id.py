from __future__ import annotations

import re
from dataclasses import dataclass

from domain.errors import InvalidField

_RESOURCE_ID = re.compile(r"[a-z0-9-]{2,42}")


@dataclass(frozen=True, slots=True)
class ResourceId:
    """The customer's short name that goes into a managed bucket's name."""

    value: str

    def __post_init__(self) -> None:
        if not isinstance(self.value, str) or not _RESOURCE_ID.fullmatch(self.value):
            raise InvalidField(
                "resource_id", "must be 2-42 characters of lowercase letters, digits and '-'"
            )

    def __str__(self) -> str:
        return self.value
