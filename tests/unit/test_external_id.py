from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.account_id import AccountId
from domain.errors import InvalidField
from domain.external_id import ExternalId
from domain.identity import OrgId
from domain.probe import ProbeRequest
from domain.role_arn import RoleArn
from domain.s3_uri import S3Uri

from .strategies import (
    EXTERNAL_ID_CHARS,
    RoleArnParts,
    account_ids,
    bucket_names,
    external_ids,
    org_ids,
    role_arn_parts,
)

forbidden = st.characters(exclude_categories=["Cs"]).filter(lambda c: c not in EXTERNAL_ID_CHARS)
# Long and random enough that finding it in other text would be a coincidence.
secrets = st.text(string.ascii_letters + string.digits + "-", min_size=32, max_size=64)


def rejects(value: str) -> InvalidField:
    with pytest.raises(InvalidField) as raised:
        ExternalId(value)
    assert raised.value.field == "external_id"
    return raised.value


@given(external_ids)
def test_2_to_1224_characters_of_the_sts_alphabet_are_an_external_id(text: str) -> None:
    assert ExternalId(text).value == text
    assert str(ExternalId(text)) == text


too_long = st.builds(
    lambda unit, size: (unit * size)[:size],
    st.text(EXTERNAL_ID_CHARS, min_size=1, max_size=20),
    st.integers(1225, 3000),
)


@given(st.text(EXTERNAL_ID_CHARS, max_size=1) | too_long)
def test_fewer_than_2_or_more_than_1224_characters_are_rejected(text: str) -> None:
    rejects(text)


@given(external_ids.filter(lambda t: len(t) < 1224), forbidden, st.data())
def test_one_character_outside_the_sts_alphabet_is_rejected(
    text: str, bad: str, data: st.DataObject
) -> None:
    at = data.draw(st.integers(0, len(text)), label="position")
    rejects(text[:at] + bad + text[at:])


@given(external_ids, external_ids)
def test_the_repr_of_an_external_id_is_the_same_whatever_its_value(a: str, b: str) -> None:
    assert repr(ExternalId(a)) == repr(ExternalId(b))


@given(secrets, secrets, role_arn_parts, bucket_names, account_ids, org_ids)
def test_the_repr_of_what_holds_an_external_id_is_the_same_whatever_the_external_id(
    secret: str, other: str, role: RoleArnParts, bucket: str, owner: str, org: int
) -> None:
    def request(external_id: str) -> ProbeRequest:
        return ProbeRequest(
            role=RoleArn.parse(str(role)),
            target=S3Uri.parse(f"s3://{bucket}"),
            bucket_owner=AccountId(owner),
            external_id=ExternalId(external_id),
            org_id=OrgId(org),
            decoy_external_id=ExternalId(f"{external_id}-decoy"),
        )

    assert repr(request(secret)) == repr(request(other))


@given(secrets, forbidden)
def test_a_rejected_external_id_is_not_echoed_in_the_error(secret: str, bad: str) -> None:
    error = rejects(secret + bad)
    assert secret not in str(error)
    assert secret not in error.message
