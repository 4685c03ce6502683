"""What importing some modules loads, asked of a fresh interpreter: the test
process has long since imported nearly everything itself."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def top_level_packages_loaded(imports: Iterable[str], watched: Iterable[str]) -> list[str]:
    """Which of the ``watched`` top-level packages importing ``imports`` loads
    (package ``__init__`` modules included), sorted."""
    source = "\n".join(
        [
            "import json, sys",
            *(f"import {module}" for module in imports),
            "loaded = {name.split('.')[0] for name in sys.modules}",
            f"print(json.dumps(sorted(loaded & {set(watched)!r})))",
        ]
    )
    done = subprocess.run(
        [sys.executable, "-c", source], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    loaded: list[str] = json.loads(done.stdout)
    return loaded
