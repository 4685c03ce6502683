"""The ways in: HTTP, CLI, and in-process (``entrypoints.bootstrap``)."""
