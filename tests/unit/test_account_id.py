from __future__ import annotations

import string

import pytest
from hypothesis import example, given
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


# ---------------------------------------------------------------- from JSON (contract §6)


def from_json_rejects(value: object, field: str = "account_id") -> InvalidField:
    with pytest.raises(InvalidField) as raised:
        AccountId.from_json(value, field)
    assert raised.value.field == field
    return raised.value


@given(st.integers(0, 10**12 - 1))
@example(0)
@example(1)
@example(12345678901)
@example(999_999_999_999)
def test_a_json_integer_is_the_account_id_left_padded_to_twelve_digits(number: int) -> None:
    """JSON integers lose leading zeros; padding gives them back, and nothing else."""
    account = AccountId.from_json(number)
    assert len(account.value) == 12
    assert account.value.isascii() and account.value.isdigit()
    assert int(account.value) == number


@given(st.integers(min_value=10**12) | st.integers(max_value=-1))
@example(10**12)
@example(-1)
@example(-123456789012)
def test_a_json_integer_over_twelve_digits_or_negative_is_refused(number: int) -> None:
    from_json_rejects(number)


@given(account_ids)
def test_a_string_of_exactly_twelve_digits_is_taken_unchanged(text: str) -> None:
    assert AccountId.from_json(text).value == text


@given(
    st.text(max_size=20).filter(lambda t: not (len(t) == 12 and t.isascii() and t.isdigit()))
    | account_ids.map(lambda t: t[:11])
    | account_ids.map(lambda t: t + "0")
)
@example("12345678901")
@example("1234567890123")
@example(" 12345678901")
@example(" 123456789012")
@example("123456789012 ")
@example("123456789012\n")
@example("١٢٣٤٥٦٧٨٩٠١٢")
@example("\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19\uff10\uff11\uff12")
@example("-12345678901")
@example("+12345678901")
@example("1_2345678901")
@example("1e11")
@example("")
def test_any_other_string_is_refused(text: str) -> None:
    from_json_rejects(text)


@given(
    st.booleans()
    | st.floats()
    | st.none()
    | st.lists(account_ids, max_size=2)
    | st.dictionaries(st.just("value"), account_ids)
    | account_ids.map(str.encode)
)
@example(123456789012.0)
@example(True)
@example(False)
@example([123456789012])
@example(["123456789012"])
def test_a_bool_float_null_list_or_object_is_refused(value: object) -> None:
    """``true`` is an ``int`` to Python, but it is no account number."""
    from_json_rejects(value)


@given(st.integers(10**12, 10**13) | st.just("1") | st.none())
def test_from_json_reports_a_bad_value_under_the_field_it_is_given(value: object) -> None:
    from_json_rejects(value, field="access.account_id")
