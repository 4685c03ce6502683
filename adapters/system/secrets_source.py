from __future__ import annotations

import secrets

from domain.external_id import ExternalId


class CsprngSecrets:
    def new_external_id(self) -> ExternalId:
        # 192 bits from the OS CSPRNG, hex so it fits the [A-Za-z0-9-] promise.
        return ExternalId(secrets.token_hex(24))
