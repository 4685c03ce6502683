"""Concurrent connector creates against an AWS that takes 100 ms per call.

    uv run python -m bench.probe_concurrency [--concurrency 64] [--database sqlite]

The service runs as ``serve`` runs it (uvicorn, one process, ``aws`` mode, the
real ``Boto3AccessProbe``, JWT, the database); only the AWS wire is replaced
(``bench.probe_server``), so each create makes five blocking 100 ms calls on
the probe's thread pool: AssumeRole, the binding check's two AssumeRoles (at
once, and denied), HeadBucket and ListObjectsV2; four round trips in sequence. This process
sends the requests over HTTP with a load generator light enough not to be what
is measured (``bench.light_client``); a ticker inside the server measures its event
loop's lag, and the lag printed is the lag during the bursts.
Targets: a burst's wall time <= 4x one create's; loop lag p99 <= 20 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Awaitable

import anyio

from bench import service
from bench.light_client import LightClient
from bench.loop_lag import percentile
from bench.servers import SERVERS, running

SERVER = os.environ.get("BENCH_SERVER", "uvicorn (uvloop, httptools)")
BURSTS = 5


def main() -> None:
    options = _options()
    with service.database(options.database) as url:
        env = service.environment(
            url,
            BUCKETLINK_RATE_LIMIT="100000/minute",
            BENCH_AWS_SECONDS=str(options.aws_seconds),
            # Placeholders for boto3's credential chain: no request leaves the server.
            AWS_ACCESS_KEY_ID="bench",
            AWS_SECRET_ACCESS_KEY="bench",
        )
        service.seed(env, connectors=0)  # migrates
        # The customer's role is bound to the org's external id, as aws-setup says.
        env["BENCH_TRUSTED_EXTERNAL_ID"] = service.external_id(env)
        with running(SERVERS[SERVER], "bench.probe_server:create", env) as base:
            one, bursts, lags = anyio.run(_measure, base, options.concurrency)
    burst = statistics.median(bursts)
    ratio = burst / one
    p99 = percentile(lags, 99)
    print(
        f"AWS call latency           {options.aws_seconds * 1000:.0f} ms (5 calls per create: "
        "AssumeRole, the binding check's two, HeadBucket, ListObjectsV2)"
    )
    print(
        f"one create (median of 5)   {one * 1000:.0f} ms "
        f"= {one / options.aws_seconds:.1f} AWS round trips"
    )
    print(
        f"{options.concurrency} concurrent creates      {burst * 1000:.0f} ms "
        f"(median of {BURSTS} bursts) = {ratio:.2f}x one  "
        f"(target <= 4x: {'ok' if ratio <= 4 else 'MISSED'})"
    )
    print(
        f"server event-loop lag      p50 {percentile(lags, 50):.1f} ms, p99 {p99:.1f} ms, "
        f"max {max(lags, default=0):.1f} ms over {len(lags)} ticks during the bursts  "
        f"(target p99 <= 20 ms: {'ok' if p99 <= 20 else 'MISSED'})"
    )


async def _measure(base: str, concurrency: int) -> tuple[float, list[float], list[float]]:
    client = LightClient(base, service.bearer())
    await client.open(concurrency)
    try:
        await _create(client, "warm-up")  # the org's external id, the first queries
        one = statistics.median([await _timed(_create(client, f"one-{n}")) for n in range(5)])
        windows = []
        for round_ in range(BURSTS):
            started = time.time()
            await _burst(client, round_, concurrency)
            windows.append((started, time.time()))
        samples = (await client.get("/bench/lag")).json()
    finally:
        client.close()
    lags = [lag for at, lag in samples if any(start <= at <= end for start, end in windows)]
    return one, [end - start for start, end in windows], lags


async def _burst(client: LightClient, round_: int, concurrency: int) -> None:
    async with anyio.create_task_group() as burst:
        for number in range(concurrency):
            burst.start_soon(_create, client, f"burst-{round_}-{number}")


async def _create(client: LightClient, name: str) -> None:
    response = await client.post(
        "/v1/connectors/s3",
        {
            "credential_name": name,
            "connector_type": "s3",
            "role_arn": "arn:aws:iam::111122223333:role/bucketlink-access",
            "bucket_uri": "s3://bench-bucket/data/",
            "expected_bucket_owner_account_id": "111122223333",
        },
    )
    if response.status != 200:
        raise SystemExit(f"create {name} answered {response.status}: {response.body[:500]!r}")


async def _timed(work: Awaitable[None]) -> float:
    started = time.perf_counter()
    await work
    return time.perf_counter() - started


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--aws-seconds", type=float, default=0.1, help="latency per AWS call")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    return parser.parse_args()


if __name__ == "__main__":
    main()
