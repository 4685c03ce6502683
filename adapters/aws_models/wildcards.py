"""IAM's wildcards, ``*`` for any run of characters and ``?`` for any one, matched
without backtracking so that no policy can stall the caller.

A ``Pattern`` records which of its characters are wildcards. Written in a policy,
every ``*`` and ``?`` is one; a policy variable can put the same characters in
literally (``${*}``, ``${?}``, or a substituted value), and those match only
themselves (IAM User Guide, "IAM policy elements: Variables and tags",
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-specialchars).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

_WILDCARDS = "*?"


@dataclass(frozen=True, slots=True)
class Pattern:
    """Text to match, and the positions in it that hold a wildcard (each a
    ``*`` or a ``?``); every other character stands for itself."""

    text: str
    wild: frozenset[int] = frozenset()

    @classmethod
    def plain(cls, text: str) -> Pattern:
        """A pattern as written in a policy: every ``*`` and ``?`` a wildcard."""
        return cls(text, frozenset(i for i, char in enumerate(text) if char in _WILDCARDS))

    def __add__(self, other: Pattern) -> Pattern:
        shift = len(self.text)
        return Pattern(self.text + other.text, self.wild | {shift + i for i in other.wild})

    def split(self, separator: str, maxsplit: int) -> list[Pattern]:
        """As ``str.split`` does; ``separator`` is one character, never a wildcard."""
        parts: list[Pattern] = []
        start = 0
        for index, char in enumerate(self.text):
            if char == separator and len(parts) < maxsplit:
                parts.append(self._slice(start, index))
                start = index + 1
        return [*parts, self._slice(start, len(self.text))]

    def matches(self, text: str) -> bool:
        return _glob(self).matches(text)

    def _slice(self, start: int, end: int) -> Pattern:
        return Pattern(
            self.text[start:end], frozenset(i - start for i in self.wild if start <= i < end)
        )


def wildcard_match(pattern: str, text: str) -> bool:
    """Whether ``text`` matches ``pattern`` as written in a policy."""
    return Pattern.plain(pattern).matches(text)


@dataclass(frozen=True, slots=True)
class _Glob:
    """A pattern cut at its star wildcards.

    The text between the stars is placed left to right, each piece at its
    leftmost fit (which is always safe for ``*``), the first piece at the start
    and the last at the end. Each character of the text is scanned once per
    piece at most.
    """

    pieces: tuple[_Piece, ...]

    def matches(self, text: str) -> bool:
        if len(self.pieces) == 1:
            only = self.pieces[0]
            return len(text) == len(only.text) and only.fits(text, 0)
        first, *middle, last = self.pieces
        end = len(text) - len(last.text)
        if end < len(first.text) or not (first.fits(text, 0) and last.fits(text, end)):
            return False
        position = len(first.text)
        for piece in middle:
            found = piece.find(text, position, end)
            if found < 0:
                return False
            position = found + len(piece.text)
        return True


@dataclass(frozen=True, slots=True)
class _Piece:
    """Text between two stars; ``any_char`` holds the positions of its ``?`` wildcards."""

    text: str
    any_char: frozenset[int]

    def fits(self, text: str, at: int) -> bool:
        window = text[at : at + len(self.text)]
        return len(window) == len(self.text) and all(
            j in self.any_char or want == got
            for j, (want, got) in enumerate(zip(self.text, window, strict=True))
        )

    def find(self, text: str, start: int, end: int) -> int:
        """The leftmost place at or after ``start`` where the piece fits and ends
        by ``end``; -1 if none."""
        if not self.any_char:
            return text.find(self.text, start, end)
        return _shift_and(self, text, start, end)


def _shift_and(piece: _Piece, text: str, start: int, end: int) -> int:
    # Shift-and (bitap): bit j of `state` says the last j+1 characters read fit
    # the piece's first j+1, so one pass over the text finds the leftmost fit.
    wild = sum(1 << j for j in piece.any_char)
    masks: dict[str, int] = {}
    for j, want in enumerate(piece.text):
        if j not in piece.any_char:
            masks[want] = masks.get(want, wild) | (1 << j)
    done, state = 1 << (len(piece.text) - 1), 0
    for index in range(start, end):
        state = ((state << 1) | 1) & masks.get(text[index], wild)
        if state & done:
            return index - len(piece.text) + 1
    return -1


@functools.lru_cache(maxsize=4096)
def _glob(pattern: Pattern) -> _Glob:
    stars = sorted(i for i in pattern.wild if pattern.text[i] == "*")
    bounds = zip([-1, *stars], [*stars, len(pattern.text)], strict=True)
    # Between two stars only ``?`` wildcards are left.
    parts = (pattern._slice(start + 1, end) for start, end in bounds)
    return _Glob(tuple(_Piece(part.text, part.wild) for part in parts))
