"""The door every platform call to a fake AWS goes through: each call is recorded
in order with its parameters, and fails if a fault was injected for it or AWS is
made unavailable, before it changes anything."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from domain.errors import AwsUnavailable


@dataclass(frozen=True, slots=True)
class AwsCall:
    operation: str
    params: Mapping[str, object]


class CallLog:
    def __init__(self) -> None:
        self._faults: list[tuple[str | None, Exception]] = []
        # Every AWS call the platform made, in order, with its parameters.
        self.calls: list[AwsCall] = []
        # While True, every call fails as if AWS could not be reached.
        self.unavailable = False

    def fail_next(
        self, error: Exception | type[Exception] = AwsUnavailable, operation: str | None = None
    ) -> None:
        """The next AWS call (or the next ``operation``, e.g. "HeadBucket") fails
        with ``error``; calls after it work again."""
        fault = error("injected fault") if isinstance(error, type) else error
        self._faults.append((operation, fault))

    def call(self, operation: str, **params: object) -> None:
        self.calls.append(AwsCall(operation, params))
        if self.unavailable:
            raise AwsUnavailable(f"{operation}: AWS could not be reached (fake).")
        for fault in self._faults:
            if fault[0] in (None, operation):
                self._faults.remove(fault)
                raise fault[1]
