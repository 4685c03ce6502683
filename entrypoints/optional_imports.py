"""Importing a library without the optional integrations it would load.

Some libraries import every optional integration that happens to be installed.
dependency-injector loads pydantic-settings and werkzeug (moto's server, which
the sandbox needs, installs both), and PyJWT loads cryptography for RSA and EC
keys; the service uses none of them (HS256 tokens, no Flask, no pydantic), and
together they cost about a second of start-up (docs/performance.md). The
modules that import those libraries first (``entrypoints.container``,
``entrypoints.http``, ``entrypoints``) do so inside ``as_if_absent``.

No library offers a switch for this, so it rests on each one treating an
``ImportError`` as "not installed": ``tests/unit/test_library_hooks.py`` checks,
for the versions pinned in ``pyproject.toml``, that each still imports its
integration if let and still works without it; ``tests/cli/test_startup_imports.py``
that a server process imports none of them.
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
