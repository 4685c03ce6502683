"""The service as an ASGI application factory, configured from the environment:
what ``bucketlink serve`` runs on uvicorn, and what any ASGI server can run
(``uvicorn --factory entrypoints.http.asgi:create``)."""

from __future__ import annotations

from litestar import Litestar

from entrypoints.bootstrap import build_container
from entrypoints.http.app import create_app
from entrypoints.logs import configure_logging


def create() -> Litestar:
    container = build_container()
    configure_logging(container.settings().log_level)
    return create_app(container, serving=True)
