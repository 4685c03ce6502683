"""Managed bucket names: ``<prefix>-<resource_id>-<12 random [a-z0-9]>``.

The random suffix makes names unguessable, so nobody can learn who is a
customer by probing S3's global namespace for ``nio-<company>``.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from domain.errors import InvalidField
from domain.ports.suffix_source import SuffixSource
from domain.resource_id import MAX_LENGTH as MAX_RESOURCE_ID
from domain.resource_id import ResourceId
from domain.s3_uri import MAX_BUCKET_NAME_LENGTH, RESERVED_PREFIXES, BucketName

SUFFIX_LENGTH = 12
SUFFIX_ALPHABET = string.ascii_lowercase + string.digits
# Room left for the prefix in S3's 63 characters: two dashes, the longest
# resource id and the suffix.
MAX_PREFIX_LENGTH = MAX_BUCKET_NAME_LENGTH - 2 - MAX_RESOURCE_ID - SUFFIX_LENGTH
_PREFIX = re.compile(rf"[a-z0-9][a-z0-9-]{{0,{MAX_PREFIX_LENGTH - 1}}}")
_SUFFIX = re.compile(rf"[a-z0-9]{{{SUFFIX_LENGTH}}}")


@dataclass(frozen=True, slots=True)
class BucketPrefix:
    value: str = "nio"

    def __post_init__(self) -> None:
        if not _PREFIX.fullmatch(self.value):
            raise InvalidField(
                "bucket_prefix",
                f"must be 1-{MAX_PREFIX_LENGTH} of lowercase letters, digits and '-', "
                "starting with a letter or digit",
            )
        lead = f"{self.value}-"
        # A resource id may start with '-' or 's3-demo-': no completion of the
        # prefix may land in a namespace S3 reserves.
        if any(r.startswith(lead) or lead.startswith(r) for r in RESERVED_PREFIXES):
            raise InvalidField("bucket_prefix", "would make names S3 reserves")


@dataclass(frozen=True, slots=True)
class BucketNameGenerator:
    prefix: BucketPrefix
    suffixes: SuffixSource

    def name_for(self, resource_id: ResourceId) -> BucketName:
        suffix = self.suffixes.suffix(SUFFIX_LENGTH, SUFFIX_ALPHABET)
        if not _SUFFIX.fullmatch(suffix):
            raise ValueError("the suffix source broke its promise")
        return BucketName(f"{self.prefix.value}-{resource_id}-{suffix}")
