"""The import-linter contracts of pyproject.toml: one arrow inward (entrypoints, then
adapters, then application, then domain), and no framework or AWS library in the
domain or the use cases."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# Run apart from pytest: import-linter configures logging and prints as a CLI does.
_LINT = (
    "import sys; from importlinter.cli import lint_imports; "
    "sys.exit(lint_imports(no_cache=True, no_logo=True))"
)


def test_every_import_contract_is_kept(project_root: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _LINT],
        cwd=project_root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
