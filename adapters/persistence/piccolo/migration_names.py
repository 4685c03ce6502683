"""Where bucketlink's migrations live and the app name piccolo records them
under. Kept apart from ``piccolo_app``: piccolo's ``AppConfig`` module imports
black (a third of a second), which applying or checking migrations never needs."""

from __future__ import annotations

APP_NAME = "bucketlink"
MIGRATIONS_PACKAGE = "adapters.persistence.piccolo.migrations"
