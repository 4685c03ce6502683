"""What AWS refuses to store, and how it says so: the error a building call gets
(with the HTTP status AWS answers it with), and S3's and IAM's rules for tags,
public access blocks, encryption rules, role names and policy documents."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from adapters.aws_models.aws_transport import AwsError
from adapters.aws_models.policy_evaluation import PolicyDocument, statements, well_formed
from domain.account_id import AccountId
from domain.errors import InvalidField
from domain.role_arn import RoleArn

# The status AWS answers each code the fake uses with; any other code is a 400.
_STATUS = {
    "NoSuchBucket": 404,
    "NoSuchEntity": 404,
    "AccessDenied": 403,
    "BucketAlreadyExists": 409,
    "BucketAlreadyOwnedByYou": 409,
    "BucketNotEmpty": 409,
    "EntityAlreadyExists": 409,
    "DeleteConflict": 409,
}
PUBLIC_ACCESS_BLOCKS = frozenset(
    {"BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"}
)
SSE_ALGORITHMS = frozenset({"AES256", "aws:kms", "aws:kms:dsse"})
_MAX_TAGS = 50


class FakeAwsError(AwsError):
    """What AWS would answer a bad building call with (``code`` as AWS names it)."""

    def __init__(self, code: str, message: str, *, status: int | None = None) -> None:
        super().__init__(code, message, status=status or _STATUS.get(code, 400))


def tags_problem(tags: Mapping[str, str]) -> str | None:
    # S3's limits; "aws:" keys are AWS's own.
    if len(tags) > _MAX_TAGS:
        return f"at most {_MAX_TAGS} tags"
    for key, value in tags.items():
        if not 1 <= len(key) <= 128 or len(value) > 256:
            return "a tag key is 1-128 characters, a value at most 256"
        if key.lower().startswith("aws:"):
            return "System tags cannot be added/updated by requester"
    return None


def role_arn(account_id: str, path: str, name: str) -> RoleArn:
    try:
        return RoleArn(AccountId(account_id), path, name)
    except InvalidField as error:
        raise FakeAwsError("ValidationError", error.message) from None


def checked_policy(document: Mapping[str, Any]) -> PolicyDocument:
    # AWS refuses documents it cannot parse; a copy keeps later edits by the
    # caller from changing what is stored.
    if not well_formed(document):
        raise FakeAwsError("MalformedPolicyDocument", "a policy needs a Statement")
    if not all(isinstance(s.get("Effect"), str) for s in statements(document)):
        raise FakeAwsError("MalformedPolicyDocument", "every statement needs an Effect")
    return copy.deepcopy(dict(document))
