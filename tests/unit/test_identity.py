from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidField
from domain.identity import MAX_USER_ID, Caller, OrgId
from domain.unsafe_text import BIDI_CONTROLS

from .strategies import org_ids, unsafe_chars


@given(org_ids)
def test_a_positive_integer_is_an_org_id(value: int) -> None:
    assert OrgId(value).value == value
    assert str(OrgId(value)) == str(value)


@given(st.integers(max_value=0))
def test_zero_and_negative_integers_are_not_org_ids(value: int) -> None:
    with pytest.raises(InvalidField) as raised:
        OrgId(value)
    assert raised.value.field == "org_id"


@given(st.booleans())
def test_a_boolean_is_not_an_org_id_though_python_counts_it_as_an_int(value: bool) -> None:
    with pytest.raises(InvalidField) as raised:
        OrgId(value)
    assert raised.value.field == "org_id"


@given(st.floats() | st.text() | st.none() | st.decimals())
def test_a_value_that_is_not_an_integer_is_not_an_org_id(value: object) -> None:
    with pytest.raises(InvalidField) as raised:
        OrgId(value)  # type: ignore[arg-type]
    assert raised.value.field == "org_id"


@given(st.integers(min_value=2**63))
def test_an_org_id_beyond_a_signed_64_bit_integer_is_rejected(value: int) -> None:
    """What a database bigint and an STS role session name can carry."""
    with pytest.raises(InvalidField) as raised:
        OrgId(value)
    assert raised.value.field == "org_id"


safe_user_ids = st.text(
    st.characters(exclude_categories=["Cc"]).filter(lambda c: c not in BIDI_CONTROLS),
    min_size=1,
    max_size=MAX_USER_ID,
)


@given(safe_user_ids, org_ids)
def test_a_caller_is_any_user_id_of_safe_text_within_an_org(user_id: str, org: int) -> None:
    caller = Caller(user_id, OrgId(org))
    assert (caller.user_id, caller.org_id.value) == (user_id, org)


@given(safe_user_ids, unsafe_chars, st.data())
def test_a_user_id_with_a_control_or_bidi_character_is_refused_as_sub(
    user_id: str, bad: str, data: st.DataObject
) -> None:
    at = data.draw(st.integers(0, len(user_id)))
    with pytest.raises(InvalidField) as raised:
        Caller(user_id[:at] + bad + user_id[at:], OrgId(1))
    assert raised.value.field == "sub"


@given(st.integers(MAX_USER_ID + 1, 4 * MAX_USER_ID))
def test_a_user_id_over_256_characters_is_refused_as_sub(length: int) -> None:
    with pytest.raises(InvalidField) as raised:
        Caller("u" * length, OrgId(1))
    assert raised.value.field == "sub"


@given(org_ids)
def test_a_caller_with_an_empty_user_id_is_rejected_as_sub(org: int) -> None:
    with pytest.raises(InvalidField) as raised:
        Caller("", OrgId(org))
    assert raised.value.field == "sub"
