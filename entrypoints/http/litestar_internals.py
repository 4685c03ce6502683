"""The one place the service relies on a private name of Litestar's.

Litestar offers no public way to do this, so it is done here, under the minor
version pinned in ``pyproject.toml``; ``tests/unit/test_library_hooks.py``
fails loudly if the name moves or stops having its effect.
"""

from __future__ import annotations

from litestar import Litestar
from litestar.plugins import PluginProtocol
from litestar.plugins.core import MsgspecDIPlugin


class MsgspecOnlyLitestar(Litestar):
    """Litestar with msgspec only. Litestar adds its pydantic and attrs plugins
    whenever those libraries are installed (piccolo and moto's server install
    them), and passing plugins of one's own does not stop it: it imports the
    pydantic plugins to check whether they were passed. The service's types are
    msgspec structs, and importing the two plugins costs ~0.3 s of start-up
    (docs/performance.md)."""

    @staticmethod
    def _get_default_plugins(plugins: list[PluginProtocol]) -> list[PluginProtocol]:
        # Litestar.__init__ calls this with the app's plugins; its own version
        # appends MsgspecDIPlugin and then the pydantic and attrs ones.
        return [*plugins, MsgspecDIPlugin()]
