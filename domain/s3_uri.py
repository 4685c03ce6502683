from __future__ import annotations

import re
from dataclasses import dataclass

from domain.errors import InvalidField
from domain.unsafe_text import RULE, unsafe_character

MIN_BUCKET_NAME_LENGTH, MAX_BUCKET_NAME_LENGTH = 3, 63
# The length is checked first, on its own: this is the characters' rule only.
_BUCKET_CHARS = re.compile(r"[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?")
# The beginnings and endings S3 reserves for its own features (access points,
# Object Lambda, S3 Express, table buckets, S3 vectors), as listed in
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
# The parser refuses them here, and the bucket name generator refuses any prefix
# that could complete to one (domain/bucket_naming.py): one list for both.
RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")
_FORBIDDEN_IN_URI = re.compile(r"[\s?#]")
# "Formatted as an IP address", as S3 words it: leading zeros or octets over 255
# (192.168.05.4, 999.1.1.1) look like one just the same.
_IPV4_FORMAT = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,3}){3}")


def bucket_name_problem(name: str) -> str | None:
    """Why ``name`` is not a valid general-purpose S3 bucket name, or None."""
    if not MIN_BUCKET_NAME_LENGTH <= len(name) <= MAX_BUCKET_NAME_LENGTH:
        return f"bucket name must be {MIN_BUCKET_NAME_LENGTH}-{MAX_BUCKET_NAME_LENGTH} characters"
    if not _BUCKET_CHARS.fullmatch(name):
        return (
            "bucket name may hold only lowercase letters, digits, '.' and '-', "
            "and must start and end with a letter or digit"
        )
    if ".." in name:
        return "bucket name must not contain '..'"
    if _IPV4_FORMAT.fullmatch(name):
        return "bucket name must not be formatted as an IP address"
    if name.startswith(RESERVED_PREFIXES) or name.endswith(RESERVED_SUFFIXES):
        return "bucket name uses a prefix or suffix that S3 reserves"
    return None


@dataclass(frozen=True, slots=True)
class BucketName:
    value: str

    def __post_init__(self) -> None:
        problem = bucket_name_problem(self.value)
        if problem is not None:
            raise InvalidField("bucket", problem)

    def __str__(self) -> str:
        return self.value

    @property
    def arn(self) -> str:
        return f"arn:aws:s3:::{self.value}"


@dataclass(frozen=True, slots=True)
class S3Uri:
    """``s3://bucket`` or ``s3://bucket/prefix``; the prefix is kept exactly as given."""

    bucket: BucketName
    prefix: str = ""

    @classmethod
    def parse(cls, text: str, field: str = "bucket_uri") -> S3Uri:
        if not text.startswith("s3://"):
            raise InvalidField(field, "must start with s3://")
        if _FORBIDDEN_IN_URI.search(text):
            raise InvalidField(field, "must not contain whitespace, '?' or '#'")
        if unsafe_character(text) is not None:
            raise InvalidField(field, RULE)
        bucket, _, prefix = text.removeprefix("s3://").partition("/")
        problem = bucket_name_problem(bucket)
        if problem is not None:
            raise InvalidField(field, problem)
        if len(prefix.encode()) > 1024:
            raise InvalidField(field, "prefix must be at most 1024 bytes (the S3 key limit)")
        return cls(BucketName(bucket), prefix)

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}" if self.prefix else f"s3://{self.bucket}"
