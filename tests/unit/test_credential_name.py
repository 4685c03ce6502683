from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.credential_name import CredentialName
from domain.errors import InvalidField

from .strategies import unsafe_chars

# Text a person can see: letters, digits, punctuation and symbols (no category
# here holds an invisible code point).
visible = st.characters(categories=["Lu", "Ll", "Lt", "Nd", "P", "S"])
# Anything but control characters (and lone surrogates, which are not text).
printable = st.characters(exclude_categories=["Cc", "Cs"])
control = st.characters(categories=["Cc"])
# What renders as nothing: whitespace, and zero-width or filler code points.
invisible = st.sampled_from(
    " \u00a0\u1680\u2000\u2007\u200a\u2028\u2029\u202f\u205f\u3000"  # spaces
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u061c\u200e\u202a"  # zero-width formats
    "\u034f\ufe00\ufe0f\u180b\U000e0100"  # joiners and variation selectors
    "\u115f\u1160\u3164\uffa0"  # Hangul fillers
)


@st.composite
def names(draw: st.DrawFn, max_size: int = 128) -> str:
    """1-``max_size`` characters with no control character and something visible."""
    shown = draw(visible)
    before = draw(st.text(printable, max_size=max_size - 1))
    after = draw(st.text(printable, max_size=max_size - 1 - len(before)))
    return before + shown + after


def rejects(value: str) -> None:
    with pytest.raises(InvalidField) as raised:
        CredentialName(value)
    assert raised.value.field == "credential_name"


@given(names())
def test_a_name_of_1_to_128_characters_with_something_visible_and_no_control_is_kept(
    name: str,
) -> None:
    assert CredentialName(name).value == name
    assert str(CredentialName(name)) == name


@given(names(), st.text(printable, min_size=1, max_size=200))
def test_a_name_over_128_characters_is_rejected(name: str, more: str) -> None:
    padded = name + more
    if len(padded) <= 128:
        padded += "x" * (129 - len(padded))
    rejects(padded)


def test_an_empty_name_is_rejected() -> None:
    rejects("")


@given(names(max_size=127), control, st.data())
def test_a_name_with_a_control_character_anywhere_is_rejected(
    name: str, bad: str, data: st.DataObject
) -> None:
    at = data.draw(st.integers(0, len(name)), label="position")
    rejects(name[:at] + bad + name[at:])


@given(st.text(invisible, min_size=1, max_size=128))
def test_a_name_of_only_whitespace_or_zero_width_characters_is_blank_and_rejected(
    name: str,
) -> None:
    rejects(name)


@given(st.text(min_size=1, max_size=60).filter(str.strip), unsafe_chars, st.data())
def test_a_control_or_bidi_character_in_a_name_is_refused(
    name: str, bad: str, data: st.DataObject
) -> None:
    at = data.draw(st.integers(0, len(name)))
    with pytest.raises(InvalidField) as raised:
        CredentialName(name[:at] + bad + name[at:])
    assert raised.value.field == "credential_name"
