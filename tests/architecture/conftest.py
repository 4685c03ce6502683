from __future__ import annotations

from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def project_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    """The checks read pyproject.toml and name paths relative to the project."""
    monkeypatch.chdir(PROJECT_ROOT)
    return PROJECT_ROOT
