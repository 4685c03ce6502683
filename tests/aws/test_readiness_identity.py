"""`/ready`'s AWS check in `aws` mode: the credentials must be the principal
customers trust (BUCKETLINK_PRINCIPAL_ARN), else every probe would be denied."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.aws.platform_identity import NotThePrincipal
from adapters.aws.session import SharedSession
from adapters.aws_models.principals import is_principal
from entrypoints.readiness import ReadinessCheck, aws_check, remembered
from entrypoints.settings import Settings
from tests.aws.scripted_aws import ScriptedAws, caller_identity
from tests.unit.strategies import ROLE_NAME_CHARS, RoleArnParts, account_ids, role_arn_parts

PRINCIPAL = "arn:aws:iam::123456789012:role/platform/bucketlink-platform"
session_names = st.text(ROLE_NAME_CHARS, min_size=2, max_size=64)


def _session_arn(account: str, role_name: str, session: str) -> str:
    return f"arn:aws:sts::{account}:assumed-role/{role_name}/{session}"


@given(role_arn_parts, session_names)
def test_a_session_of_the_role_is_the_principal(role: RoleArnParts, session: str) -> None:
    assert is_principal(_session_arn(role.account, role.name, session), str(role))


@given(role_arn_parts, account_ids, session_names)
def test_the_same_role_name_in_another_account_is_not(
    role: RoleArnParts, account: str, session: str
) -> None:
    if account != role.account:
        assert not is_principal(_session_arn(account, role.name, session), str(role))


@given(role_arn_parts, role_arn_parts, session_names)
def test_another_role_is_not(role: RoleArnParts, other: RoleArnParts, session: str) -> None:
    if other.name != role.name:
        assert not is_principal(_session_arn(role.account, other.name, session), str(role))


def test_a_user_principal_is_itself_only() -> None:
    user = "arn:aws:iam::123456789012:user/bucketlink"
    assert is_principal(user, user)
    assert not is_principal("arn:aws:iam::123456789012:user/someone-else", user)
    assert not is_principal(_session_arn("123456789012", "bucketlink", "s"), user)


def _check(
    monkeypatch: pytest.MonkeyPatch, answer_arn: str, *, sandbox: bool = False
) -> ReadinessCheck:
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    session = SharedSession(
        aws_access_key_id="platform", aws_secret_access_key="platform", region_name="us-east-1"
    )
    ScriptedAws(session).script("GetCallerIdentity", caller_identity(answer_arn))
    settings = Settings(
        aws_mode="sandbox" if sandbox else "aws", principal_arn=PRINCIPAL, jwt_secret="s"
    )
    return aws_check(settings, session)


async def test_ready_when_the_credentials_are_the_principals(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    check = _check(monkeypatch, _session_arn("123456789012", "bucketlink-platform", "i-0abc"))
    await check()


async def test_not_ready_when_they_are_someone_elses_naming_both(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    other = _session_arn("123456789012", "deploy-bot", "ci")
    check = _check(monkeypatch, other)
    with pytest.raises(NotThePrincipal) as refused:
        await check()
    assert other in str(refused.value) and PRINCIPAL in str(refused.value)


async def test_the_sandbox_is_not_held_to_its_made_up_principal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    check = _check(monkeypatch, "arn:aws:sts::123456789012:user/moto", sandbox=True)
    await check()


async def test_an_aws_answer_stands_for_a_few_seconds_then_is_asked_again() -> None:
    # /ready needs no token: without this, anyone could make the service send
    # an STS call per request.
    asked: list[float] = []
    now = [100.0]

    async def ask() -> None:
        asked.append(now[0])
        if len(asked) == 2:
            raise ConnectionError("AWS down")

    check = remembered(ask, 5.0, clock=lambda: now[0])

    for _ in range(10):
        await check()
    now[0] += 5.0
    for _ in range(3):
        with pytest.raises(ConnectionError):  # the failure stands too
            await check()
    now[0] += 5.0
    await check()

    assert asked == [100.0, 105.0, 110.0]
