"""Credential vending: a cached vend beside GET one connector, and misses
against an AWS that takes 100 ms per call.

    uv run python -m bench.vend [--seconds 5] [--database sqlite|postgresql]
        [--concurrency 64] [--aws-seconds 0.1]

The service runs as ``bench.probe_concurrency`` runs it (uvicorn, one process,
``aws`` mode, JWT, the database, the real boto3 vendor; only the AWS wire is
replaced by ``bench.slow_aws``, whose AssumeRole answers credentials valid for
15 minutes), and it also counts the AssumeRoles that reach that wire (read at
``GET /bench/assume-roles``). The connectors are seeded before it starts.

wrk drives ``GET /v1/connectors/s3/{id}`` and then a cached vend (``POST
.../credentials``, the same connector, access and prefix every time, vended
once before) over the same connections, so the vend's rate is printed as a
ratio to the GET's measured in the same run. Then, with the light client of
``bench.probe_concurrency``, misses, each on a connector not vended before:
five one at a time, then bursts of ``--concurrency`` at once, while a ticker
inside the server measures its event loop's lag.
Targets: a cached vend >= 0.8x the GET; a miss makes exactly one AssumeRole;
64 concurrent misses <= 3x one miss, with loop lag p99 <= 20 ms meanwhile.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import threading
import time
from collections.abc import Awaitable
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import anyio
from litestar import Litestar, get

from bench import service
from bench.light_client import LightClient
from bench.loop_lag import LoopLag, percentile
from bench.servers import SERVERS, running
from bench.slow_aws import slow_down
from bench.wrk import Load, ensure_wrk, parse

SERVER = os.environ.get("BENCH_SERVER", "uvicorn (uvloop, httptools)")
MISSES = 5  # one at a time, for "one miss"
BURSTS = 5
# The whole prefix, read, an hour: the request's defaults, the same cache entry every time.
VEND_BODY = "{}"


def main() -> None:
    options = _options()
    with service.database(options.database) as url:
        env = service.environment(
            url,
            BUCKETLINK_RATE_LIMIT="100000/minute",
            # The vends' own limit (600/minute by default) would refuse the load.
            BUCKETLINK_VEND_RATE_LIMIT="100000000/minute",
            BENCH_AWS_SECONDS=str(options.aws_seconds),
            # Placeholders for boto3's credential chain: no request leaves the server.
            AWS_ACCESS_KEY_ID="bench",
            AWS_SECRET_ACCESS_KEY="bench",
        )
        # The connector read and vended under load, one for the first miss,
        # then one for each miss measured: the cache can serve none of those.
        ids = service.seed(env, connectors=2 + MISSES + BURSTS * options.concurrency)
        env["BENCH_TRUSTED_EXTERNAL_ID"] = service.external_id(env)
        with running(SERVERS[SERVER], "bench.vend:create", env) as base:
            misses = anyio.run(_misses, base, ids[1:], options.concurrency)
            got, vended, cached_calls = _throughput(base, ids[0], options)
    _report(options, got, vended, cached_calls, misses)


def _report(
    options: argparse.Namespace, got: Load, vended: Load, cached_calls: int, misses: _Misses
) -> None:
    ratio = vended.requests_per_second / got.requests_per_second
    one = statistics.median(misses.one)
    burst = statistics.median(misses.bursts)
    per_miss = misses.one_calls / len(misses.one)
    per_burst = misses.burst_calls / len(misses.bursts)
    p99 = percentile(misses.lags, 99)
    first_lag = max(misses.first_lags, default=0)
    _line(
        "AWS call latency",
        f"{options.aws_seconds * 1000:.0f} ms (a miss is one AssumeRole); "
        f"wrk, {options.connections} connections",
    )
    _line(
        "GET /v1/connectors/s3/{id}",
        f"{got.requests_per_second:,.0f} req/s   p50 {got.p50_ms:.1f} ms, p99 {got.p99_ms:.1f} ms",
    )
    _line(
        "cached vend",
        f"{vended.requests_per_second:,.0f} req/s   = {ratio:.2f}x the GET "
        f"({cached_calls} AssumeRoles; p50 {vended.p50_ms:.1f} ms, p99 {vended.p99_ms:.1f} ms)"
        f"  (target >= 0.8x: {_verdict(ratio >= 0.8)})",
    )
    _line(
        "first miss",
        f"{misses.first * 1000:.0f} ms        (builds the vendor's STS client; "
        f"event-loop lag max {first_lag:.1f} ms meanwhile)",
    )
    _line(
        f"one miss (median of {len(misses.one)})",
        f"{one * 1000:.0f} ms        ({per_miss:g} AssumeRole)  "
        f"(target exactly 1: {_verdict(per_miss == 1)})",
    )
    _line(
        f"{options.concurrency} concurrent misses",
        f"{burst * 1000:.0f} ms        = {burst / one:.2f}x one miss ({per_burst:g} AssumeRoles; "
        f"median of {len(misses.bursts)} bursts)  (target <= 3x: {_verdict(burst / one <= 3)})",
    )
    _line(
        "server event-loop lag",
        f"p50 {percentile(misses.lags, 50):.1f} ms, p99 {p99:.1f} ms, "
        f"max {max(misses.lags, default=0):.1f} ms over {len(misses.lags)} ticks during the "
        f"bursts  (target p99 <= 20 ms: {_verdict(p99 <= 20)})",
    )


def _line(label: str, figures: str) -> None:
    print(f"{label:32} {figures}", flush=True)


def _verdict(met: bool) -> str:
    return "ok" if met else "MISSED"


# The throughput: wrk, as bench.read_path drives it, the GET and the vend alike.


def _throughput(base: str, connector: str, options: argparse.Namespace) -> tuple[Load, Load, int]:
    """The GET's load, the cached vend's, and the AssumeRoles made during the latter."""
    path = f"/v1/connectors/s3/{connector}"
    with TemporaryDirectory() as folder:
        get_script = _script(Path(folder) / "get.lua", "GET", "")
        vend_script = _script(Path(folder) / "vend.lua", "POST", VEND_BODY)
        got = _measure(base + path, get_script, options)
        anyio.run(_vend_once, base, connector)  # the one miss: the cache serves the rest
        before = _assume_roles(base)
        vended = _measure(f"{base}{path}/credentials", vend_script, options)
        return got, vended, _assume_roles(base) - before


def _script(file: Path, method: str, body: str) -> str:
    """A wrk script sending the same request every time (built once by wrk)."""
    file.write_text(
        f'wrk.method = "{method}"\n'
        f"wrk.body = '{body}'\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
    )
    return str(file)


def _measure(url: str, script: str, options: argparse.Namespace) -> Load:
    _wrk(url, script, seconds=1, connections=options.connections)  # warm up
    result = _wrk(url, script, seconds=options.seconds, connections=options.connections)
    if result.non_2xx:
        raise SystemExit(f"{url} answered {result.non_2xx} requests with an error")
    return result


def _wrk(url: str, script: str, *, seconds: int, connections: int) -> Load:
    """``bench.wrk.load`` with a script: wrk sends only GETs without one."""
    argv = [ensure_wrk(), "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    argv += ["--latency", "-s", script, url]
    for name, value in service.bearer().items():
        argv += ["-H", f"{name}: {value}"]
    return parse(subprocess.run(argv, check=True, capture_output=True, text=True).stdout)


# The misses: bench.probe_concurrency's light client, timed per miss and per burst.


class _Misses:
    def __init__(self) -> None:
        self.first = 0.0
        self.first_lags: list[float] = []
        self.one: list[float] = []
        self.one_calls = 0
        self.bursts: list[float] = []
        self.burst_calls = 0
        self.lags: list[float] = []


async def _misses(base: str, connectors: list[str], concurrency: int) -> _Misses:
    """``connectors`` never vended: one for the first miss, then one per miss measured."""
    client = LightClient(base, service.bearer())
    await client.open(concurrency)
    fresh = iter(connectors)
    misses = _Misses()
    try:
        # Measured once the warm-up thread has built the probe's clients and frozen
        # the heap, as a balancer would send traffic (it waits for /ready).
        if not (await client.get("/bench/warmed-up")).json():
            raise SystemExit("the server's warm-up did not finish within 30 s")
        started = time.time()
        misses.first = await _timed(_vend(client, next(fresh)))  # builds the STS client
        first = (started, time.time())
        before = await _assume_roles_of(client)
        misses.one = [await _timed(_vend(client, next(fresh))) for _ in range(MISSES)]
        misses.one_calls = await _assume_roles_of(client) - before
        windows = []
        before = await _assume_roles_of(client)
        for _ in range(BURSTS):
            burst = [next(fresh) for _ in range(concurrency)]
            started = time.time()
            await _burst(client, burst)
            windows.append((started, time.time()))
        misses.burst_calls = await _assume_roles_of(client) - before
        samples = (await client.get("/bench/lag")).json()
    finally:
        client.close()
    misses.bursts = [end - start for start, end in windows]
    misses.lags = [lag for at, lag in samples if any(a <= at <= b for a, b in windows)]
    # A tick held up by a stall is recorded when the stall ends, before the answer is read.
    misses.first_lags = [lag for at, lag in samples if first[0] <= at <= first[1] + 0.05]
    return misses


async def _burst(client: LightClient, connectors: list[str]) -> None:
    async with anyio.create_task_group() as burst:
        for connector in connectors:
            burst.start_soon(_vend, client, connector)


async def _vend(client: LightClient, connector: str) -> None:
    answer = await client.post(f"/v1/connectors/s3/{connector}/credentials", {})
    if answer.status != 200:
        raise SystemExit(f"vend {connector} answered {answer.status}: {answer.body[:500]!r}")


async def _vend_once(base: str, connector: str) -> None:
    client = LightClient(base, service.bearer())
    await client.open(1)
    try:
        await _vend(client, connector)
    finally:
        client.close()


async def _timed(work: Awaitable[None]) -> float:
    started = time.perf_counter()
    await work
    return time.perf_counter() - started


def _assume_roles(base: str) -> int:
    return anyio.run(_assume_roles_at, base)


async def _assume_roles_at(base: str) -> int:
    client = LightClient(base, service.bearer())
    await client.open(1)
    try:
        return await _assume_roles_of(client)
    finally:
        client.close()


async def _assume_roles_of(client: LightClient) -> int:
    return int((await client.get("/bench/assume-roles")).json())


# The server: bench.probe_server's, and a count of the AssumeRoles reaching the slow AWS.


class _Count:
    def __init__(self) -> None:
        self.value = 0
        self._lock = threading.Lock()  # boto3 calls from the vendor's worker threads

    def add(self, **_: Any) -> None:
        with self._lock:
            self.value += 1


def create() -> Litestar:
    """``bench.probe_server.create``, counting every AssumeRole sent to the slow
    AWS (each attempt, retries included), read at ``GET /bench/assume-roles``.

        uvicorn --factory bench.vend:create
    """
    from entrypoints.bootstrap import build_container
    from entrypoints.http.app import create_app

    container = build_container()
    session = container.aws_session()
    sent = _Count()
    # Called before slow_down's answer: botocore runs the most specific event's handlers first.
    session.events.register("before-send.sts.AssumeRole", sent.add)
    slow_down(
        session, os.environ["BENCH_TRUSTED_EXTERNAL_ID"], float(os.environ["BENCH_AWS_SECONDS"])
    )
    app = create_app(container, serving=True)
    lag = LoopLag()
    ticking: set[asyncio.Task[None]] = set()

    async def start_ticking() -> None:
        ticking.add(asyncio.get_running_loop().create_task(lag.tick()))

    @get("/bench/lag", sync_to_thread=False)
    def lag_samples() -> list[tuple[float, float]]:
        return lag.take()

    @get("/bench/assume-roles", sync_to_thread=False)
    def assume_roles() -> int:
        return sent.value

    @get("/bench/warmed-up", sync_to_thread=True)
    def warmed_up() -> bool:
        """Once the serving process's warm-up thread is done (``serving.py``)."""
        return bool(app.state.warmup.done.wait(timeout=30))

    app.on_startup.append(start_ticking)
    app.register(lag_samples)
    app.register(assume_roles)
    app.register(warmed_up)
    return app


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="load per throughput measurement")
    parser.add_argument("--connections", type=int, default=64, help="wrk's, for the throughput")
    parser.add_argument("--concurrency", type=int, default=64, help="misses per burst")
    parser.add_argument("--aws-seconds", type=float, default=0.1, help="latency per AWS call")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    return parser.parse_args()


if __name__ == "__main__":
    main()
