from __future__ import annotations

import secrets


class CsprngSuffixes:
    def suffix(self, length: int, alphabet: str) -> str:
        # secrets.choice: unpredictable, so bucket names cannot be guessed.
        return "".join(secrets.choice(alphabet) for _ in range(length))
