from __future__ import annotations

import math
import re
from collections import Counter

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from adapters.system.suffixes import CsprngSuffixes
from domain.bucket_naming import (
    SUFFIX_ALPHABET,
    SUFFIX_LENGTH,
    BucketNameGenerator,
    BucketPrefix,
)
from domain.errors import InvalidField
from domain.resource_id import ResourceId
from domain.s3_uri import RESERVED_PREFIXES as S3_RESERVED_PREFIXES
from domain.s3_uri import S3Uri, bucket_name_problem

from .strategies import (
    LOWER_ALNUM,
    MAX_BUCKET_PREFIX,
    RESERVED_PREFIXES,
    RESOURCE_ID_CHARS,
    WITNESS_RESOURCE_IDS,
    bucket_prefixes,
    is_valid_bucket_prefix,
    prefix_candidates,
    resource_ids,
    suffixes,
)


class ScriptedSuffixes:
    """Hands out the given suffixes in turn and records what it was asked for."""

    def __init__(self, *suffixes: str) -> None:
        self._suffixes = list(suffixes)
        self.requests: list[tuple[int, str]] = []

    def suffix(self, length: int, alphabet: str) -> str:
        self.requests.append((length, alphabet))
        return self._suffixes.pop(0)


def name_shape(prefix: str, resource_id: str) -> re.Pattern[str]:
    return re.compile(rf"{re.escape(prefix)}-{re.escape(resource_id)}-[a-z0-9]{{12}}")


# ---------------------------------------------------------------- the alphabet


def test_the_suffix_alphabet_is_the_36_lowercase_letters_and_digits() -> None:
    assert sorted(SUFFIX_ALPHABET) == sorted(LOWER_ALNUM)
    assert len(set(SUFFIX_ALPHABET)) == len(SUFFIX_ALPHABET) == 36
    assert SUFFIX_LENGTH == 12


# ---------------------------------------------------------------- generated names

edge_prefixes = ["a", "nio", "abcdefg", "1234567", "0", "ab-", "a--", "a------", "x", "sthre"]
edge_resource_ids = ["ab", "--", "-a", "a-", "a--b", "-" * 42, "z" * 42, "s3-demo-", "-s3alias"]


@given(bucket_prefixes, resource_ids, suffixes)
@example("abcdefg", "-" * 42, "0" * 12)
@example("ab-", "--", "zzzzzzzzzzzz")
@example("a", "s3-demo-", "abcdefghijkl")
@example("x", "n--", "000000000000")
@example("9", "-s3alias", "s3alias00000")
def test_every_generated_name_is_a_valid_s3_name_of_prefix_resource_id_and_the_drawn_suffix(
    prefix: str, resource_id: str, suffix: str
) -> None:
    """For every valid prefix and resource id, the name is ``<prefix>-<id>-<suffix>``
    with the suffix the source drew, and S3 accepts it."""
    source = ScriptedSuffixes(suffix)
    name = BucketNameGenerator(BucketPrefix(prefix), source).name_for(ResourceId(resource_id))
    assert name.value == f"{prefix}-{resource_id}-{suffix}"
    assert bucket_name_problem(name.value) is None
    assert source.requests == [(SUFFIX_LENGTH, SUFFIX_ALPHABET)]


@given(bucket_prefixes, resource_ids, suffixes)
@example("x", "n--", "000000000000")
@example("amz", "n-s3-demo-", "000000000000")
@example("sthre", "e-", "000000000000")
def test_every_name_the_generator_makes_parses_as_the_bucket_of_an_s3_uri(
    prefix: str, resource_id: str, suffix: str
) -> None:
    """The generator and the parser read S3's reserved namespaces from one list: a
    name made from any accepted prefix is a bucket the S3 URI parser accepts."""
    source = ScriptedSuffixes(suffix)
    name = BucketNameGenerator(BucketPrefix(prefix), source).name_for(ResourceId(resource_id))
    assert S3Uri.parse(f"s3://{name}/exports/").bucket == name


def test_the_reserved_prefixes_are_those_the_aws_naming_rules_list() -> None:
    # The tests keep their own copy, from the AWS page, as an oracle for the domain's.
    assert S3_RESERVED_PREFIXES == RESERVED_PREFIXES


@pytest.mark.parametrize("prefix", edge_prefixes)
@pytest.mark.parametrize("resource_id", edge_resource_ids)
def test_names_from_the_csprng_are_valid_s3_names_of_the_contracts_shape_at_the_edges(
    prefix: str, resource_id: str
) -> None:
    names = BucketNameGenerator(BucketPrefix(prefix), CsprngSuffixes())
    name = names.name_for(ResourceId(resource_id))
    assert name_shape(prefix, resource_id).fullmatch(name.value)
    assert bucket_name_problem(name.value) is None


