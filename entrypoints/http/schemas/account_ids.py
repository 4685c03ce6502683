"""An AWS account id as every body's schema states it: 12 digits, as text (the
domain's ``AccountId`` holds the whole rule and is what decides)."""

from __future__ import annotations

from typing import Annotated

from msgspec import Meta

from adapters.sandbox import defaults as sandbox_defaults

TWELVE_DIGITS = r"^[0-9]{12}$"
# The customer's account of the documentation's story (openapi_examples.py).
EXAMPLE_ACCOUNT_ID = sandbox_defaults.CUSTOMER_ACCOUNT_ID

AccountIdText = Annotated[str, Meta(pattern=TWELVE_DIGITS, examples=[EXAMPLE_ACCOUNT_ID])]
