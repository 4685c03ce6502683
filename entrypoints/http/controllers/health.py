from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

import anyio
import msgspec
import structlog
from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec

from entrypoints.http.openapi_examples import HEALTHY, NOT_READY, READY, success_response
from entrypoints.http.problem_responses import problem_responses

ReadinessCheck = Callable[[], Awaitable[None]]
log = structlog.get_logger("bucketlink.readiness")
_CHECK_TIMEOUT_SECONDS = 3


class Health(msgspec.Struct):
    status: str


class Readiness(msgspec.Struct):
    status: str
    dependencies: dict[str, str]


async def _outcome(name: str, check: ReadinessCheck) -> str:
    try:
        with anyio.fail_after(_CHECK_TIMEOUT_SECONDS):
            await check()
    except Exception as error:  # any failure means "not ready"; the reason is for the logs
        reason = "no answer in time" if isinstance(error, TimeoutError) else str(error)
        log.warning("not ready", dependency=name, error=type(error).__name__, reason=reason)
        return "unavailable"
    return "ok"


class HealthController(Controller):
    tags = ["health"]
    security = [{}]  # an empty requirement: these routes need no token

    @get(
        "/health",
        summary="Liveness: the process answers",
        responses={
            **success_response(Health, "The process answers.", HEALTHY),
            **problem_responses(),
        },
    )
    async def health(self) -> Health:
        return Health("ok")

    @get(
        "/ready",
        summary="Readiness: the database and AWS answer",
        responses={
            **success_response(Readiness, "Every dependency answers.", READY),
            **problem_responses(),
            503: ResponseSpec(
                Readiness,
                description="Some dependency is unavailable.",
                generate_examples=False,
                examples=[NOT_READY],
            ),
        },
    )
    async def ready(
        self, readiness_checks: NamedDependency[Mapping[str, ReadinessCheck]]
    ) -> Response[Readiness]:
        outcomes = {name: await _outcome(name, check) for name, check in readiness_checks.items()}
        ready = all(outcome == "ok" for outcome in outcomes.values())
        body = Readiness("ready" if ready else "unavailable", outcomes)
        return Response(body, status_code=200 if ready else 503)
