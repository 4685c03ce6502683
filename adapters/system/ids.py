from __future__ import annotations

import uuid


class RandomIds:
    def new_id(self) -> uuid.UUID:
        return uuid.uuid4()
