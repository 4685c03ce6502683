"""Start-up: from launching ``bucketlink serve`` in ``aws`` mode to its first
healthy answer, and on to the end of its warm-up.

    uv run python -m bench.startup [--runs 5]

The reference, measured in the same run, is the bare Litestar app of
``bench.bare_app`` under uvicorn, from launch to its first answer. The database
is a migrated SQLite file (``serve`` checks the schema on start-up).
Target: serve to healthy <= 3 s. The server builds its AWS adapters after it
starts answering (``entrypoints/http/serving.py``) and ``/ready`` fails until
then, so the time to the end of that warm-up (its ``warm-up done`` log line) is
printed too. ``/ready`` itself cannot show it here: in ``aws`` mode it asks real
AWS, which this bench does not reach.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO

from bench import service
from bench.servers import ROOT, free_port

_BIN = Path(sys.executable).parent
_WARMED = b'"event":"warm-up done"'


class _Launch:
    """A server launched now, with the moments it answered and finished warming up."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.warmed = threading.Event()
        self.warmed_after = float("nan")
        assert self.process.stdout is not None
        threading.Thread(target=self._watch, args=(self.process.stdout,), daemon=True).start()

    def _watch(self, lines: IO[bytes]) -> None:
        for line in lines:  # read to the end, so the server never blocks on a full pipe
            if _WARMED in line and not self.warmed.is_set():
                self.warmed_after = time.perf_counter() - self.started
                self.warmed.set()

    def answered_after(self, url: str) -> float:
        while self.process.poll() is None:
            try:
                with urllib.request.urlopen(url, timeout=1) as answer:
                    if answer.status == 200:
                        return time.perf_counter() - self.started
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.01)
        raise SystemExit(f"the server exited with {self.process.returncode} before answering")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


def main() -> None:
    options = _options()
    with service.database("sqlite") as url:
        env = service.environment(url)
        service.seed(env, connectors=0)  # migrates
        serve = [_serve(env) for _ in range(options.runs)]
    bare = [_bare() for _ in range(options.runs)]
    healthy = statistics.median(answered for answered, _ in serve)
    warmed = statistics.median(warmed for _, warmed in serve)
    bare_s = statistics.median(bare)
    runs = f"median of {options.runs}"
    print(f"{'bare Litestar app (uvicorn), launch to first answer':54} {bare_s:6.2f} s  {runs}")
    print(
        f"{'bucketlink serve (aws mode), launch to healthy':54} {healthy:6.2f} s  {runs}"
        f"  = {healthy / bare_s:.2f}x  (target <= 3 s: {'ok' if healthy <= 3 else 'MISSED'})"
    )
    print(
        f"{'  ... and to its AWS adapters built (/ready gates)':54} {warmed:6.2f} s  {runs}"
        f"  = {warmed / bare_s:.2f}x"
    )


def _serve(env: dict[str, str]) -> tuple[float, float]:
    port = free_port()
    launch = _Launch([str(_BIN / "bucketlink"), "serve", "--port", str(port)], env)
    try:
        healthy = launch.answered_after(f"http://127.0.0.1:{port}/health")
        if not launch.warmed.wait(timeout=30):
            raise SystemExit("the server never logged the end of its warm-up")
        return healthy, launch.warmed_after
    finally:
        launch.stop()


def _bare() -> float:
    port = free_port()
    command = [
        str(_BIN / "uvicorn"), "--factory", "--port", str(port), "--log-level", "warning",
        "bench.bare_app:create_app",
    ]  # fmt: skip
    launch = _Launch(command, {})
    try:
        return launch.answered_after(
            f"http://127.0.0.1:{port}/things/0f8fad5b-d9cb-469f-a165-70867728950e"
        )
    finally:
        launch.stop()


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    return parser.parse_args()


if __name__ == "__main__":
    main()
