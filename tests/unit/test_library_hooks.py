"""The service's last hooks into libraries' private names or import-time
behaviour, each kept in one module (``entrypoints/http/litestar_internals.py``,
``entrypoints/stdlib_internals.py``, ``entrypoints/optional_imports.py``,
``entrypoints/http/bounded_http.py``) under
the minor versions pinned in ``pyproject.toml``. These tests fail loudly when a
release moves the name or the hook stops having its effect; move the pin only
once they pass."""

from __future__ import annotations

import inspect
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from litestar import Litestar
from litestar.plugins.core import MsgspecDIPlugin

from entrypoints.http.litestar_internals import MsgspecOnlyLitestar
from entrypoints.stdlib_internals import skip_caller_lookup

ROOT = Path(__file__).resolve().parents[2]

# -- Litestar: Litestar._get_default_plugins ---------------------------------


def test_litestar_still_adds_its_default_plugins_through_the_overridden_name() -> None:
    original = inspect.getattr_static(Litestar, "_get_default_plugins")
    assert isinstance(original, staticmethod)
    assert list(inspect.signature(Litestar._get_default_plugins).parameters) == ["plugins"]
    assert "self._get_default_plugins(" in inspect.getsource(Litestar.__init__)
    # The override is needed: Litestar's own adds the pydantic and attrs plugins.
    added = {type(plugin).__module__ for plugin in Litestar._get_default_plugins([])}
    assert any(module.startswith("litestar.plugins.pydantic") for module in added)


def test_the_msgspec_only_app_has_no_pydantic_or_attrs_plugin() -> None:
    modules = {type(plugin).__module__ for plugin in MsgspecOnlyLitestar().plugins}
    assert not [
        m for m in modules if m.startswith(("litestar.plugins.pydantic", "litestar.plugins.attrs"))
    ]
    assert any(isinstance(plugin, MsgspecDIPlugin) for plugin in MsgspecOnlyLitestar().plugins)


# -- the standard library: logging._srcfile -----------------------------------


def test_logging_still_walks_the_stack_only_while_srcfile_is_set() -> None:
    assert hasattr(logging, "_srcfile")
    assert "_srcfile" in inspect.getsource(logging.Logger._log)
    saved = logging._srcfile
    # What logging sets it to (another test may have configured the service's logs).
    logging._srcfile = os.path.normcase(logging.addLevelName.__code__.co_filename)
    try:
        assert _record().lineno > 0  # the walk the switch avoids
        skip_caller_lookup()
        assert (_record().pathname, _record().lineno) == ("(unknown file)", 0)
    finally:
        logging._srcfile = saved


def _record() -> logging.LogRecord:
    records: list[logging.LogRecord] = []
    logger = logging.getLogger("tests.library_hooks")
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("a line")
    finally:
        logger.removeHandler(handler)
    return records[0]


# -- import order: entrypoints/optional_imports.py ------------------------------

# What each library imports of its own accord, and what the service hides from it.
_OPTIONAL = {
    "jwt": "cryptography",
    "dependency_injector.providers": "pydantic_settings",
    "structlog": "rich",
}
_PROBE = """
import json, sys
library, optional, hidden = sys.argv[1:]
if hidden == "hidden":
    from entrypoints.optional_imports import as_if_absent
    with as_if_absent(optional):
        __import__(library)
    __import__(optional)  # importable again afterwards
    print(json.dumps(True))
else:
    __import__(library)
    print(json.dumps(optional in sys.modules))
"""


def test_each_library_still_loads_its_optional_integration_unless_hidden() -> None:
    for library, optional in _OPTIONAL.items():
        # Still needed: left alone, the library imports the integration.
        assert _in_fresh_python(library, optional, "shown") is True, library
        # Still works: hidden, the library imports without it, and then it imports again.
        assert _in_fresh_python(library, optional, "hidden") is True, library


def _in_fresh_python(library: str, optional: str, mode: str) -> object:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, library, optional, mode],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


# -- uvicorn: its httptools protocol, extended in entrypoints/http/bounded_http.py --


def test_uvicorn_s_httptools_protocol_still_has_what_the_bounded_one_extends() -> None:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    # Its parser's callbacks and the transport's, which the subclass wraps.
    for name in ("data_received", "on_headers_complete", "on_message_complete", "connection_lost"):
        assert callable(getattr(HttpToolsProtocol, name, None)), name
    source = inspect.getsource(HttpToolsProtocol)
    # The attributes the subclass reads: the loop it schedules on, the transport it answers on.
    assert "self.loop = " in source
    assert "self.transport = transport" in source
    # data_received hands the bytes to httptools, which calls on_headers_complete.
    assert "self.parser.feed_data(data)" in inspect.getsource(HttpToolsProtocol.data_received)
