"""Settings the environment must get right, refused at start-up with the
variable named: BUCKETLINK_LOG_LEVEL, BUCKETLINK_PRINCIPAL_ARN."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from entrypoints.settings import SettingsError, load_settings
from tests.unit.strategies import role_arn_parts

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
