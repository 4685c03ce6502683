"""Whom a resource policy's ``Principal`` (or ``NotPrincipal``) element names.

As the IAM User Guide's "AWS JSON policy elements: Principal" defines it
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html):

* ``"*"`` and ``{"AWS": "*"}`` are every principal (#principal-anonymous).
* An account id, or its ``arn:aws:iam::<account>:root``, delegates to the
  account: every principal in it, as far as its own IAM policies let it
  (#principal-accounts).
* A role ARN names the role and the sessions of it, whose ARN
  ``arn:aws:sts::<account>:assumed-role/<name>/<session>`` drops the role's path
  (#principal-roles); a session ARN names that session alone (#principal-sessions);
  a user ARN names that user (#principal-users).
* ``Service``, ``Federated`` and ``CanonicalUser`` principals are never an IAM user
  or role session, and no wildcard matches part of a principal's ARN.

How the element names the caller (``Grant``) decides which of the caller's own
policies still limit what a grant to it allows (``authorization``).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from adapters.aws_models.policy_grammar import CannotJudge, strings

_EVERYONE = "*"
_IAM_ARN = re.compile(
    r"arn:(?P<partition>[^:]+):(?P<service>iam|sts)::(?P<account>[0-9]{12}):(?P<resource>.*)"
)


class Grant(enum.IntEnum):
    """How a statement names the caller, from the grant the caller's own
    policies limit most to the one they limit least."""

    # The caller's account: "an administrator in that account must then grant
    # access to an identity".
    ACCOUNT = 1
    # The role the calling session is of: limited by the role's permissions
    # boundary and the session's policies.
    ROLE = 2
    # The caller itself (its user or session ARN), or everyone.
    DIRECT = 3


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller as a resource policy sees it: its ARN (a user's or a
    session's), its account, and for a role session the role's ARN."""

    arn: str
    account: str
    role_arn: str | None = None

    @classmethod
    def of(cls, principal: Principal | str) -> Principal:
        """A principal as given; an ARN alone stands for that user or role
        itself (a role ARN for the role, as a session's role is unknown)."""
        if isinstance(principal, Principal):
            return principal
        parsed = _IAM_ARN.fullmatch(principal)
        if parsed is None:
            return cls(principal, "")
        is_role = parsed["service"] == "iam" and parsed["resource"].startswith("role/")
        return cls(principal, parsed["account"], principal if is_role else None)

    def account_names(self) -> tuple[str, ...]:
        """The two ways a policy names the principal's account."""
        parsed = _IAM_ARN.fullmatch(self.arn)
        partition = parsed["partition"] if parsed else "aws"
        return (self.account, f"arn:{partition}:iam::{self.account}:root") if self.account else ()


def grant_to(element: Any, principal: Principal) -> Grant | None:
    """How a ``Principal`` element names ``principal``; None if it does not."""
    if element == _EVERYONE:
        return Grant.DIRECT
    if not isinstance(element, Mapping):
        raise CannotJudge("Principal must be '*' or an object")
    # Only the AWS kind names IAM users and roles; other kinds never match one.
    named = [_names(candidate, principal) for candidate in strings(element.get("AWS", []))]
    return max((grant for grant in named if grant is not None), default=None)


def _names(candidate: str, principal: Principal) -> Grant | None:
    if candidate == _EVERYONE:
        return Grant.DIRECT
    # Checked before the principal's own ARN: a role ARN given alone is that role.
    if candidate == principal.role_arn:
        return Grant.ROLE
    if candidate == principal.arn:
        return Grant.DIRECT
    if candidate in principal.account_names():
        return Grant.ACCOUNT
    return None
