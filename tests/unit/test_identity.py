from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidField
from domain.identity import MAX_USER_ID, SERVICE_NAME_RULE, Caller, OrgId, ServiceName
from domain.unsafe_text import BIDI_CONTROLS

from .strategies import (
    is_service_name,
    org_ids,
    service_name_candidates,
    service_names,
    unsafe_chars,
)


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
).filter(lambda user_id: not user_id.startswith("service:"))


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


@given(service_names, org_ids)
def test_a_service_is_a_caller_named_service_colon_its_name(name: str, org: int) -> None:
    caller = Caller.of_service(ServiceName(name), OrgId(org))
    assert (caller.user_id, caller.org_id.value) == (f"service:{name}", org)
    assert caller.is_service and caller.service == ServiceName(name)


@given(safe_user_ids, org_ids)
def test_a_user_is_not_a_service(user_id: str, org: int) -> None:
    assert not Caller(user_id, OrgId(org)).is_service


@given(service_name_candidates)
def test_a_service_name_is_1_to_64_letters_digits_dots_underscores_and_dashes(text: str) -> None:
    if is_service_name(text):
        assert ServiceName(text).value == text
        return
    with pytest.raises(InvalidField) as raised:
        ServiceName(text)
    assert (raised.value.field, raised.value.message) == ("service", SERVICE_NAME_RULE)


@given(service_names, org_ids)
def test_a_user_id_cannot_pass_for_a_service(name: str, org: int) -> None:
    """Who is a service is the token's scope's to say, never a user id's."""
    with pytest.raises(InvalidField) as raised:
        Caller(f"service:{name}", OrgId(org))
    assert raised.value.field == "sub"


@given(service_names, service_names)
def test_a_service_caller_is_named_by_its_own_name_only(name: str, other: str) -> None:
    if name == other:
        return
    with pytest.raises(InvalidField):
        Caller(f"service:{other}", OrgId(1), ServiceName(name))
    with pytest.raises(InvalidField):
        Caller(name, OrgId(1), ServiceName(name))
