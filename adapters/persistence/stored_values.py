"""Value objects rebuilt from stored columns, remembered by their text.

Every value was validated before it was stored, and is validated again when it
is read back (a row edited by hand must not slip past the rules). A page of 50
connectors did that 200 times per request, a third of the list route's time.
Value objects are immutable, so the one built from a given text can be handed
out again instead of being validated again.
"""

from __future__ import annotations

from functools import lru_cache

from domain.account_id import AccountId
from domain.credential_name import CredentialName
from domain.identity import Caller, OrgId
from domain.role_arn import RoleArn
from domain.s3_uri import S3Uri

_SIZE = 4096

credential_name = lru_cache(maxsize=_SIZE)(CredentialName)
s3_uri = lru_cache(maxsize=_SIZE)(S3Uri.parse)
role_arn = lru_cache(maxsize=_SIZE)(RoleArn.parse)
account_id = lru_cache(maxsize=_SIZE)(AccountId)


@lru_cache(maxsize=_SIZE)
def owner(user_id: str, org_id: int) -> Caller:
    return Caller(user_id, OrgId(org_id))
