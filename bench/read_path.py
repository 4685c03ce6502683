"""Read-path throughput: the service's GET routes against a bare Litestar app.

    uv run python -m bench.read_path [--seconds 10] [--connections 64]

For every ASGI server in ``bench.servers`` (one worker each), wrk drives the bare
app of ``bench.bare_app``, then the floor app of ``bench.floor_app`` (the least
the route must do: Litestar's JWT auth, then one row read through the driver),
then the service (``aws`` mode, JWT auth, a database read) on SQLite and on
PostgreSQL. Every figure is printed with its ratio to the bare app's requests
per second under the same server in the same run (the issue's reference), and
the service's reads also with their ratio to the floor's.
Targets: GET one connector >= 0.6x, GET a page of 50 >= 0.3x.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from functools import partial

from bench import service
from bench.servers import SERVERS, running
from bench.wrk import Load, load

BARE = "bench.bare_app:create_app"
FLOOR = "bench.floor_app:create_app"
FLOOR_PARTS = {"jwt": "JWT only", "row": "row only", "jwt,row": "JWT + row"}
ROUTES = {"one": 0.6, "page of 50": 0.3}


def main() -> None:
    options = _options()
    databases = [kind for kind in options.databases.split(",") if kind]
    print(
        f"{'server':30} {'path':44} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>7}"
        f" {'vs floor':>9}"
    )
    for name, command in SERVERS.items():
        if options.server and options.server not in name:
            continue
        with running(command, BARE) as base:
            bare = _measure(f"{base}/things/0f8fad5b-d9cb-469f-a165-70867728950e", options)
        _row(name, "bare app", bare, reference=bare.requests_per_second)
        for kind in databases:
            with service.database(kind) as url:
                env = service.environment(url)
                ids = service.seed(env, connectors=60)
                paths = {
                    "one": f"/v1/connectors/s3/{ids[0]}",
                    "page of 50": "/v1/connectors?limit=50",
                }
                row = partial(_row, name, reference=bare.requests_per_second)
                floors = _floors(command, env, paths, options, row, kind)
                with running(command, service.TARGET, env) as base:
                    for route, path in paths.items():
                        result = _measure(base + path, options)
                        row(f"{kind}: {route}", result, target=ROUTES[route], floor=floors[route])


def _floors(
    command: list[str],
    env: dict[str, str],
    paths: dict[str, str],
    options: argparse.Namespace,
    row: Callable[..., None],
    kind: str,
) -> dict[str, float]:
    """The floor app's rates: the JWT check alone on one connector, the rows
    alone and both parts on each route; returns the latter (requests per second
    by route)."""
    floors = {}
    for parts, label in FLOOR_PARTS.items():
        routes = {"one": paths["one"]} if parts == "jwt" else paths
        with running(command, FLOOR, {**env, "BENCH_FLOOR_PARTS": parts}) as base:
            for route, path in routes.items():
                result = _measure(base + path, options)
                row(f"{kind}: floor, {label}, {route}", result)
                if parts == "jwt,row":
                    floors[route] = result.requests_per_second
    return floors


def _measure(url: str, options: argparse.Namespace) -> Load:
    headers = service.bearer()
    load(url, seconds=1, connections=options.connections, headers=headers)  # warm up
    result = load(url, seconds=options.seconds, connections=options.connections, headers=headers)
    if result.non_2xx:
        raise SystemExit(f"{url} answered {result.non_2xx} requests with an error")
    return result


def _row(
    server: str,
    path: str,
    result: Load,
    *,
    reference: float,
    target: float = 0,
    floor: float = 0,
) -> None:
    ratio = result.requests_per_second / reference
    against_floor = f"{result.requests_per_second / floor:8.2f}x" if floor else " " * 9
    verdict = "" if not target else (" ok" if ratio >= target else f" below {target}")
    print(
        f"{server:30} {path:44} {result.requests_per_second:9.0f} {result.p50_ms:8.2f} "
        f"{result.p99_ms:8.2f} {ratio:6.2f}x {against_floor}{verdict}",
        flush=True,
    )


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="load per measurement")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--server", default="", help="only servers whose name has this")
    return parser.parse_args()


if __name__ == "__main__":
    main()
