from __future__ import annotations

import re
from dataclasses import dataclass

from domain.errors import InvalidField

_TWELVE_DIGITS = re.compile(r"[0-9]{12}")


@dataclass(frozen=True, slots=True)
class AccountId:
    """A 12-digit AWS account id, kept as text because leading zeros matter."""

    value: str

    def __post_init__(self) -> None:
        if not isinstance(self.value, str) or not _TWELVE_DIGITS.fullmatch(self.value):
            raise InvalidField("account_id", "must be exactly 12 digits")

    @classmethod
    def parse(cls, value: str, field: str = "account_id") -> AccountId:
        try:
            return cls(value)
        except InvalidField as error:
            raise InvalidField(field, error.message) from None

    @classmethod
    def from_json(cls, value: object, field: str = "account_id") -> AccountId:
        """A string of exactly 12 digits, or a JSON integer, which loses leading
        zeros and so is left-padded back to 12 digits."""
        if isinstance(value, int) and not isinstance(value, bool):
            if not 0 <= value < 10**12:
                raise InvalidField(field, "as an integer must be from 0 to 999999999999")
            return cls(f"{value:012d}")
        if isinstance(value, str):
            return cls.parse(value, field)
        # Floats included: 123456789012.0 or 1e11 is not an account id a client meant.
        raise InvalidField(field, "must be a string of 12 digits or an integer")

    def __str__(self) -> str:
        return self.value

    @property
    def root_arn(self) -> str:
        return f"arn:aws:iam::{self.value}:root"
