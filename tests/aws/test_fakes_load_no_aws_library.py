"""Another service testing against the fakes needs no AWS library loaded: the
import-linter contract says no fake imports one, and this checks what a fresh
interpreter actually loads (package ``__init__`` modules included, which the
contract does not follow)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

# A separate program.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
_LOAD_THE_FAKES = """
import json, sys
import adapters.fakes.fake_aws, adapters.fakes.fake_provisioner, adapters.fakes.fake_transport
import adapters.fakes.in_memory_connectors, adapters.fakes.in_memory_managed_buckets
import adapters.fakes.in_memory_organisations
loaded = {name.split(".")[0] for name in sys.modules}
print(json.dumps(sorted(loaded & {"boto3", "botocore", "moto", "piccolo"})))
"""


def test_the_fakes_load_no_aws_library() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _LOAD_THE_FAKES],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
