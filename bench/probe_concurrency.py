"""Concurrent connector creates against an AWS that takes 100 ms per call.

    uv run python -m bench.probe_concurrency [--concurrency 64] [--database sqlite]

The whole service (``aws`` mode, real ``Boto3AccessProbe``, JWT, database) runs
in this process's event loop (uvloop, as served) behind an in-memory ASGI
transport; only the AWS wire is replaced by ``bench.slow_aws``, so each create
makes three blocking 100 ms calls (AssumeRole, HeadBucket, ListObjectsV2) on the
probe's thread pool. A ticker measures event-loop lag during the burst (the
client shares the loop, so the lag is an upper bound for the server's).
Targets: the burst's wall time <= 4x one create's; loop lag p99 <= 20 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import anyio
import httpx

from bench import service
from bench.loop_lag import measuring_lag
from bench.slow_aws import slow_down
from entrypoints.bootstrap import build_container
from entrypoints.http.app import create_app
from entrypoints.settings import load_settings


def main() -> None:
    options = _options()
    # Placeholders for boto3's credential chain: no request leaves this process.
    os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench")
    with service.database(options.database) as url:
        env = service.environment(url, BUCKETLINK_RATE_LIMIT="100000/minute")
        service.seed(env, connectors=0)  # migrates
        anyio.run(_run, env, options, backend_options={"use_uvloop": True})


async def _run(env: dict[str, str], options: argparse.Namespace) -> None:
    container = build_container(load_settings(env))
    slow_down(container.aws_session(), options.aws_seconds)
    app = create_app(container, serving=True)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.lifespan(),
        httpx.AsyncClient(
            transport=transport, base_url="http://bench", headers=service.bearer(), timeout=120
        ) as client,
    ):
        await _create(client, "warm-up")  # the org's external id, boto3's models
        one = statistics.median([await _timed(_create(client, f"one-{n}")) for n in range(5)])
        async with measuring_lag() as lag:
            bursts = [await _burst(client, round_, options.concurrency) for round_ in range(5)]
    burst = statistics.median(bursts)
    ratio = burst / one
    print(f"AWS call latency           {options.aws_seconds * 1000:.0f} ms (3 calls per create)")
    print(f"one create (median of 5)   {one * 1000:.0f} ms")
    print(
        f"{options.concurrency} concurrent creates      {burst * 1000:.0f} ms (median of 5 bursts) "
        f"= {ratio:.2f}x one  (target <= 4x: {'ok' if ratio <= 4 else 'MISSED'})"
    )
    p99 = lag.percentile(99)
    print(
        f"event-loop lag             p50 {lag.percentile(50):.1f} ms, p99 {p99:.1f} ms, "
        f"max {lag.worst:.1f} ms over {len(lag.lags_ms)} ticks  "
        f"(target p99 <= 20 ms: {'ok' if p99 <= 20 else 'MISSED'})"
    )


async def _burst(client: httpx.AsyncClient, round_: int, concurrency: int) -> float:
    started = time.perf_counter()
    async with anyio.create_task_group() as burst:
        for number in range(concurrency):
            burst.start_soon(_create, client, f"burst-{round_}-{number}")
    return time.perf_counter() - started


async def _create(client: httpx.AsyncClient, name: str) -> None:
    response = await client.post(
        "/v1/connectors/s3",
        json={
            "credential_name": name,
            "connector_type": "s3",
            "role_arn": "arn:aws:iam::111122223333:role/bucketlink-access",
            "bucket_uri": "s3://bench-bucket/data/",
            "expected_bucket_owner_account_id": "111122223333",
        },
    )
    if response.status_code != 200:
        raise SystemExit(f"create {name} answered {response.status_code}: {response.text}")


async def _timed(work: object) -> float:
    started = time.perf_counter()
    await work  # type: ignore[misc]
    return time.perf_counter() - started


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--aws-seconds", type=float, default=0.1, help="latency per AWS call")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    return parser.parse_args()


if __name__ == "__main__":
    main()
