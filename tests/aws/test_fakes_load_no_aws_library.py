"""Another service testing against the fakes needs no AWS library loaded: the
import-linter contract says no fake imports one, and this checks what a fresh
interpreter actually loads (package ``__init__`` modules included, which the
contract does not follow)."""

from __future__ import annotations

import pytest

from tests.support.fresh_interpreter import top_level_packages_loaded

# A separate program.
pytestmark = pytest.mark.slow

_FAKES = [
    f"adapters.fakes.{name}"
    for name in (
        "fake_access_probe",
        "fake_aws",
        "fake_provisioner",
        "fake_transport",
        "in_memory_connectors",
        "in_memory_managed_buckets",
        "in_memory_organisations",
    )
]


def test_the_fakes_load_no_aws_library() -> None:
    assert top_level_packages_loaded(_FAKES, ["boto3", "botocore", "moto", "piccolo"]) == []
