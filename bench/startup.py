"""Start-up: from launching ``bucketlink serve`` in ``aws`` mode to its first
healthy answer.

    uv run python -m bench.startup [--runs 5]

The reference, measured in the same run, is the bare Litestar app of
``bench.bare_app`` under uvicorn, from launch to its first answer. The database
is a migrated SQLite file (``serve`` checks the schema on start-up).
Target: serve to healthy <= 3 s.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench import service
from bench.servers import ROOT, free_port

_BIN = Path(sys.executable).parent


def main() -> None:
    options = _options()
    with service.database("sqlite") as url:
        env = service.environment(url)
        service.seed(env, connectors=0)  # migrates
        serve = [_time_to_answer(_serve_command, env, "/health") for _ in range(options.runs)]
    thing = "/things/0f8fad5b-d9cb-469f-a165-70867728950e"
    bare = [_time_to_answer(_bare_command, {}, thing) for _ in range(options.runs)]
    serve_s, bare_s = statistics.median(serve), statistics.median(bare)
    runs = f"median of {options.runs}"
    print(f"{'bare Litestar app (uvicorn), launch to first answer':52} {bare_s:6.2f} s  {runs}")
    print(
        f"{'bucketlink serve (aws mode), launch to healthy':52} {serve_s:6.2f} s  {runs}"
        f"  = {serve_s / bare_s:.2f}x  (target <= 3 s: {'ok' if serve_s <= 3 else 'MISSED'})"
    )


def _serve_command(port: int) -> list[str]:
    return [str(_BIN / "bucketlink"), "serve", "--port", str(port)]


def _bare_command(port: int) -> list[str]:
    return [
        str(_BIN / "uvicorn"), "--factory", "--port", str(port), "--log-level", "warning",
        "bench.bare_app:create_app",
    ]  # fmt: skip


def _time_to_answer(command, env: dict[str, str], path: str) -> float:  # type: ignore[no-untyped-def]
    import os

    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        command(port),
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=1) as answer:
                    if answer.status == 200:
                        return time.perf_counter() - started
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.01)
        raise SystemExit(f"{command(port)[0]} exited with {process.returncode} before answering")
    finally:
        process.terminate()
        process.wait(timeout=20)


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    return parser.parse_args()


if __name__ == "__main__":
    main()
