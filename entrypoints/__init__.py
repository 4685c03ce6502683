"""The ways in: HTTP, CLI, and in-process (``entrypoints.bootstrap``)."""

from entrypoints.optional_imports import as_if_absent

# structlog's development helpers load rich when it is installed (litestar
# installs it), ~0.25 s of start-up; the service renders JSON and never needs it.
with as_if_absent("rich"):
    import structlog  # noqa: F401
