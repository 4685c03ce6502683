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
        f"{'server':30} {'path':32} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>7}"
        f" {'vs floor':>9}"
    )
    for name, command in SERVERS.items():
        if options.server and options.server not in name:
            continue
        with running(command, BARE) as base:
            url = f"{base}/things/0f8fad5b-d9cb-469f-a165-70867728950e"
            bare = _measure(url, options)
        _row(name, "bare app", bare, bare.requests_per_second)
        for kind in databases:
            with service.database(kind) as url:
                env = service.environment(url)
                ids = service.seed(env, connectors=60)
                floors = {}
                for parts in FLOOR_PARTS:
                    with running(command, FLOOR, {**env, "BENCH_FLOOR_PARTS": parts}) as base:
                        floors[parts] = _measure(f"{base}/v1/connectors/s3/{ids[0]}", options)
                    label = f"{kind}: floor, {FLOOR_PARTS[parts]}"
                    _row(name, label, floors[parts], bare.requests_per_second)
                floor = floors["jwt,row"].requests_per_second
                with running(command, service.TARGET, env) as base:
                    paths = {
                        "one": f"{base}/v1/connectors/s3/{ids[0]}",
                        "page of 50": f"{base}/v1/connectors?limit=50",
                    }
                    for route, path in paths.items():
                        result = _measure(path, options)
                        _row(
                            name,
                            f"{kind}: {route}",
                            result,
                            bare.requests_per_second,
                            ROUTES[route],
                            floor if route == "one" else 0,
                        )


def _measure(url: str, options: argparse.Namespace) -> Load:
    headers = service.bearer()
    load(url, seconds=1, connections=options.connections, headers=headers)  # warm up
    result = load(url, seconds=options.seconds, connections=options.connections, headers=headers)
    if result.non_2xx:
        raise SystemExit(f"{url} answered {result.non_2xx} requests with an error")
    return result


def _row(
    server: str, path: str, result: Load, reference: float, target: float = 0, floor: float = 0
) -> None:
    ratio = result.requests_per_second / reference
    against_floor = f"{result.requests_per_second / floor:8.2f}x" if floor else " " * 9
    verdict = "" if not target else (" ok" if ratio >= target else f" below {target}")
    print(
        f"{server:30} {path:32} {result.requests_per_second:9.0f} {result.p50_ms:8.2f} "
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
