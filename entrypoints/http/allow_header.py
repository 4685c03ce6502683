"""OPTIONS answers ``Allow`` with every method of the path.

Litestar 2's automatic OPTIONS handler lists only the methods of the first
handler registered on a path (litestar-org/litestar#4169, fixed in v3 only), so
``OPTIONS /resources/buckets/{id}`` said ``DELETE, OPTIONS`` and hid ``GET``.
The route itself knows all of them.
"""

from __future__ import annotations

from typing import Any

from litestar.routes import HTTPRoute
from litestar.types import Message, Scope

_ALLOW = b"allow"


def _methods_of(app: Any, path_template: str) -> str | None:
    for route in app.routes:
        if isinstance(route, HTTPRoute) and route.path_format == path_template:
            return ", ".join(sorted(route.methods))
    return None


async def allow_every_method(message: Message, scope: Scope) -> None:
    if message["type"] != "http.response.start" or scope.get("method") != "OPTIONS":
        return
    headers = list(message.get("headers", []))
    if not any(name.lower() == _ALLOW for name, _ in headers):
        return
    methods = _methods_of(scope["app"], scope.get("path_template", ""))
    if methods is not None:
        others = [(name, value) for name, value in headers if name.lower() != _ALLOW]
        message["headers"] = [*others, (_ALLOW, methods.encode())]
