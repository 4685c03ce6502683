"""Importing a library without the optional integrations it would load.

Some libraries import every optional integration that happens to be installed.
dependency-injector loads pydantic-settings and werkzeug (moto's server, which
the sandbox needs, installs both), and PyJWT loads cryptography for RSA and EC
keys; the service uses none of them (HS256 tokens, no Flask, no pydantic), and
together they cost about a second of start-up (docs/performance.md). The
modules that import those libraries first (``entrypoints.container``,
``entrypoints.http``) do so inside ``as_if_absent``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def as_if_absent(*modules: str) -> Iterator[None]:
    """Imports inside see ``modules`` as not installed (``ImportError``), unless
    they are already imported; afterwards they import normally again."""
    hidden = [name for name in modules if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # Python's "not importable" marker
    try:
        yield
    finally:
        for name in hidden:
            if sys.modules.get(name, ...) is None:
                del sys.modules[name]
