"""Running wrk (Debian's package, installed on first use) and reading its report."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


@dataclass(frozen=True, slots=True)
class Load:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    non_2xx: int


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)
    return shutil.which("wrk") or "wrk"


def load(
    url: str,
    *,
    seconds: int,
    connections: int,
    headers: Mapping[str, str] | None = None,
) -> Load:
    argv = [ensure_wrk(), "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    argv += ["--latency", url]
    for name, value in (headers or {}).items():
        argv += ["-H", f"{name}: {value}"]
    report = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
    return parse(report)


def parse(report: str) -> Load:
    rate = re.search(r"Requests/sec:\s+([\d.]+)", report)
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", report)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", report)
    if not (rate and p50 and p99):
        raise RuntimeError(f"cannot read wrk's report:\n{report}")
    failed = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", report)
    errors = re.search(r"Socket errors:.*", report)
    if errors:
        raise RuntimeError(f"wrk saw socket errors: {errors.group(0)}")
    return Load(
        requests_per_second=float(rate.group(1)),
        p50_ms=float(p50.group(1)) * _UNITS[p50.group(2)],
        p99_ms=float(p99.group(1)) * _UNITS[p99.group(2)],
        non_2xx=int(failed.group(1)) if failed else 0,
    )
