"""The provisioning algorithm's ``AwsTransport`` over a ``FakeAws`` world, as one
account: each request goes through the world's call log (recorded, and failed
there if a fault is injected for it), then its parameters are read as S3 and IAM
read them (documents as JSON text, tags as a TagSet) and applied to the world,
and the answer has the fields boto3's would that the algorithm reads.

Only the operations the platform's provisioning sends are offered.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from adapters.aws_models.provisioning_requests import AwsRequest
from adapters.fakes.aws_rules import FakeAwsError
from adapters.fakes.fake_aws import FakeAws, RoleState
from domain.account_id import AccountId
from domain.role_arn import RoleArn

Params = Mapping[str, Any]
Answer = Mapping[str, Any]


class FakeAwsTransport:
    def __init__(self, world: FakeAws, account: AccountId) -> None:
        self._world = world
        self._account = account
        self._operations: Mapping[str, Callable[[Params], Answer]] = {
            "HeadBucket": self._head_bucket,
            "CreateBucket": self._create_bucket,
            "PutPublicAccessBlock": self._put_public_access_block,
            "PutBucketEncryption": self._put_bucket_encryption,
            "PutBucketPolicy": self._put_bucket_policy,
            "PutBucketTagging": self._put_bucket_tagging,
            "DeleteBucket": self._delete_bucket,
            "CreateRole": self._create_role,
            "GetRole": self._get_role,
            "UpdateAssumeRolePolicy": self._update_assume_role_policy,
            "PutRolePolicy": self._put_role_policy,
            "DeleteRolePolicy": self._delete_role_policy,
            "DeleteRole": self._delete_role,
        }

    def send(self, aws: AwsRequest) -> Answer:
        operation = self._operations.get(aws.operation)
        if operation is None:
            raise NotImplementedError(f"the fake does not offer {aws.operation}")
        self._world.call(aws.operation, **aws.params)
        return operation(aws.params)

    # -- S3 --

    def _head_bucket(self, params: Params) -> Answer:
        # A HEAD has no body: S3's answer is its status alone.
        bucket = self._world.bucket_state(params["Bucket"])
        if bucket is None:
            raise FakeAwsError("404", "Not Found", status=404)
        if bucket.owner != self._account.value:
            raise FakeAwsError("403", "Forbidden", status=403)
        return {}

    def _create_bucket(self, params: Params) -> Answer:
        name = params["Bucket"]
        ownership = params.get("ObjectOwnership")
        self._world.create_bucket(self._account.value, name, object_ownership=ownership)
        return {"Location": f"/{name}"}

    def _put_public_access_block(self, params: Params) -> Answer:
        configuration = params["PublicAccessBlockConfiguration"]
        self._world.put_public_access_block(self._own(params), configuration)
        return {}

    def _put_bucket_encryption(self, params: Params) -> Answer:
        rules = params["ServerSideEncryptionConfiguration"]["Rules"]
        if len(rules) != 1:
            raise FakeAwsError("MalformedXML", "a bucket has exactly one encryption rule")
        self._world.put_bucket_encryption(self._own(params), rules[0])
        return {}

    def _put_bucket_policy(self, params: Params) -> Answer:
        document = _document(params["Policy"], "MalformedPolicy")
        self._world.put_bucket_policy(self._own(params), document)
        return {}

    def _put_bucket_tagging(self, params: Params) -> Answer:
        tag_set = params["Tagging"]["TagSet"]
        tags = {tag["Key"]: tag["Value"] for tag in tag_set}
        if len(tags) != len(tag_set):
            raise FakeAwsError("InvalidTag", "Cannot provide multiple Tags with the same key")
        self._world.put_bucket_tagging(self._own(params), tags)
        return {}

    def _delete_bucket(self, params: Params) -> Answer:
        self._world.delete_bucket(self._own(params))
        return {}

    def _own(self, params: Params) -> str:
        """The request's bucket, which only its owner may change."""
        name: str = params["Bucket"]
        bucket = self._world.bucket_state(name)
        if bucket is not None and bucket.owner != self._account.value:
            raise FakeAwsError("AccessDenied", "Access Denied")
        return name

    # -- IAM --

    def _create_role(self, params: Params) -> Answer:
        trust = _document(params["AssumeRolePolicyDocument"], "MalformedPolicyDocument")
        arn = self._world.create_role(
            self._account.value,
            params["RoleName"],
            trust,
            params.get("Path", "/"),
            permissions_boundary=params.get("PermissionsBoundary"),
        )
        return {"Role": _role_answer(self._existing(arn))}

    def _get_role(self, params: Params) -> Answer:
        return {"Role": _role_answer(self._existing(self._role_named(params)))}

    def _update_assume_role_policy(self, params: Params) -> Answer:
        trust = _document(params["PolicyDocument"], "MalformedPolicyDocument")
        self._world.update_trust_policy(self._role_named(params), trust)
        return {}

    def _put_role_policy(self, params: Params) -> Answer:
        document = _document(params["PolicyDocument"], "MalformedPolicyDocument")
        self._world.put_role_policy(self._role_named(params), params["PolicyName"], document)
        return {}

    def _delete_role_policy(self, params: Params) -> Answer:
        self._world.delete_role_policy(self._role_named(params), params["PolicyName"])
        return {}

    def _delete_role(self, params: Params) -> Answer:
        # DeleteConflict while inline policies remain, as IAM answers.
        self._world.delete_role(self._role_named(params))
        return {}

    def _role_named(self, params: Params) -> RoleArn:
        # IAM names a role by its name alone within the account; the path is not needed.
        return RoleArn(self._account, "/", params["RoleName"])

    def _existing(self, arn: RoleArn) -> RoleState:
        state = self._world.role_state(arn)
        if state is None:
            raise FakeAwsError("NoSuchEntity", f"no role {arn}")
        return state


def _role_answer(state: RoleState) -> Answer:
    role: dict[str, Any] = {
        "RoleName": state.arn.role_name,
        "Path": state.arn.path,
        "Arn": str(state.arn),
        "AssumeRolePolicyDocument": dict(state.trust_policy),
    }
    if state.permissions_boundary is not None:
        role["PermissionsBoundary"] = {
            "PermissionsBoundaryType": "Policy",
            "PermissionsBoundaryArn": state.permissions_boundary,
        }
    return role


def _document(text: Any, malformed: str) -> dict[str, Any]:
    """A policy sent as JSON text, as S3 and IAM take them."""
    try:
        document = json.loads(text)
    except (TypeError, ValueError):
        raise FakeAwsError(malformed, "the policy is not JSON") from None
    if not isinstance(document, dict):
        raise FakeAwsError(malformed, "a policy is a JSON object")
    return document
