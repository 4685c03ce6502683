"""Settings the environment must get right, refused at start-up with the
variable named: BUCKETLINK_LOG_LEVEL, BUCKETLINK_PRINCIPAL_ARN,
BUCKETLINK_ROLE_BOUNDARY_ARN."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from entrypoints.settings import SANDBOX_ROLE_BOUNDARY_ARN, SettingsError, load_settings
from tests.unit.strategies import ROLE_NAME_CHARS, account_ids, iam_paths, role_arn_parts

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
BASE = {"BUCKETLINK_JWT_SECRET": "s" * 32}  # else the sandbox would make one on disk


@pytest.mark.parametrize("level", LEVELS)
def test_each_level_is_taken(level: str) -> None:
    assert load_settings({**BASE, "BUCKETLINK_LOG_LEVEL": level}).log_level == level


def test_info_by_default() -> None:
    assert load_settings(BASE).log_level == "INFO"


@given(st.text(min_size=1).filter(lambda text: text not in LEVELS))
def test_any_other_level_is_refused_naming_the_variable(level: str) -> None:
    with pytest.raises(SettingsError, match="BUCKETLINK_LOG_LEVEL"):
        load_settings({**BASE, "BUCKETLINK_LOG_LEVEL": level})


@given(role_arn_parts)
def test_a_role_arn_is_taken_as_the_principal(role: object) -> None:
    settings = load_settings({**BASE, "BUCKETLINK_PRINCIPAL_ARN": str(role)})
    assert settings.principal_arn == str(role)


@pytest.mark.parametrize(
    "principal",
    [
        "bucketlink-platform",
        "arn:aws:iam::12345678901:role/short-account",
        "arn:aws:iam::123456789012:policy/not-a-principal",
        "arn:aws:sts::123456789012:assumed-role/platform/session",
        "arn:aws:iam::123456789012:role/",
        "arn:aws:iam::123456789012:role/has space",
    ],
)
def test_anything_else_is_refused_as_the_principal(principal: str) -> None:
    with pytest.raises(SettingsError, match="BUCKETLINK_PRINCIPAL_ARN"):
        load_settings({**BASE, "BUCKETLINK_PRINCIPAL_ARN": principal})


# -- BUCKETLINK_ROLE_BOUNDARY_ARN --

PLATFORM = "123456789012"
AWS = {
    **BASE,
    "BUCKETLINK_AWS": "aws",
    "BUCKETLINK_PRINCIPAL_ARN": f"arn:aws:iam::{PLATFORM}:role/platform",
}
policy_names = st.text(ROLE_NAME_CHARS, min_size=1, max_size=128)


def policy_arn(account: str, path: str, name: str) -> str:
    return f"arn:aws:iam::{account}:policy{path}{name}"


def test_the_sandbox_has_a_boundary_of_its_own() -> None:
    settings = load_settings({**BASE, "BUCKETLINK_ROLE_BOUNDARY_ARN": ""})

    assert settings.role_boundary_arn == SANDBOX_ROLE_BOUNDARY_ARN


def test_aws_mode_refuses_to_start_without_a_boundary() -> None:
    with pytest.raises(SettingsError, match="BUCKETLINK_ROLE_BOUNDARY_ARN is required"):
        load_settings(AWS)


@given(account_ids, iam_paths, policy_names)
def test_any_customer_managed_policy_is_taken_as_the_boundary(
    account: str, path: str, name: str
) -> None:
    boundary = policy_arn(account, path, name)

    settings = load_settings({**BASE, "BUCKETLINK_ROLE_BOUNDARY_ARN": boundary})

    assert settings.role_boundary_arn == boundary


@given(iam_paths, policy_names)
def test_aws_mode_takes_a_boundary_in_the_platforms_account(path: str, name: str) -> None:
    boundary = policy_arn(PLATFORM, path, name)

    settings = load_settings({**AWS, "BUCKETLINK_ROLE_BOUNDARY_ARN": boundary})

    assert settings.role_boundary_arn == boundary


@given(account_ids.filter(lambda account: account != PLATFORM), iam_paths, policy_names)
def test_aws_mode_refuses_a_boundary_in_another_account(account: str, path: str, name: str) -> None:
    # IAM only sets a policy of the role's own account as its boundary.
    with pytest.raises(SettingsError, match="BUCKETLINK_ROLE_BOUNDARY_ARN"):
        load_settings({**AWS, "BUCKETLINK_ROLE_BOUNDARY_ARN": policy_arn(account, path, name)})


@given(
    st.one_of(
        role_arn_parts.map(str),
        st.text(min_size=1).filter(lambda text: ":policy/" not in text and text.strip()),
        st.builds(policy_arn, account_ids, iam_paths, st.text(ROLE_NAME_CHARS, min_size=129)),
        st.builds(policy_arn, account_ids, iam_paths, st.just("")),
        st.builds(
            lambda account, name: f"arn:aws:iam::{account[:11]}:policy/{name}",
            account_ids,
            policy_names,
        ),
    )
)
def test_anything_but_a_customer_managed_policy_is_refused_as_the_boundary(text: str) -> None:
    with pytest.raises(SettingsError, match="BUCKETLINK_ROLE_BOUNDARY_ARN"):
        load_settings({**BASE, "BUCKETLINK_ROLE_BOUNDARY_ARN": text})


@pytest.mark.parametrize(
    "boundary",
    [
        "arn:aws:iam::aws:policy/AdministratorAccess",
        "arn:aws-cn:iam::123456789012:policy/boundary",
        "arn:aws:iam::123456789012:policy/has space",
        "arn:aws:iam::123456789012:policy/",
        "arn:aws:iam::123456789012:role/boundary",
    ],
)
def test_these_are_refused_as_the_boundary(boundary: str) -> None:
    with pytest.raises(SettingsError, match="BUCKETLINK_ROLE_BOUNDARY_ARN"):
        load_settings({**BASE, "BUCKETLINK_ROLE_BOUNDARY_ARN": boundary})
