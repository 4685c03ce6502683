from __future__ import annotations

import re
from dataclasses import dataclass

from domain.account_id import AccountId
from domain.errors import InvalidField

# The shape a role ARN must have, as a schema and an error message state it;
# ``_ARN`` is the same shape, with the parts ``parse`` takes apart named.
SHAPE = r"^arn:aws:iam::[0-9]{12}:role/.+$"
_ARN = re.compile(r"arn:aws:iam::(?P<account>[0-9]{12}):role(?P<path_and_name>/.+)")
_ROLE_NAME = re.compile(r"[A-Za-z0-9+=,.@_-]{1,64}")
# IAM: a path is "/" or "/segment/.../", at most 512 characters of printable ASCII
# without spaces; a role name is 1-64 of [\w+=,.@-].
_PATH = re.compile(r"/(?:[\x21-\x7E]*/)?")
_MAX_PATH = 512


@dataclass(frozen=True, slots=True)
class RoleArn:
    account_id: AccountId
    path: str
    role_name: str

    def __post_init__(self) -> None:
        if not _ROLE_NAME.fullmatch(self.role_name):
            raise InvalidField(
                "role_arn", "role name must be 1-64 characters of A-Z a-z 0-9 + = , . @ _ -"
            )
        if len(self.path) > _MAX_PATH or not _PATH.fullmatch(self.path) or "//" in self.path:
            raise InvalidField(
                "role_arn", "role path must be '/' or '/segments/' of printable ASCII, max 512"
            )

    @classmethod
    def parse(cls, text: str, field: str = "role_arn") -> RoleArn:
        match = _ARN.fullmatch(text)
        if match is None:
            raise InvalidField(field, f"must match {SHAPE}")
        path, _, name = match["path_and_name"].rpartition("/")
        try:
            return cls(AccountId(match["account"]), path + "/", name)
        except InvalidField as error:
            raise InvalidField(field, error.message) from None

    def __str__(self) -> str:
        return f"arn:aws:iam::{self.account_id}:role{self.path}{self.role_name}"
