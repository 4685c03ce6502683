"""BUCKETLINK_LOG_LEVEL: one of four names, anything else refused at start-up
with the variable named."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from entrypoints.settings import SettingsError, load_settings

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
BASE = {"BUCKETLINK_JWT_SECRET": "s" * 32}  # else the sandbox would make one on disk


@pytest.mark.parametrize("level", LEVELS)
def test_each_level_is_taken(level: str) -> None:
    assert load_settings({**BASE, "BUCKETLINK_LOG_LEVEL": level}).log_level == level


def test_info_by_default() -> None:
    assert load_settings(BASE).log_level == "INFO"


@given(st.text(min_size=1).filter(lambda text: text not in LEVELS))
def test_anything_else_is_refused_naming_the_variable(level: str) -> None:
    with pytest.raises(SettingsError, match="BUCKETLINK_LOG_LEVEL"):
        load_settings({**BASE, "BUCKETLINK_LOG_LEVEL": level})
