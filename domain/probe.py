"""What a probe of a customer's role and bucket found, step by step."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from domain.account_id import AccountId
from domain.external_id import ExternalId
from domain.identity import OrgId
from domain.role_arn import RoleArn
from domain.s3_uri import S3Uri


class ProbeStep(enum.StrEnum):
    ASSUME_ROLE = "assume_role"
    HEAD_BUCKET = "head_bucket"
    LIST_OBJECTS = "list_objects"


SKIPPED = "skipped"

# The stable code each step fails with, and what the customer should fix.
FAILURE_CODES: dict[ProbeStep, str] = {
    ProbeStep.ASSUME_ROLE: "assume_role_denied",
    ProbeStep.HEAD_BUCKET: "bucket_access_denied",
    ProbeStep.LIST_OBJECTS: "list_denied",
}
FIXES: dict[str, str] = {
    "assume_role_denied": (
        "Check that the role exists and that its trust policy allows the platform "
        "principal with sts:ExternalId equal to your organisation's external id "
        "(GET /v1/account/aws-setup gives both)."
    ),
    "bucket_not_found": "Check the bucket name in bucket_uri: no such bucket exists.",
    "bucket_access_denied": (
        "Check expected_bucket_owner_account_id (it must be the account that owns the "
        "bucket) and that the role may s3:ListBucket on the bucket."
    ),
    "list_denied": (
        "Allow the role s3:ListBucket on the bucket for this prefix "
        "(and check any bucket policy that denies it)."
    ),
}


@dataclass(frozen=True, slots=True)
class ProbeRequest:
    role: RoleArn
    target: S3Uri
    bucket_owner: AccountId
    external_id: ExternalId
    org_id: OrgId

    @property
    def session_name(self) -> str:
        # Names the org in the customer's CloudTrail; 2-64 chars of [\w+=,.@-].
        return f"bucketlink-org-{self.org_id}"


@dataclass(frozen=True, slots=True)
class ProbeCheck:
    name: ProbeStep
    ok: bool
    code: str | None
    message: str


@dataclass(frozen=True, slots=True)
class ProbeReport:
    checks: tuple[ProbeCheck, ...]

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    @property
    def failure(self) -> ProbeCheck | None:
        return next((c for c in self.checks if not c.ok and c.code != SKIPPED), None)

    @classmethod
    def passed(cls) -> ProbeReport:
        return cls(tuple(ProbeCheck(step, True, None, "ok") for step in ProbeStep))

    @classmethod
    def failed_at(cls, step: ProbeStep, code: str, detail: str) -> ProbeReport:
        """The report of a probe that stopped at ``step``: earlier steps passed,
        later ones were skipped."""
        checks: list[ProbeCheck] = []
        reached = False
        for each in ProbeStep:
            if each is step:
                checks.append(
                    ProbeCheck(each, False, code, f"{detail} {FIXES.get(code, '')}".strip())
                )
                reached = True
            elif reached:
                checks.append(ProbeCheck(each, False, SKIPPED, f"skipped: {step} failed"))
            else:
                checks.append(ProbeCheck(each, True, None, "ok"))
        return cls(tuple(checks))
