"""The shapes of policy JSON the evaluator reads, and what happens to others.

An element the evaluator cannot judge (the wrong JSON type, an unknown condition
operator) raises ``CannotJudge``; the statement holding it then never grants and
still denies. Judging is three-valued where parts of a statement are ANDed: one
part that certainly does not hold decides, whatever the others are, so the
order of a statement's keys never changes the outcome.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

_T = TypeVar("_T")


class CannotJudge(Exception):
    """A policy element the evaluator does not know how to judge."""


def strings(value: Any) -> list[str]:
    """A string, or a list of them; JSON numbers and booleans read as their text."""
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(item, str | bool | int | float) for item in items):
        raise CannotJudge("expected a string or a list of strings")
    # JSON booleans in a Bool condition mean the same as "true"/"false".
    return [str(item).lower() if isinstance(item, bool) else str(item) for item in items]


def attempt(judge: Callable[[], _T]) -> _T | CannotJudge:
    """What ``judge`` finds, or why it could not."""
    try:
        return judge()
    except CannotJudge as error:
        return error


def all_hold(checks: Iterable[Callable[[], bool]]) -> bool:
    """AND over ``checks``: False if any certainly fails, else raises if any
    cannot be judged, else True."""
    outcomes = [attempt(check) for check in checks]
    if False in outcomes:
        return False
    for outcome in outcomes:
        if isinstance(outcome, CannotJudge):
            raise outcome
    return True
