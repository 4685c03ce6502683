"""What a long-running server process does once, before it takes traffic.

It builds the AWS adapters (importing boto3 and loading the service models
takes ~0.5 s) and the rate limiter's counters in a worker thread, so the
server answers ``/health`` at once and ``/ready`` says ``aws: unavailable``
until they are built; the balancer sends traffic only once ``/ready``
passes. Building them in the first request that needs them would stop the
event loop for as long.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Mapping, Sequence

import structlog

from entrypoints.container import Container
from entrypoints.readiness import ReadinessCheck

log = structlog.get_logger("bucketlink.serving")


class AwsAdaptersNotBuilt(Exception):
    """The AWS adapters are still being built, or building them failed."""


class Warmup:
    """Builds the AWS adapters once, off the event loop, and gates ``/ready``
    on them."""

    def __init__(
        self, container: Container, *, prepare: Sequence[Callable[[], object]] = ()
    ) -> None:
        self._container = container
        # More of the app's own to build before the freeze (the rate limiter's counters).
        self._prepare = tuple(prepare)
        self._failure: str | None = None
        self.done = threading.Event()

    async def start(self) -> None:
        """Starts building; an ``on_startup`` hook."""
        threading.Thread(target=self._build, name="bucketlink-warmup", daemon=True).start()

    def readiness_checks(self) -> Mapping[str, ReadinessCheck]:
        if self.done.is_set() and self._failure is None:
            return self._container.readiness_checks()
        return {"database": self._container.database_readiness(), "aws": self._not_built}

    async def _not_built(self) -> None:
        raise AwsAdaptersNotBuilt(self._failure or "the AWS clients are still being built")

    def _build(self) -> None:
        try:
            self._container.probe()
            self._container.provisioner()
            self._container.vendor()  # else the first vend builds its STS client on the loop
            self._container.aws_readiness()
            for prepare in self._prepare:
                prepare()
        except Exception as error:  # reported by /ready; a request that needs one builds it again
            self._failure = f"building the AWS clients failed: {error}"
            log.exception("warm-up failed")
        else:
            log.info("warm-up done")
        finally:
            # Everything alive now lives as long as the process; freezing it takes
            # it out of the garbage collector's full passes, which otherwise stop
            # the event loop for 50-200 ms under load (docs/performance.md). No
            # collection first: it would cost 0.15 s to free a few import cycles.
            gc.freeze()
            self.done.set()