@given(bucket_prefixes, resource_ids)
def test_every_name_from_the_csprng_is_a_valid_s3_name_of_the_contracts_shape(
    prefix: str, resource_id: str
) -> None:
    names = BucketNameGenerator(BucketPrefix(prefix), CsprngSuffixes())
    name = names.name_for(ResourceId(resource_id))
    assert name_shape(prefix, resource_id).fullmatch(name.value)
    assert bucket_name_problem(name.value) is None


def test_the_default_prefix_is_nio() -> None:
    name = BucketNameGenerator(BucketPrefix(), CsprngSuffixes()).name_for(ResourceId("acme"))
    assert name_shape("nio", "acme").fullmatch(name.value)


def test_two_names_for_the_same_resource_id_differ() -> None:
    names = BucketNameGenerator(BucketPrefix(), CsprngSuffixes())
    drawn = {names.name_for(ResourceId("acme")).value for _ in range(50)}
    # 50 draws of 36**12 colliding is a one in ~10**15 event.
    assert len(drawn) == 50


bad_suffixes = st.one_of(
    st.text(LOWER_ALNUM, max_size=30).filter(lambda s: len(s) != SUFFIX_LENGTH),
    st.builds(
        lambda text, bad, at: text[:at] + bad + text[at + 1 :],
        suffixes,
        st.characters(exclude_categories=["Cs"]).filter(lambda c: c not in LOWER_ALNUM),
        st.integers(0, SUFFIX_LENGTH - 1),
    ),
)


@given(bucket_prefixes, resource_ids, bad_suffixes)
@example("nio", "acme", "ABCDEFGHIJKL")
@example("nio", "acme", "abcdefghijk\n")
@example("nio", "acme", "abcdefghij-a")
@example("nio", "acme", "")
@example("nio", "acme", "\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19\uff10\uff11\uff12")
def test_a_suffix_source_that_breaks_its_promise_makes_name_for_raise(
    prefix: str, resource_id: str, suffix: str
) -> None:
    names = BucketNameGenerator(BucketPrefix(prefix), ScriptedSuffixes(suffix))
    with pytest.raises(ValueError):
        names.name_for(ResourceId(resource_id))


# ---------------------------------------------------------------- the CSPRNG's spread


def chi_square_bound(df: int, false_failure: float) -> float:
    """An ``x`` with P(chi2(df) >= x) <= ``false_failure``, from the Chernoff bound
    P(X >= x) <= (x/df)**(df/2) * exp((df - x)/2), which holds for every x > df."""

    def log_tail(x: float) -> float:
        return df / 2 * math.log(x / df) + (df - x) / 2

    low, high = float(df), float(df) * 100
    while high - low > 1e-6:
        middle = (low + high) / 2
        low, high = (middle, high) if log_tail(middle) > math.log(false_failure) else (low, middle)
    return high


def chi_square(counts: Counter[object], cells: list[object]) -> float:
    expected = sum(counts.values()) / len(cells)
    return sum((counts[cell] - expected) ** 2 / expected for cell in cells)


# 100,000 characters: enough that a modulo bias such as ``byte % 36`` (which
# favours four symbols by 8/7) lands far over the bound, cheap to draw.
DRAWS = 100_000 // SUFFIX_LENGTH + 1


@pytest.fixture(scope="module")
def csprng_suffixes() -> list[str]:
    source = CsprngSuffixes()
    return [source.suffix(SUFFIX_LENGTH, SUFFIX_ALPHABET) for _ in range(DRAWS)]


def test_the_chi_square_bound_is_sound_where_the_exact_tail_is_known() -> None:
    # For df=2 the tail is exp(-x/2) exactly: the bound must lie at or above the quantile.
    assert chi_square_bound(2, 1e-9) >= -2 * math.log(1e-9)
    # And it is not absurdly generous for the test below (the exact 1-1e-9 quantile
    # for df=35 is about 110).
    assert 100 < chi_square_bound(35, 1e-9) < 125


def test_the_csprng_uses_every_symbol_of_the_alphabet_about_equally(
    csprng_suffixes: list[str],
) -> None:
    """The suffix alphabet is fully used: over 100,000 characters every one of the 36
    symbols appears, and the counts fit a uniform draw (a chi-square test whose false
    failure probability is below 1e-9)."""
    counts: Counter[object] = Counter("".join(csprng_suffixes))
    assert set(counts) == set(SUFFIX_ALPHABET)
    assert chi_square(counts, list(SUFFIX_ALPHABET)) < chi_square_bound(35, 1e-9)


