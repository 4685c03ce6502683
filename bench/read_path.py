"""Read-path throughput: the service's GET routes against a bare Litestar app.

    uv run python -m bench.read_path [--seconds 10] [--connections 64]

For every ASGI server in ``bench.servers`` (one worker each), wrk drives the bare
app of ``bench.bare_app`` and then the service (``aws`` mode, JWT auth, a
database read) on SQLite and on PostgreSQL; every figure is printed with its
ratio to the bare app's requests per second under the same server in the same run.
Targets: GET one connector >= 0.6x, GET a page of 50 >= 0.3x.
"""

from __future__ import annotations

import argparse

from bench import service
from bench.servers import SERVERS, running
from bench.wrk import Load, load

BARE = "bench.bare_app:create_app"
ROUTES = {"one": 0.6, "page of 50": 0.3}


def main() -> None:
    options = _options()
    databases = [kind for kind in options.databases.split(",") if kind]
    print(f"{'server':30} {'path':32} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>7}")
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
                        )


def _measure(url: str, options: argparse.Namespace) -> Load:
    headers = service.bearer()
    load(url, seconds=1, connections=options.connections, headers=headers)  # warm up
    result = load(url, seconds=options.seconds, connections=options.connections, headers=headers)
    if result.non_2xx:
        raise SystemExit(f"{url} answered {result.non_2xx} requests with an error")
    return result


def _row(server: str, path: str, result: Load, reference: float, target: float = 0) -> None:
    ratio = result.requests_per_second / reference
    verdict = "" if not target else (" ok" if ratio >= target else f" below {target}")
    print(
        f"{server:30} {path:32} {result.requests_per_second:9.0f} {result.p50_ms:8.2f} "
        f"{result.p99_ms:8.2f} {ratio:6.2f}x{verdict}",
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
