from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.account_id import AccountId
from domain.errors import InvalidField
from domain.role_arn import SHAPE, RoleArn

from .strategies import (
    PATH_SEGMENT_CHARS,
    NearMiss,
    RoleArnParts,
    account_ids,
    role_arn_near_misses,
    role_arn_parts,
    role_names,
)


@given(role_arn_parts)
def test_a_valid_role_arn_parses_into_its_account_path_and_role_name(
    parts: RoleArnParts,
) -> None:
    arn = RoleArn.parse(str(parts))
    assert arn.account_id == AccountId(parts.account)
    assert (str(arn.account_id), arn.path, arn.role_name) == (parts.account, parts.path, parts.name)


@given(role_arn_parts)
def test_str_of_a_parsed_role_arn_gives_back_the_text_it_was_parsed_from(
    parts: RoleArnParts,
) -> None:
    assert str(RoleArn.parse(str(parts))) == str(parts)


@given(role_arn_parts)
def test_parsing_the_str_of_a_role_arn_gives_an_equal_role_arn(parts: RoleArnParts) -> None:
    arn = RoleArn.parse(str(parts))
    assert RoleArn.parse(str(arn)) == arn


@given(role_arn_near_misses)
def test_a_role_arn_one_mutation_away_from_valid_is_rejected_as_role_arn(
    miss: NearMiss,
) -> None:
    with pytest.raises(InvalidField) as raised:
        RoleArn.parse(miss.value)
    assert raised.value.field == "role_arn"


@given(role_arn_near_misses)
def test_a_caller_may_name_the_field_a_bad_role_arn_is_reported_under(miss: NearMiss) -> None:
    with pytest.raises(InvalidField) as raised:
        RoleArn.parse(miss.value, field="access.role_arn")
    assert raised.value.field == "access.role_arn"


@given(account_ids, role_names, st.integers(3, 512), st.data())
def test_a_role_path_of_up_to_512_characters_is_accepted(
    account: str, name: str, size: int, data: st.DataObject
) -> None:
    inner = data.draw(st.text(PATH_SEGMENT_CHARS, min_size=size - 2, max_size=size - 2))
    path = f"/{inner}/"
    assert RoleArn.parse(f"arn:aws:iam::{account}:role{path}{name}").path == path


@given(account_ids, st.integers(1, 64))
def test_a_role_name_of_1_to_64_characters_is_accepted(account: str, size: int) -> None:
    assert RoleArn.parse(f"arn:aws:iam::{account}:role/{'r' * size}").role_name == "r" * size


@given(role_arn_parts)
def test_a_role_arn_built_from_valid_parts_reads_as_the_arn_of_those_parts(
    parts: RoleArnParts,
) -> None:
    arn = RoleArn(AccountId(parts.account), parts.path, parts.name)
    assert str(arn) == str(parts)


@given(account_ids, st.sampled_from(["", "a/", "/a", "//", "/a//b/", "/a b/", "/é/"]), role_names)
def test_a_role_arn_built_with_an_invalid_path_is_rejected_as_role_arn(
    account: str, path: str, name: str
) -> None:
    with pytest.raises(InvalidField) as raised:
        RoleArn(AccountId(account), path, name)
    assert raised.value.field == "role_arn"


@given(st.one_of(role_arn_parts.map(str), role_arn_near_misses.map(lambda miss: miss.value)))
def test_a_text_the_parser_takes_has_the_shape_the_schema_states(text: str) -> None:
    """The OpenAPI pattern (``SHAPE``) may let through more than the parser takes,
    never less: a valid role ARN is never refused by the schema."""
    try:
        RoleArn.parse(text)
    except InvalidField:
        return
    assert re.fullmatch(SHAPE, text)
