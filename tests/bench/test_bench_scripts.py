"""The benchmark scripts keep working: each runs briefly and prints its figures.
They are measured by hand (docs/performance.md); nothing here asserts a time."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.wrk import parse

ROOT = Path(__file__).resolve().parents[2]


def run_bench(*argv: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", *argv], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_probe_concurrency_reports_the_ratio_and_the_loop_lag() -> None:
    printed = run_bench("bench.probe_concurrency", "--concurrency", "4", "--aws-seconds", "0.01")

    assert re.search(r"4 concurrent creates\s+\d+ ms .*= [\d.]+x one", printed), printed
    assert re.search(r"server event-loop lag\s+p50 [\d.]+ ms, p99 [\d.]+ ms", printed), printed


def test_vend_reports_the_cached_ratio_the_assume_roles_and_the_loop_lag() -> None:
    printed = run_bench(
        "bench.vend", "--seconds", "1", "--concurrency", "4", "--aws-seconds", "0.01"
    )

    assert re.search(r"GET /v1/connectors/s3/\{id\}\s+[\d,]+ req/s", printed), printed
    # Counts, not times: the cache serves every vend after the first; a miss is one AssumeRole.
    assert re.search(r"cached vend\s+[\d,]+ req/s\s+= [\d.]+x the GET \(0 AssumeRoles", printed)
    assert re.search(r"one miss \(median of 5\)\s+\d+ ms\s+\(1 AssumeRole\)", printed), printed
    assert re.search(r"4 concurrent misses\s+\d+ ms\s+= [\d.]+x one miss \(4 AssumeRoles", printed)
    assert re.search(r"server event-loop lag\s+p50 [\d.]+ ms, p99 [\d.]+ ms", printed), printed


def test_sandbox_gateway_reports_its_added_latency_beside_moto_alone() -> None:
    printed = run_bench("bench.sandbox_gateway", "--calls", "20")

    for name in ("S3 GetObject", "S3 PutObject", "STS AssumeRole"):
        assert re.search(rf"{name}.*moto alone .*through the gateway .*added -?[\d.]+ ms", printed)


def test_boto3_cost_reports_construction_and_memory() -> None:
    printed = run_bench("bench.boto3_cost", "--probes", "20")

    assert re.search(r"credentials set on the one S3 client.*[\d.]+ ms median", printed), printed
    assert re.search(r"RSS change over 20 sandbox probes: [+-][\d.]+ MB", printed), printed


def test_request_cost_reports_cpu_per_request_beside_the_bare_app() -> None:
    printed = run_bench("bench.request_cost", "--database", "sqlite", "--requests", "160")

    for name in ("bare app", "one connector", "page of 50"):
        assert re.search(rf"{name}\s+\d+ µs CPU per request\s+\([\d.]+x the bare app\)", printed)


def test_startup_reports_healthy_and_warmed_beside_the_bare_app() -> None:
    # Also the real `bucketlink serve` in aws mode: it answers, then logs its warm-up's end.
    printed = run_bench("bench.startup", "--runs", "1")

    assert re.search(r"bare Litestar app .*\s+[\d.]+ s", printed), printed
    assert re.search(r"launch to healthy\s+[\d.]+ s .*= [\d.]+x", printed), printed
    assert re.search(r"AWS adapters built .*\s+[\d.]+ s .*= [\d.]+x", printed), printed


WRK_REPORT = """Running 5s test @ http://127.0.0.1:8000/things/1
  1 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.40ms  800.00us  20.00ms   90.00%
  Latency Distribution
     50%    5.07ms
     75%    5.50ms
     90%    6.00ms
     99%    1.20s
  59000 requests in 5.00s, 30.00MB read
  Non-2xx or 3xx responses: 3
Requests/sec:  11800.25
Transfer/sec:      6.00MB
"""


def test_a_wrk_report_is_read_in_milliseconds() -> None:
    load = parse(WRK_REPORT)

    assert (load.requests_per_second, load.p50_ms, load.p99_ms, load.non_2xx) == (
        11800.25,
        5.07,
        1200.0,
        3,
    )


def test_a_wrk_report_with_socket_errors_is_refused() -> None:
    with pytest.raises(RuntimeError, match="socket errors"):
        parse(WRK_REPORT + "  Socket errors: connect 0, read 2, write 0, timeout 5\n")
