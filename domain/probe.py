"""What a probe of a customer's role and bucket found, step by step.

The wording of every failure lives here, so the boto3 probe, the sandbox and the
fakes say the same thing, and say it as AWS does: a denial names the call and
AWS's answer, never why AWS refused (the exact reason is the log's business).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

from domain.account_id import AccountId
from domain.error_codes import ErrorCode
from domain.external_id import ExternalId
from domain.identity import OrgId
from domain.role_arn import RoleArn
from domain.s3_uri import BucketName, S3Uri


class ProbeStep(enum.StrEnum):
    ASSUME_ROLE = "assume_role"
    EXTERNAL_ID_REQUIRED = "external_id_required"
    HEAD_BUCKET = "head_bucket"
    LIST_OBJECTS = "list_objects"


# Not an error: the code of a check not made because an earlier one failed.
SKIPPED: Final = "skipped"

# The stable code each step fails with (a bucket step may also find no bucket).
FAILURE_CODES: dict[ProbeStep, ErrorCode] = {
    ProbeStep.ASSUME_ROLE: ErrorCode.ASSUME_ROLE_DENIED,
    ProbeStep.EXTERNAL_ID_REQUIRED: ErrorCode.EXTERNAL_ID_NOT_ENFORCED,
    ProbeStep.HEAD_BUCKET: ErrorCode.BUCKET_ACCESS_DENIED,
    ProbeStep.LIST_OBJECTS: ErrorCode.LIST_DENIED,
}
# The condition every trust statement that lets the platform in must carry.
EXTERNAL_ID_CONDITION = (
    '"Condition": {"StringEquals": {"sts:ExternalId": "<your organisation\'s external id>"}}'
)
# What to fix, written once: a failed check's message ends with it (as plain
# text, see ``fix_for``) and the error catalogue's advice for the code is built
# on it. Literal text is marked as Markdown inline code so the catalogue shows
# it as code, and so that ``<...>`` is not taken for HTML there.
FIX_ADVICE: dict[ErrorCode, str] = {
    ErrorCode.ASSUME_ROLE_DENIED: (
        "Check that the role exists and that its trust policy allows the platform "
        "principal with `sts:ExternalId` equal to your organisation's external id "
        "(`GET /v1/account/aws-setup` gives both)."
    ),
    ErrorCode.EXTERNAL_ID_NOT_ENFORCED: (
        "Every statement of the role's trust policy that allows the platform principal "
        f"must carry `{EXTERNAL_ID_CONDITION}`, and no other statement may let it in: "
        "otherwise any organisation on the platform could register your role and read "
        "your bucket. `GET /v1/account/aws-setup` gives the exact trust policy. (A trust "
        "policy changed seconds ago may still answer as before while IAM propagates it.)"
    ),
    ErrorCode.BUCKET_NOT_FOUND: "Check the bucket name in `bucket_uri`: no such bucket exists.",
    ErrorCode.BUCKET_ACCESS_DENIED: (
        "Check `expected_bucket_owner_account_id` (it must be the account that owns the "
        "bucket) and that the role may `s3:ListBucket` on the bucket."
    ),
    ErrorCode.LIST_DENIED: (
        "Allow the role `s3:ListBucket` on the bucket for this prefix "
        "(and check any bucket policy that denies it)."
    ),
}


def fix_for(code: ErrorCode) -> str:
    """What to fix for a probe failure, as a check's message says it: plain text."""
    return FIX_ADVICE[code].replace("`", "")


FIXES: dict[ErrorCode, str] = {code: fix_for(code) for code in FIX_ADVICE}

# The AWS call each bucket step makes.
S3_OPERATIONS: dict[ProbeStep, str] = {
    ProbeStep.HEAD_BUCKET: "HeadBucket",
    ProbeStep.LIST_OBJECTS: "ListObjectsV2",
}


class BindingAttempt(enum.Enum):
    """The two AssumeRole calls that prove a role is bound to the caller's
    external id: each differs from the real one only in the external id, and
    each must be denied."""

    WITHOUT_EXTERNAL_ID = "without an external id"
    WITH_ANOTHER_EXTERNAL_ID = "with an external id that is not your organisation's"


