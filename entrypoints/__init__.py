"""The ways in: HTTP, CLI, and in-process (``entrypoints.bootstrap``).

Two libraries are imported here first, without optional integrations the
service never uses, because whichever module imports them first decides what
they load (see ``optional_imports``): about a second of every start-up.
"""

from entrypoints.optional_imports import as_if_absent

with as_if_absent("pydantic_settings", "werkzeug", "cryptography"):
    import dependency_injector.containers
    import jwt

del dependency_injector, jwt
