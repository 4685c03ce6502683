"""Which IAM permission an IAM API call needs, on which resource, with which keys.

IAM has no resource policies: the caller's own policies decide
(https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html).
The action is ``iam:<Action>``; the resource is the role, user, group or policy
the call names (its ARN carries the entity's path, read from IAM for an existing
entity); ``iam:PermissionsBoundary`` is the boundary a call sets or the role
already has, ``iam:PolicyARN`` the managed policy an attach or detach names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from adapters.sandbox import moto_state

_BOUNDARY_SETTERS = {
    "CreateRole",
    "CreateUser",
    "PutRolePermissionsBoundary",
    "PutUserPermissionsBoundary",
}
_POLICY_ARN_KEYED = {"AttachRolePolicy", "DetachRolePolicy", "AttachUserPolicy", "DetachUserPolicy"}


@dataclass(frozen=True, slots=True)
class IamAccess:
    action: str
    resource: str
    context: Mapping[str, str]


def iam_access(account: str, form: Mapping[str, str]) -> IamAccess:
    operation = form.get("Action", "")
    return IamAccess(f"iam:{operation}", _resource(account, operation, form), _keys(account, form))


def _resource(account: str, operation: str, form: Mapping[str, str]) -> str:
    prefix = f"arn:aws:iam::{account}:"
    if "RoleName" in form:
        name = form["RoleName"]
        path = form.get("Path", "/") if operation == "CreateRole" else None
        return f"{prefix}role{path or moto_state.role_path(account, name) or '/'}{name}"
    if "UserName" in form:
        name = form["UserName"]
        path = form.get("Path", "/") if operation == "CreateUser" else None
        return f"{prefix}user{path or moto_state.user_path(account, name) or '/'}{name}"
    if operation == "CreatePolicy":
        return f"{prefix}policy{form.get('Path', '/')}{form.get('PolicyName', '')}"
    if "PolicyArn" in form:
        return form["PolicyArn"]
    if "GroupName" in form:
        return f"{prefix}group/{form['GroupName']}"
    return "*"


def _keys(account: str, form: Mapping[str, str]) -> dict[str, str]:
    operation = form.get("Action", "")
    keys: dict[str, str] = {}
    if operation in _BOUNDARY_SETTERS and "PermissionsBoundary" in form:
        keys["iam:PermissionsBoundary"] = form["PermissionsBoundary"]
    elif "RoleName" in form:
        current = moto_state.role_boundary_arn(account, form["RoleName"])
        if current is not None:
            keys["iam:PermissionsBoundary"] = current
    if operation in _POLICY_ARN_KEYED and "PolicyArn" in form:
        keys["iam:PolicyARN"] = form["PolicyArn"]
    return keys