@dataclass(frozen=True, slots=True)
class ProbeRequest:
    role: RoleArn
    target: S3Uri
    bucket_owner: AccountId
    external_id: ExternalId
    org_id: OrgId
    # Drawn afresh for each probe, of the same shape as an org's external id, so
    # a trust policy that accepts "any id but none" cannot tell it from a real one.
    decoy_external_id: ExternalId

    def __post_init__(self) -> None:
        if self.decoy_external_id == self.external_id:
            raise ValueError("the decoy external id must differ from the org's")

    @property
    def session_name(self) -> str:
        # Names the org in the customer's CloudTrail; 2-64 chars of [\w+=,.@-].
        return f"bucketlink-org-{self.org_id}"

    def binding_attempts(self) -> tuple[tuple[BindingAttempt, ExternalId | None], ...]:
        """Each binding attempt with the external id it sends (None: none at all)."""
        return (
            (BindingAttempt.WITHOUT_EXTERNAL_ID, None),
            (BindingAttempt.WITH_ANOTHER_EXTERNAL_ID, self.decoy_external_id),
        )


@dataclass(frozen=True, slots=True)
class ProbeCheck:
    name: ProbeStep
    ok: bool
    code: ErrorCode | Literal["skipped"] | None
    message: str


@dataclass(frozen=True, slots=True)
class ProbeReport:
    checks: tuple[ProbeCheck, ...]
    # What HeadBucket said the bucket's region is, when it got that far.
    bucket_region: str | None = None

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    @property
    def failure(self) -> ProbeCheck | None:
        return next((c for c in self.checks if not c.ok and c.code != SKIPPED), None)

    @classmethod
    def passed(cls, bucket_region: str | None = None) -> ProbeReport:
        checks = tuple(ProbeCheck(step, True, None, "ok") for step in ProbeStep)
        return cls(checks, bucket_region)

    @classmethod
    def failed_at(cls, step: ProbeStep, code: ErrorCode, detail: str) -> ProbeReport:
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


def assume_role_refused(
    role: RoleArn, aws_code: str, retried_for_seconds: float | None = None
) -> ProbeReport:
    """AssumeRole with the org's external id was refused (``aws_code`` as AWS said it)."""
    detail = f"AssumeRole on {role} was refused ({aws_code})."
    if retried_for_seconds is not None:
        detail += (
            f" It was retried for {retried_for_seconds:g} seconds, because IAM changes "
            "take a few seconds to propagate."
        )
    step = ProbeStep.ASSUME_ROLE
    return ProbeReport.failed_at(step, FAILURE_CODES[step], detail)


def external_id_not_enforced(role: RoleArn, got_in: Sequence[BindingAttempt]) -> ProbeReport:
    """The role let the platform in on a binding attempt: it is not bound to the org."""
    attempts = " and ".join(attempt.value for attempt in got_in)
    detail = (
        f"AssumeRole on {role} also succeeded {attempts}: its trust policy does not "
        "require your organisation's external id."
    )
    step = ProbeStep.EXTERNAL_ID_REQUIRED
    return ProbeReport.failed_at(step, FAILURE_CODES[step], detail)


def s3_call_refused(
    step: ProbeStep, bucket: BucketName, status: int, aws_code: str | None = None
) -> ProbeReport:
    """A bucket step's call answered ``status`` (and ``aws_code``, when S3 sent one)."""
    said = f" ({aws_code})" if aws_code and aws_code != str(status) else ""
    detail = f"{S3_OPERATIONS[step]} on {bucket} answered HTTP {status}{said}."
    if status == 404 or aws_code in _NOT_FOUND:
        return ProbeReport.failed_at(step, ErrorCode.BUCKET_NOT_FOUND, detail)
    # 403 is the expected denial; any other client error still means this step
    # failed for a reason on the customer's side, so it is reported as the step's.
    return ProbeReport.failed_at(step, FAILURE_CODES[step], detail)


_NOT_FOUND = frozenset({"404", "NoSuchBucket", "NotFound"})
