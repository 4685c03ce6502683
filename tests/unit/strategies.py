"""Generators of valid values and of near misses (a valid value with one mutation)
for the domain's value objects, and the reference rules they are checked against.

The reference rules are written here again, from the contract, on purpose: a test
that asked the domain what is valid would prove nothing.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from hypothesis import strategies as st

from domain.unsafe_text import BIDI_CONTROLS

# ---------------------------------------------------------------- identities

# Positive, and no wider than a database bigint.
org_ids = st.integers(1, 2**63 - 1)

# Contract §10: a service's NAME is 1-64 characters of letters, digits, ".", "_", "-".
SERVICE_NAME_ALPHABET = string.ascii_letters + string.digits + "._-"
service_names = st.text(SERVICE_NAME_ALPHABET, min_size=1, max_size=64)


def is_service_name(text: str) -> bool:
    return 1 <= len(text) <= 64 and all(c in SERVICE_NAME_ALPHABET for c in text)


# Anything at all, and near misses: a good name with one character it may not hold.
service_name_candidates = st.one_of(
    st.text(),
    st.text(SERVICE_NAME_ALPHABET, min_size=60, max_size=70),
    st.builds(
        lambda name, bad, at: name[:at] + bad + name[at:],
        service_names,
        st.characters().filter(lambda c: c not in SERVICE_NAME_ALPHABET),
        st.integers(0, 64),
    ),
)

# ---------------------------------------------------------------- account ids

account_ids = st.text(string.digits, min_size=12, max_size=12)

# ---------------------------------------------------------------- bucket names

LOWER_ALNUM = string.ascii_lowercase + string.digits
BUCKET_CHARS = LOWER_ALNUM + ".-"
RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")


def looks_like_ipv4(name: str) -> bool:
    """S3: a bucket name "must not be formatted as an IP address (192.168.5.4)"."""
    parts = name.split(".")
    return len(parts) == 4 and all(1 <= len(p) <= 3 and p.isdecimal() for p in parts)


def is_valid_bucket_name(name: str) -> bool:
    return (
        3 <= len(name) <= 63
        and all(c in BUCKET_CHARS for c in name)
        and name[0] in LOWER_ALNUM
        and name[-1] in LOWER_ALNUM
        and ".." not in name
        and not looks_like_ipv4(name)
        and not name.startswith(RESERVED_PREFIXES)
        and not name.endswith(RESERVED_SUFFIXES)
    )


bucket_names = st.builds(
    lambda first, middle, last: first + middle + last,
    st.sampled_from(LOWER_ALNUM),
    st.text(BUCKET_CHARS, min_size=1, max_size=61),
    st.sampled_from(LOWER_ALNUM),
).filter(is_valid_bucket_name)

ipv4_formatted = st.lists(
    st.text(string.digits, min_size=1, max_size=3), min_size=4, max_size=4
).map(".".join)


@dataclass(frozen=True)
class NearMiss:
    """An invalid value and the one mutation that made it so (shown on failure)."""

    mutation: str
    value: str


T = TypeVar("T")
Mutation = Callable[[st.DrawFn, T], str]


def _insert(draw: st.DrawFn, text: str, extra: str, lo: int = 0) -> str:
    at = draw(st.integers(lo, max(lo, len(text) - lo)))
    return text[:at] + extra + text[at:]


def _near_misses(
    valid: st.SearchStrategy[T], mutations: dict[str, Mutation[T]]
) -> st.SearchStrategy[NearMiss]:
    """A valid value with one of ``mutations`` applied, each of which makes it invalid."""

    @st.composite
    def near_misses(draw: st.DrawFn) -> NearMiss:
        value = draw(valid)
        label = draw(st.sampled_from(sorted(mutations)))
        return NearMiss(label, mutations[label](draw, value))

    return near_misses()


_BUCKET_MUTATIONS: dict[str, Mutation[str]] = {
    "uppercase letter": lambda draw, name: _insert(
        draw, name, draw(st.sampled_from(string.ascii_uppercase))
    ),
    "forbidden character": lambda draw, name: _insert(
        draw, name, draw(st.sampled_from("_!$&'()*+,;=:@%~^[]{}|\\\"<>é"))
    ),
    "starts with '.' or '-'": lambda draw, name: draw(st.sampled_from(".-")) + name,
    "ends with '.' or '-'": lambda draw, name: name + draw(st.sampled_from(".-")),
    "adjacent dots": lambda draw, name: _insert(draw, name, "..", lo=1),
    "too short": lambda draw, name: name[: draw(st.integers(0, 2))],
    "too long": lambda draw, name: (
        name + draw(st.text(LOWER_ALNUM, min_size=64 - len(name), max_size=80))
    ),
    "reserved prefix": lambda draw, name: draw(st.sampled_from(RESERVED_PREFIXES)) + name[:40],
    "reserved suffix": lambda draw, name: name[:40] + draw(st.sampled_from(RESERVED_SUFFIXES)),
    "formatted as an IPv4 address": lambda draw, _: draw(ipv4_formatted),
}
bucket_near_misses = _near_misses(bucket_names, _BUCKET_MUTATIONS)

# Every character Python (and so ``re``'s ``\s``) calls whitespace; none lies above U+3000.
WHITESPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())

# S3 keys may hold any UTF-8; the URI forbids whitespace, '?' and '#', and (as
# every stored text) control characters and bidirectional overrides.
prefix_chars = st.characters(exclude_categories=["Cs", "Cc"]).filter(
    lambda c: not c.isspace() and c not in "?#" and c not in BIDI_CONTROLS
)
# What no stored text may hold (domain/unsafe_text.py).
unsafe_chars = st.characters(categories=["Cc"]) | st.sampled_from(sorted(BIDI_CONTROLS))
prefixes = st.text(prefix_chars, min_size=1, max_size=200).filter(lambda p: len(p.encode()) <= 1024)

# ---------------------------------------------------------------- role ARNs

ROLE_NAME_CHARS = string.ascii_letters + string.digits + "+=,.@_-"
PATH_SEGMENT_CHARS = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) != "/")

role_names = st.text(ROLE_NAME_CHARS, min_size=1, max_size=64)
iam_paths = st.one_of(
    st.just("/"),
    st.lists(st.text(PATH_SEGMENT_CHARS, min_size=1, max_size=40), min_size=1, max_size=8).map(
        lambda segments: "/" + "/".join(segments) + "/"
    ),
)


@dataclass(frozen=True)
class RoleArnParts:
    account: str
    path: str
    name: str

    def __str__(self) -> str:
        return f"arn:aws:iam::{self.account}:role{self.path}{self.name}"


role_arn_parts = st.builds(RoleArnParts, account_ids, iam_paths, role_names)


def _arn(account: str, path: str, name: str) -> str:
    return f"arn:aws:iam::{account}:role{path}{name}"


_ROLE_ARN_MUTATIONS: dict[str, Mutation[RoleArnParts]] = {
    "account id too short or too long": lambda draw, arn: _arn(
        (arn.account * 2)[: draw(st.sampled_from([11, 13]))], arn.path, arn.name
    ),
    "account id not all digits": lambda draw, arn: _arn(
        _insert(draw, arn.account[1:], draw(st.sampled_from("aX-_ \u0661"))), arn.path, arn.name
    ),
    "another partition": lambda draw, arn: str(arn).replace(
        "arn:aws:", f"arn:{draw(st.sampled_from(['aws-cn', 'aws-us-gov', 'AWS', '']))}:", 1
    ),
    "another service": lambda draw, arn: str(arn).replace(
        ":iam:", f":{draw(st.sampled_from(['sts', 's3', 'IAM', '']))}:", 1
    ),
    "another resource type": lambda draw, arn: str(arn).replace(
        ":role/", f":{draw(st.sampled_from(['user', 'Role', 'group', 'assumed-role']))}/", 1
    ),
    "a region where IAM has none": lambda _, arn: str(arn).replace("iam::", "iam:us-east-1:"),
    "role name too long": lambda draw, arn: _arn(
        arn.account, arn.path, draw(st.text(ROLE_NAME_CHARS, min_size=65, max_size=80))
    ),
    "role name with a forbidden character": lambda draw, arn: _arn(
        arn.account,
        arn.path,
        _insert(draw, arn.name, draw(st.sampled_from(" !\"#$%&'()*:;<>?[\\]^`{|}~é\x7f"))),
    ),
    "no role name": lambda _, arn: _arn(arn.account, arn.path, ""),
    "empty path segment": lambda _, arn: _arn(arn.account, arn.path + "/", arn.name),
    "path with a non-printable or non-ASCII character": lambda draw, arn: _arn(
        arn.account,
        arn.path + _insert(draw, "x", draw(st.sampled_from(" é\x7f\t\u00a0"))) + "/",
        arn.name,
    ),
    "path over 512 characters": lambda draw, arn: _arn(
        arn.account, "/" + "p" * draw(st.integers(511, 600)) + "/", arn.name
    ),
    "surrounding whitespace": lambda draw, arn: draw(
        st.sampled_from([f" {arn}", f"{arn} ", f"\n{arn}", f"{arn}\n", f"{arn}\t"])
    ),
    "not an ARN": lambda draw, arn: draw(
        st.sampled_from([arn.name, str(arn).removeprefix("arn:"), f"arn:{arn}"])
    ),
}
role_arn_near_misses = _near_misses(role_arn_parts, _ROLE_ARN_MUTATIONS)

# ---------------------------------------------------------------- external ids

EXTERNAL_ID_CHARS = string.ascii_letters + string.digits + "+=,.@:/-"
external_ids = st.text(EXTERNAL_ID_CHARS, min_size=2, max_size=1224)

# ---------------------------------------------------------------- managed buckets

RESOURCE_ID_CHARS = LOWER_ALNUM + "-"
SUFFIX_CHARS = LOWER_ALNUM


def is_valid_resource_id(value: object) -> bool:
    """Contract §6: ``^[a-z0-9-]+$``, at least 2 and at most 42 characters."""
    return (
        isinstance(value, str)
        and 2 <= len(value) <= 42
        and all(c in RESOURCE_ID_CHARS for c in value)
    )


resource_ids = st.text(RESOURCE_ID_CHARS, min_size=2, max_size=42)
# Characters a careless check lets through: non-ASCII letters and digits that
# ``str.isalnum``/``\w``/``\d`` call letters and digits, and lookalikes.
UNICODE_LOOKALIKES = "éßıİſ\uff11\uff41\u0661\u0662\u0969\u00a0\u200b"

_RESOURCE_ID_MUTATIONS: dict[str, Mutation[str]] = {
    "uppercase letter": lambda draw, rid: _insert(
        draw, rid[:41], draw(st.sampled_from(string.ascii_uppercase))
    ),
    "underscore or other punctuation": lambda draw, rid: _insert(
        draw, rid[:41], draw(st.sampled_from("_.!$ /\\:@"))
    ),
    "non-ASCII character": lambda draw, rid: _insert(
        draw, rid[:41], draw(st.sampled_from(UNICODE_LOOKALIKES))
    ),
    "whitespace around it": lambda draw, rid: draw(
        st.sampled_from([f" {rid[:41]}", f"{rid[:41]} ", f"{rid[:41]}\n", f"\t{rid[:41]}"])
    ),
    "one character or none": lambda draw, rid: rid[: draw(st.integers(0, 1))],
    "more than 42 characters": lambda draw, rid: (
        rid + draw(st.text(RESOURCE_ID_CHARS, min_size=43 - len(rid), max_size=60))
    ),
}
resource_id_near_misses = _near_misses(resource_ids, _RESOURCE_ID_MUTATIONS)

MAX_BUCKET_PREFIX = 7
# A prefix may be followed by any resource id and a [a-z0-9]{12} suffix. Among the
# names it can make, a bad one (if any) is among these: the longest resource id
# (the 63-character limit), and every tail of an S3-reserved prefix, such as
# "-", "s3-demo-" or "n--" (which complete "xn", "amzn" or "x" to a reserved
# prefix). No dots and an alphanumeric suffix rule out the other S3 rules.
WITNESS_RESOURCE_IDS = (
    "0" * 42,
    *{(reserved[i:] + "00")[:42] for reserved in RESERVED_PREFIXES for i in range(len(reserved))},
)
WITNESS_SUFFIX = "0" * 12


def names_a_prefix_can_make(prefix: str) -> list[str]:
    return [f"{prefix}-{rid}-{WITNESS_SUFFIX}" for rid in WITNESS_RESOURCE_IDS]


def is_valid_bucket_prefix(prefix: str) -> bool:
    """A prefix of ``[a-z0-9-]`` is good iff every name it can make is a valid S3 name."""
    return (
        bool(prefix)
        and all(c in RESOURCE_ID_CHARS for c in prefix)
        and all(is_valid_bucket_name(name) for name in names_a_prefix_can_make(prefix))
    )


# Every beginning of a reserved prefix, alone and followed by a character or two:
# where a prefix rule is most likely to be off by one.
_RESERVED_STEMS = sorted(
    {
        reserved[:i] + tail
        for reserved in RESERVED_PREFIXES
        for i in range(1, 9)
        for tail in ("", "-", "a", "0", "--", "-a")
    }
)
prefix_candidates = st.one_of(
    st.text(RESOURCE_ID_CHARS, max_size=MAX_BUCKET_PREFIX + 2),
    st.sampled_from(_RESERVED_STEMS),
)
bucket_prefixes = st.one_of(
    st.builds(
        lambda first, rest: first + rest,
        st.sampled_from(LOWER_ALNUM),
        st.text(RESOURCE_ID_CHARS, max_size=MAX_BUCKET_PREFIX - 1),
    ),
    st.sampled_from(_RESERVED_STEMS),
).filter(is_valid_bucket_prefix)
suffixes = st.text(SUFFIX_CHARS, min_size=12, max_size=12)
