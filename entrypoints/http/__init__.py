"""The HTTP API.

PyJWT is imported here, before anything else can import it, without
cryptography: it would load RSA and EC support the service never uses (tokens
are HS256 only), and whoever imports PyJWT first decides (``optional_imports``).
"""

from entrypoints.optional_imports import as_if_absent

with as_if_absent("cryptography"):
    import jwt

del jwt
