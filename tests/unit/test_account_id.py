from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.account_id import AccountId
from domain.errors import InvalidField

from .strategies import account_ids

not_ascii_digits = st.characters().filter(lambda c: c not in string.digits)


@given(account_ids)
def test_twelve_ascii_digits_are_an_account_id_kept_as_text(text: str) -> None:
    account = AccountId(text)
    assert (account.value, str(account)) == (text, text)
    assert account.root_arn == f"arn:aws:iam::{text}:root"


@given(st.text(string.digits, max_size=30).filter(lambda t: len(t) != 12))
def test_a_run_of_digits_that_is_not_twelve_long_is_rejected(text: str) -> None:
    with pytest.raises(InvalidField) as raised:
        AccountId(text)
    assert raised.value.field == "account_id"


@given(account_ids, not_ascii_digits, st.integers(0, 11))
def test_twelve_characters_with_one_that_is_not_an_ascii_digit_are_rejected(
    text: str, bad: str, at: int
) -> None:
    with pytest.raises(InvalidField) as raised:
        AccountId(text[:at] + bad + text[at + 1 :])
    assert raised.value.field == "account_id"


@given(st.integers(0, 10**12 - 1) | st.none() | st.floats())
def test_a_value_that_is_not_text_is_rejected_even_with_twelve_digits(value: object) -> None:
    with pytest.raises(InvalidField):
        AccountId(value)  # type: ignore[arg-type]


@given(account_ids.map(lambda t: t + "0") | st.just(""))
def test_parse_reports_a_bad_account_id_under_the_field_it_is_given(text: str) -> None:
    with pytest.raises(InvalidField) as raised:
        AccountId.parse(text, field="expected_bucket_owner_account_id")
    assert raised.value.field == "expected_bucket_owner_account_id"


@given(account_ids)
def test_parse_of_twelve_digits_is_the_account_id(text: str) -> None:
    assert AccountId.parse(text) == AccountId(text)
