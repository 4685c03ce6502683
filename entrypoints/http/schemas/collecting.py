"""Building several value objects from one body, so that one answer names every
bad field rather than the first."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from domain.errors import FieldProblem, InvalidInput

T = TypeVar("T")


def collect(problems: list[FieldProblem], build: Callable[[], T]) -> T | None:
    """``build()``, or None with its problems added to ``problems``."""
    try:
        return build()
    except InvalidInput as error:
        problems.extend(error.problems)
        return None
