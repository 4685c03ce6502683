"""The one place the service sets a private name of the standard library's.

``logging._srcfile = None`` is the switch the logging documentation itself
gives (Logging HOWTO, "Optimization") to stop every record from walking the
stack for its caller's file and line: 108 → 74 µs a log line, and no line the
service writes shows them. ``tests/unit/test_library_hooks.py`` fails loudly if
the name goes or stops having its effect.
"""

from __future__ import annotations

import logging


def skip_caller_lookup() -> None:
    """Records made from now on carry no file, line or function of their caller."""
    logging._srcfile = None
