"""ruff, as configured in pyproject.toml, finds nothing anywhere in the project."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_ruff_check_is_clean(project_root: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
        cwd=project_root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
