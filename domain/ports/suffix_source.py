from __future__ import annotations

from typing import Protocol


class SuffixSource(Protocol):
    def suffix(self, length: int, alphabet: str) -> str:
        """``length`` characters drawn from ``alphabet``; in production by a CSPRNG."""
        ...