def test_every_position_of_the_suffix_is_drawn_from_the_whole_alphabet(
    csprng_suffixes: list[str],
) -> None:
    """No position is special (say, a first character that is always a letter): the
    (position, symbol) counts fit a uniform draw too."""
    counts: Counter[object] = Counter(
        (at, symbol) for suffix in csprng_suffixes for at, symbol in enumerate(suffix)
    )
    cells: list[object] = [(at, s) for at in range(SUFFIX_LENGTH) for s in SUFFIX_ALPHABET]
    assert all(counts[cell] > 0 for cell in cells)
    assert chi_square(counts, cells) < chi_square_bound(len(cells) - 1, 1e-9)


@given(st.integers(1, 64), st.text(LOWER_ALNUM, min_size=1, max_size=36).map(set).map("".join))
def test_the_csprng_gives_the_length_asked_for_from_the_alphabet_given(
    length: int, alphabet: str
) -> None:
    suffix = CsprngSuffixes().suffix(length, alphabet)
    assert len(suffix) == length
    assert set(suffix) <= set(alphabet)


# ---------------------------------------------------------------- prefixes


@given(prefix_candidates)
@example("nio")
@example("abcdefg")
@example("abcdefgh")
@example("")
@example("-a")
@example("a-")
@example("xn")
@example("xn-")
@example("xn--")
@example("x")
@example("sthree")
@example("sthree-")
@example("sthre")
@example("amzn")
@example("amzn-s3")
@example("amzn-s")
@example("amz")
def test_a_prefix_is_accepted_iff_every_name_it_can_produce_is_a_valid_s3_name(
    prefix: str,
) -> None:
    """1-7 characters of ``[a-z0-9-]`` starting with a letter or digit, and no resource
    id (say one starting with '-' or 's3-demo-') can complete it to a name in a
    namespace S3 reserves (``xn--``, ``sthree-``, ``amzn-s3-demo-``)."""
    if is_valid_bucket_prefix(prefix):
        assert BucketPrefix(prefix).value == prefix
    else:
        with pytest.raises(InvalidField) as raised:
            BucketPrefix(prefix)
        assert raised.value.field == "bucket_prefix"


@pytest.mark.parametrize(
    "prefix", ["xn", "xn-", "sthree", "sthree-", "amzn", "amzn-s3", "abcdefgh", "-", "-a"]
)
def test_a_refused_prefix_is_refused_because_some_resource_id_would_make_a_bad_name(
    prefix: str,
) -> None:
    """The witnesses: for each refused prefix, a resource id that shows why."""
    assert any(bucket_name_problem(f"{prefix}-{rid}-{'0' * 12}") for rid in WITNESS_RESOURCE_IDS)
    with pytest.raises(InvalidField):
        BucketPrefix(prefix)


@pytest.mark.parametrize("reserved", RESERVED_PREFIXES)
def test_no_accepted_prefix_can_reach_a_reserved_namespace_by_brute_force(reserved: str) -> None:
    """Every prefix of up to 7 characters that could begin a name in ``reserved`` (one
    of its beginnings, or ``reserved`` itself followed by anything) is refused."""
    stems = {reserved[:i] for i in range(1, len(reserved) + 1)}
    stems |= {reserved + c for c in RESOURCE_ID_CHARS}
    for stem in sorted(s for s in stems if len(s) <= MAX_BUCKET_PREFIX):
        lead = f"{stem}-"
        reachable = reserved.startswith(lead) or lead.startswith(reserved)
        if reachable:
            with pytest.raises(InvalidField):
                BucketPrefix(stem)
        else:
            BucketPrefix(stem)


@given(
    st.text(RESOURCE_ID_CHARS, min_size=1, max_size=MAX_BUCKET_PREFIX - 1),
    st.sampled_from(".ABZ_ \né\uff11"),
    st.data(),
)
def test_a_prefix_with_a_character_outside_lowercase_digits_and_dash_is_refused(
    prefix: str, bad: str, data: st.DataObject
) -> None:
    """Dots included: S3 would take them, but a dotted name breaks virtual-hosted TLS."""
    at = data.draw(st.integers(0, len(prefix)))
    with pytest.raises(InvalidField) as raised:
        BucketPrefix(prefix[:at] + bad + prefix[at:])
    assert raised.value.field == "bucket_prefix"
