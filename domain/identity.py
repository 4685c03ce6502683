from __future__ import annotations

from dataclasses import dataclass

from domain.errors import InvalidField
from domain.unsafe_text import RULE, unsafe_character

# The widest integer a database bigint holds; it also keeps the STS role session
# name that names the org within its 64 characters.
MAX_ORG_ID = 2**63 - 1
# Users are named by their identity provider; 256 is more than any gives.
MAX_USER_ID = 256


@dataclass(frozen=True, slots=True)
class OrgId:
    """An organisation; also the ``company_id`` of its managed buckets."""

    value: int

    def __post_init__(self) -> None:
        if (
            isinstance(self.value, bool)
            or not isinstance(self.value, int)
            or not 1 <= self.value <= MAX_ORG_ID
        ):
            raise InvalidField("org_id", f"must be an integer from 1 to {MAX_ORG_ID}")

    def __str__(self) -> str:
        return str(self.value)


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is asking: a user within an organisation, as the access token says."""

    user_id: str
    org_id: OrgId

    def __post_init__(self) -> None:
        if not isinstance(self.user_id, str) or not 1 <= len(self.user_id) <= MAX_USER_ID:
            raise InvalidField("sub", f"must be 1-{MAX_USER_ID} characters")
        if unsafe_character(self.user_id) is not None:
            raise InvalidField("sub", RULE)
