"""The service's last hooks into libraries' private names or import-time
behaviour, each kept in one module (``entrypoints/http/litestar_internals.py``,
``entrypoints/stdlib_internals.py``, ``entrypoints/optional_imports.py``,
``entrypoints/http/bounded_http.py``, ``adapters/sandbox/moto_state.py``) under
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


# -- moto: the backends the sandbox gateway reads, and its bucket-policy check --


def test_moto_still_keeps_keys_sessions_roles_and_buckets_where_the_gateway_reads_them() -> None:
    import json

    from moto.iam.models import iam_backends
    from moto.s3.models import s3_backends
    from moto.sts.models import sts_backends

    from adapters.sandbox import moto_state

    account = "210987654321"
    key_id, secret = moto_state.administrator_key(account)
    found = moto_state.find_key(key_id)
    assert isinstance(found, moto_state.UserKey) and found.secret == secret
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}],
    }
    arn = f"arn:aws:iam::{account}:role/hooks/guarded"
    moto_state.ensure_role(arn, trust, trust)
    role = moto_state.role(account, arn)
    assert role is not None and role.trust_policy == trust and role.policies == (trust,)
    session = sts_backends[account]["global"].assume_role(
        region_name="us-east-1",
        role_session_name="guard",
        role_arn=arn,
        policy=json.dumps(trust),
        duration=900,
        external_id="",
    )
    held = moto_state.find_key(session.access_key_id)
    assert isinstance(held, moto_state.SessionKey) and held.token == session.session_token
    assert held.session_policy == trust
    s3_backends[account]["aws"].create_bucket("library-hooks-guard", "us-east-1")
    bucket = moto_state.bucket("library-hooks-guard")
    assert bucket is not None and bucket.owner == account and bucket.policy is None
    assert "global" in iam_backends[account]


def test_moto_judges_bucket_policies_itself_except_inside_judged() -> None:
    from moto.iam.access_control import PermissionResult
    from moto.s3.models import s3_backends

    from adapters.sandbox import moto_state

    backend = s3_backends["210987654321"]["aws"]
    bucket = backend.create_bucket("library-hooks-judged", "us-east-1")
    deny = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}
        ],
    }
    bucket.policy = json.dumps(deny).encode()
    resource = "arn:aws:s3:::library-hooks-judged/k"
    assert bucket.get_permission("s3:GetObject", resource) == PermissionResult.DENIED
    with moto_state.judged():
        assert bucket.get_permission("s3:GetObject", resource) == PermissionResult.NEUTRAL
