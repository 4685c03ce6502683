from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from domain.errors import InvalidField
from domain.s3_uri import BucketName, S3Uri, bucket_name_problem

from .strategies import (
    BUCKET_CHARS,
    WHITESPACE,
    NearMiss,
    bucket_names,
    bucket_near_misses,
    ipv4_formatted,
    is_valid_bucket_name,
    prefixes,
    unsafe_chars,
)


def rejects(text: str, field: str = "bucket_uri") -> InvalidField:
    with pytest.raises(InvalidField) as raised:
        S3Uri.parse(text)
    assert raised.value.field == field
    return raised.value


@given(bucket_names)
def test_a_uri_naming_only_a_valid_bucket_parses_to_that_bucket_and_no_prefix(name: str) -> None:
    uri = S3Uri.parse(f"s3://{name}")
    assert (uri.bucket.value, uri.prefix) == (name, "")


@given(bucket_names, prefixes)
def test_a_uri_with_a_prefix_keeps_the_prefix_exactly_as_given(name: str, prefix: str) -> None:
    uri = S3Uri.parse(f"s3://{name}/{prefix}")
    assert (uri.bucket.value, uri.prefix) == (name, prefix)


@given(bucket_names, st.none() | prefixes)
def test_str_of_a_parsed_uri_gives_back_the_text_it_was_parsed_from(
    name: str, prefix: str | None
) -> None:
    text = f"s3://{name}" if prefix is None else f"s3://{name}/{prefix}"
    assert str(S3Uri.parse(text)) == text


@given(bucket_names)
def test_a_trailing_slash_without_a_prefix_means_the_whole_bucket(name: str) -> None:
    assert S3Uri.parse(f"s3://{name}/") == S3Uri.parse(f"s3://{name}")


@given(bucket_near_misses)
def test_a_bucket_name_one_mutation_away_from_valid_is_rejected_as_bucket_uri(
    miss: NearMiss,
) -> None:
    assert not is_valid_bucket_name(miss.value)  # the generator's own promise
    rejects(f"s3://{miss.value}")
    rejects(f"s3://{miss.value}/some/prefix")


@given(st.text(BUCKET_CHARS, max_size=70))
@example("192.168.5.4")
@example("192.168.05.4")
@example("999.999.999.999")
@example("1.2.3.4.5")
@example("xn--abc")
@example("sthree-configurator")
@example("amzn-s3-demo-bucket")
@example("abc-s3alias")
@example("abc--ol-s3")
@example("abc.mrap")
@example("abc--x-s3")
@example("abc--table-s3")
@example("a" * 63)
@example("a" * 64)
def test_a_bucket_is_accepted_exactly_when_it_obeys_every_s3_naming_rule(name: str) -> None:
    """3-63 of [a-z0-9.-], starting and ending with a letter or digit, no '..',
    not formatted as an IPv4 address, none of S3's reserved prefixes or suffixes."""
    valid = is_valid_bucket_name(name)
    assert (bucket_name_problem(name) is None) == valid
    if valid:
        assert S3Uri.parse(f"s3://{name}").bucket.value == name
    else:
        rejects(f"s3://{name}")


@given(ipv4_formatted)
def test_a_bucket_name_formatted_as_an_ipv4_address_is_rejected(name: str) -> None:
    rejects(f"s3://{name}")


@given(bucket_names)
def test_a_bucket_names_arn_is_the_s3_arn_of_that_name(name: str) -> None:
    assert BucketName(name).arn == f"arn:aws:s3:::{name}"


@given(bucket_near_misses)
def test_an_invalid_bucket_name_object_is_reported_under_the_field_bucket(
    miss: NearMiss,
) -> None:
    with pytest.raises(InvalidField) as raised:
        BucketName(miss.value)
    assert raised.value.field == "bucket"


@given(
    bucket_names,
    st.none() | prefixes,
    st.sampled_from(["", "S3://", "s3:/", "s3:", "s3a://", "https://", "s3//", " s3://"]),
)
def test_a_uri_without_the_s3_scheme_is_rejected(
    name: str, prefix: str | None, scheme: str
) -> None:
    rejects(f"{scheme}{name}" + ("" if prefix is None else f"/{prefix}"))


@given(
    bucket_names,
    prefixes,
    st.sampled_from(WHITESPACE + "?#"),
    st.data(),
)
def test_whitespace_a_query_or_a_fragment_anywhere_is_rejected(
    name: str, prefix: str, bad: str, data: st.DataObject
) -> None:
    text = f"s3://{name}/{prefix}"
    at = data.draw(st.integers(len("s3://"), len(text)), label="position")
    rejects(text[:at] + bad + text[at:])


@given(bucket_names, st.integers(1025, 1500), st.sampled_from(["a", "é", "€"]))
def test_a_prefix_over_1024_bytes_of_utf8_is_rejected(name: str, size: int, char: str) -> None:
    prefix = char * (size // len(char.encode()) + 1)
    rejects(f"s3://{name}/{prefix}")


@given(bucket_names)
def test_a_prefix_of_exactly_1024_bytes_is_accepted(name: str) -> None:
    assert S3Uri.parse(f"s3://{name}/{'k' * 1024}").prefix == "k" * 1024


@given(bucket_near_misses)
def test_a_caller_may_name_the_field_a_bad_uri_is_reported_under(miss: NearMiss) -> None:
    with pytest.raises(InvalidField) as raised:
        S3Uri.parse(f"s3://{miss.value}", field="target.bucket_uri")
    assert raised.value.field == "target.bucket_uri"


@given(bucket_names, prefixes, unsafe_chars, st.data())
def test_a_control_or_bidi_character_anywhere_in_the_prefix_is_refused(
    name: str, prefix: str, bad: str, data: st.DataObject
) -> None:
    # NUL among them: PostgreSQL's text refuses it, so SQLite alone would store it.
    at = data.draw(st.integers(0, len(prefix)))
    problem = rejects(f"s3://{name}/{prefix[:at]}{bad}{prefix[at:]}")
    # A control character that is whitespace (a tab, a newline) is named as that.
    assert ("whitespace" if bad.isspace() else "control characters") in problem.message
