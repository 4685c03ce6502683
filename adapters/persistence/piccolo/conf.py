"""What ``piccolo_conf.py`` exposes to piccolo: the database
``BUCKETLINK_DATABASE_URL`` names (default ``sqlite:///bucketlink.sqlite``) as
``DB``, and bucketlink's one piccolo app.

``DB`` is looked up each time piccolo asks rather than built at import: a
PostgreSQL engine connects as it is made, and the migration runner points piccolo
at another database for the length of a run. The application never reads ``DB``;
its repositories are given an engine.
"""

from __future__ import annotations

from piccolo.conf.apps import AppRegistry

from adapters.persistence.piccolo.engine import DatabaseEngine, current_engine

APP_REGISTRY = AppRegistry(apps=["adapters.persistence.piccolo.piccolo_app"])


def __getattr__(name: str) -> DatabaseEngine:
    if name == "DB":
        return current_engine()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
