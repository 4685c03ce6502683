from __future__ import annotations

import re
from dataclasses import dataclass

from domain.errors import InvalidField
from domain.unsafe_text import RULE, unsafe_character

# The widest integer a database bigint holds; it also keeps the STS role session
# name that names the org within its 64 characters.
MAX_ORG_ID = 2**63 - 1
# Users are named by their identity provider; 256 is more than any gives.
MAX_USER_ID = 256
# A service names itself in a token's sub as "service:NAME" (contract §10), so
# no user id may start so: a user can never pass for a service, nor own what
# a service does.
SERVICE_PREFIX = "service:"
SERVICE_NAME_RULE = "must be 1-64 characters, each a letter, a digit, '.', '_' or '-'"
_SERVICE_NAME = re.compile(r"[A-Za-z0-9._-]{1,64}")


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
class ServiceName:
    """A platform job that holds a service token: it may vend credentials only."""

    value: str

    def __post_init__(self) -> None:
        # fullmatch, not match: "$" would let a trailing newline through.
        if not isinstance(self.value, str) or not _SERVICE_NAME.fullmatch(self.value):
            raise InvalidField("service", SERVICE_NAME_RULE)

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is asking, as the access token says: a user within an organisation,
    or a service of that organisation (``Caller.of_service``), whose
    ``user_id`` is then ``service:NAME``, the actor the audit trail names."""

    user_id: str
    org_id: OrgId
    service: ServiceName | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.user_id, str) or not 1 <= len(self.user_id) <= MAX_USER_ID:
            raise InvalidField("sub", f"must be 1-{MAX_USER_ID} characters")
        if unsafe_character(self.user_id) is not None:
            raise InvalidField("sub", RULE)
        if self.service is None and self.user_id.startswith(SERVICE_PREFIX):
            raise InvalidField(
                "sub", f"must not start with {SERVICE_PREFIX!r}, which names a service"
            )
        if self.service is not None and self.user_id != f"{SERVICE_PREFIX}{self.service}":
            raise InvalidField(
                "sub", f"a service's must be {SERVICE_PREFIX!r} followed by its name"
            )

    @classmethod
    def of_service(cls, name: ServiceName, org_id: OrgId) -> Caller:
        return cls(f"{SERVICE_PREFIX}{name}", org_id, name)

    @property
    def is_service(self) -> bool:
        return self.service is not None
