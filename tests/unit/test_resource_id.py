from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from domain.errors import InvalidField
from domain.resource_id import ResourceId

from .strategies import (
    RESOURCE_ID_CHARS,
    UNICODE_LOOKALIKES,
    NearMiss,
    is_valid_resource_id,
    resource_id_near_misses,
    resource_ids,
)


def rejects(value: object) -> InvalidField:
    with pytest.raises(InvalidField) as raised:
        ResourceId(value)  # type: ignore[arg-type]
    assert raised.value.field == "resource_id"
    return raised.value


@given(resource_ids)
@example("--")
@example("-" * 42)
@example("a" * 42)
@example("0-")
def test_2_to_42_lowercase_letters_digits_and_dashes_are_a_resource_id(text: str) -> None:
    assert ResourceId(text).value == text
    assert str(ResourceId(text)) == text


@given(resource_id_near_misses)
def test_a_resource_id_one_mutation_away_from_valid_is_refused_as_resource_id(
    miss: NearMiss,
) -> None:
    assert not is_valid_resource_id(miss.value)  # the generator's own promise
    rejects(miss.value)


@given(st.text(RESOURCE_ID_CHARS + "A_." + UNICODE_LOOKALIKES + " \n", max_size=50))
@example("a")
@example("a" * 43)
@example("ab\n")
@example("AB")
@example("a_b")
@example("\uff11\uff12")
@example("ab\u00a0")
def test_a_resource_id_is_accepted_exactly_when_it_matches_2_to_42_of_lowercase_digits_dash(
    text: str,
) -> None:
    """``^[a-z0-9-]{2,42}$``, with no trailing newline slipping past ``$``."""
    if is_valid_resource_id(text):
        assert ResourceId(text).value == text
    else:
        rejects(text)


@given(st.integers() | st.none() | st.binary(min_size=2, max_size=4) | st.lists(st.just("ab")))
def test_a_value_that_is_not_text_is_refused(value: object) -> None:
    rejects(value)
