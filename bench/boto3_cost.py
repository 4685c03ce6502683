"""What boto3 costs the probe: client construction per probe, and memory over
1,000 probes against the sandbox.

    uv run python -m bench.boto3_cost [--probes 1000]

1. Per probe, the probe now only sets the assumed role's credentials on its one
   S3 client (``adapters.aws.assumed_role_signing``). The reference, measured in
   the same run, is what it did before: build an S3 client from the process's
   session with those credentials. Target: <= 10 ms median.
2. RSS of this process before and after ``--probes`` sandbox probes (moto's
   server runs in a separate process, so its own memory is not counted), after
   100 warm-up probes. Target: within +-20 MB.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from tempfile import TemporaryDirectory

import anyio

from adapters.aws.assumed_role_signing import signing_as
from adapters.aws.client_config import default_config
from adapters.aws.session import SharedSession
from adapters.sandbox import defaults
from adapters.sandbox.customer import create_sandbox_customer
from adapters.system.secrets_source import CsprngSecrets
from bench.servers import free_port, wait_for_port
from domain.account_id import AccountId
from domain.external_id import ExternalId
from domain.identity import OrgId
from domain.ports.access_probe import AccessProbe
from domain.probe import ProbeRequest
from domain.role_arn import RoleArn
from domain.s3_uri import S3Uri
from entrypoints.bootstrap import build_container
from entrypoints.settings import Settings

CREDENTIALS = {
    "AccessKeyId": "ASIABENCHMARKKEY0001",
    "SecretAccessKey": "benchmark/secret/access/key/0000000000000",
    "SessionToken": "benchmark-session-token",
}
EXTERNAL_ID = ExternalId("bench-external-id-0123456789abcdef")


def main() -> None:
    options = _options()
    _client_construction()
    _memory(options.probes)


def _client_construction() -> None:
    session = SharedSession(
        region_name="us-east-1", aws_access_key_id="bench", aws_secret_access_key="bench"
    )
    config = default_config()

    def build_client() -> None:
        session.client(
            "s3",
            region_name="us-east-1",
            config=config,
            aws_access_key_id=CREDENTIALS["AccessKeyId"],
            aws_secret_access_key=CREDENTIALS["SecretAccessKey"],
            aws_session_token=CREDENTIALS["SessionToken"],
        ).close()

    def sign_as() -> None:
        with signing_as(CREDENTIALS):  # type: ignore[arg-type]
            pass

    built = _median_ms(build_client, 200)
    now = _median_ms(sign_as, 2000)
    verdict = "ok" if now <= 10 else "MISSED"
    print(f"{'S3 client built per probe with its credentials (before)':58} {built:8.3f} ms median")
    print(
        f"{'credentials set on the one S3 client, per probe (now)':58} {now:8.3f} ms median"
        f"  = {now / built:.4f}x  (target <= 10 ms: {verdict})"
    )


def _median_ms(work: Callable[[], None], times: int) -> float:
    work()
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        work()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def _memory(probes: int) -> None:
    with _emulator() as endpoint, TemporaryDirectory() as folder:
        port = int(endpoint.rsplit(":", 1)[1])
        settings = Settings(
            database_url=f"sqlite:///{Path(folder) / 'unused.sqlite'}",
            jwt_secret="benchmark-secret-that-is-long-enough",
            sandbox_port=port,
            assume_role_grace_seconds=0,
        )
        probe = build_container(settings).probe()
        request = _customer(endpoint, settings.principal_arn)
        rss = anyio.run(_probe_repeatedly, probe, request, probes)
    growth = rss[-1] - rss[0]
    trend = "  ".join(f"{mb:.0f}" for mb in rss)
    print(f"RSS (MB) after 100 warm-up probes, then every {probes // 10}: {trend}")
    print(
        f"RSS change over {probes} sandbox probes: {growth:+.1f} MB  "
        f"(target within +-20 MB: {'ok' if abs(growth) <= 20 else 'MISSED'})"
    )


async def _probe_repeatedly(probe: AccessProbe, request: ProbeRequest, probes: int) -> list[float]:
    for _ in range(100):
        await _passes(probe, request)
    rss = [_rss_mb()]
    for number in range(1, probes + 1):
        await _passes(probe, request)
        if number % (probes // 10) == 0:
            gc.collect()
            rss.append(_rss_mb())
    return rss


async def _passes(probe: AccessProbe, request: ProbeRequest) -> None:
    report = await probe.probe(request)
    if not report.ok:
        raise SystemExit(f"the sandbox probe failed: {report}")


def _customer(endpoint: str, principal_arn: str) -> ProbeRequest:
    body = create_sandbox_customer(endpoint, principal_arn, EXTERNAL_ID, OrgId(1))
    return ProbeRequest(
        role=RoleArn.parse(body["role_arn"]),
        target=S3Uri.parse(body["bucket_uri"]),
        bucket_owner=AccountId.parse(defaults.CUSTOMER_ACCOUNT_ID),
        external_id=EXTERNAL_ID,
        org_id=OrgId(1),
        decoy_external_id=CsprngSecrets().new_external_id(),
    )


_SERVE_EMULATOR = """
import sys, threading
from adapters.sandbox.emulator import Emulator
Emulator(port=int(sys.argv[1])).start()
threading.Event().wait()
"""


@contextmanager
def _emulator() -> Iterator[str]:
    port = free_port()
    # The sandbox's emulator (moto behind its trust gate), in a process of its own
    # so that its memory is not the probe's.
    server = subprocess.Popen(
        [sys.executable, "-c", _SERVE_EMULATOR, str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, server)
        yield defaults.endpoint_url(port, "127.0.0.1")
    finally:
        server.terminate()
        server.wait(timeout=20)


def _rss_mb() -> float:
    for line in Path(f"/proc/{os.getpid()}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--probes", type=int, default=1000)
    return parser.parse_args()


if __name__ == "__main__":
    main()
