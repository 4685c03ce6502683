"""CPU per request of the service's read routes, in-process: the ASGI app
called directly, with no server and no load generator sharing the cores.

    uv run python -m bench.request_cost [--database postgresql] [--requests 3000] [--profile]

The service is built as ``serve`` builds it (``aws`` mode, JWT, logs, metrics,
the rate limiter) on a seeded database; ``concurrency`` requests are in flight
at once. Each figure is this process's CPU time per request (the database
server's work is not in it), the best of several rounds, beside the bare app's
from ``bench.bare_app`` measured the same way. ``--profile`` prints cProfile's
top functions for the read of one connector.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import os
import pstats
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import uvloop
from litestar import Litestar

from bench import service
from bench.bare_app import create_app as bare_app

ROUNDS = 5
THING = "/things/0f8fad5b-d9cb-469f-a165-70867728950e"
Scope = dict[str, Any]


def main() -> None:
    options = _options()
    with service.database(options.database) as url:
        env = service.environment(url)
        ids = service.seed(env, connectors=60)
        os.environ.update(env)
        from entrypoints.http.asgi import create  # reads the environment just set

        bare = bare_app()  # first: its default logging set-up is then replaced by the service's
        # Its log lines are written, as when serving, but where no terminal slows them.
        with open(os.devnull, "w") as nowhere:
            with contextlib.redirect_stdout(nowhere):  # the log handler takes stdout now
                app = create()
            uvloop.run(_report(app, bare, ids[0], options))


async def _report(
    app: Litestar, bare: Litestar, connector_id: str, options: argparse.Namespace
) -> None:
    await _start(app)
    await _start(bare)
    # Measured once the server's warm-up thread is done: its CPU is not a request's.
    await asyncio.to_thread(app.state.warmup.done.wait)
    auth = service.bearer()
    one = f"/v1/connectors/s3/{connector_id}"
    count = options.requests
    rows = {
        "bare app": await _best(bare, THING, {}, count),
        "one connector": await _best(app, one, auth, count),
        "page of 50": await _best(app, "/v1/connectors?limit=50", auth, count // 5),
    }
    reference = rows["bare app"]
    for name, cost in rows.items():
        print(f"{name:15} {cost:8.0f} µs CPU per request  ({cost / reference:.1f}x the bare app)")
    if options.profile:
        profile = cProfile.Profile()
        profile.enable()
        await _cost(app, one, auth, count)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


async def _start(app: Litestar) -> None:
    for hook in app.on_startup:
        started = hook()  # type: ignore[call-arg]
        if isinstance(started, Awaitable):
            await started


async def _best(app: Litestar, path: str, headers: Mapping[str, str], count: int) -> float:
    await _cost(app, path, headers, 100)  # warm up
    return min([await _cost(app, path, headers, count) for _ in range(ROUNDS)])


async def _cost(
    app: Litestar, path: str, headers: Mapping[str, str], count: int, concurrency: int = 16
) -> float:
    """CPU µs per request for ``count`` GETs of ``path``, ``concurrency`` at a time."""
    scope = _scope_for(path, headers)
    statuses: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    async def client(requests: int) -> None:
        for _ in range(requests):
            await app(scope(), receive, send)  # type: ignore[arg-type]

    started = time.process_time()
    await asyncio.gather(*(client(count // concurrency) for _ in range(concurrency)))
    spent = time.process_time() - started
    if set(statuses) != {200}:
        raise SystemExit(f"{path} answered {sorted(set(statuses))}")
    return spent / len(statuses) * 1e6


def _scope_for(path: str, headers: Mapping[str, str]) -> Callable[[], Scope]:
    route, _, query = path.partition("?")
    fields = [(b"host", b"bench")] + [(k.lower().encode(), v.encode()) for k, v in headers.items()]

    def scope() -> Scope:
        return {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": route,
            "raw_path": route.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": fields,
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
            "state": {},
        }

    return scope


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="postgresql")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--profile", action="store_true", help="cProfile the read of one")
    return parser.parse_args()


if __name__ == "__main__":
    main()
