"""What the sandbox's gateway adds to a call: latency per S3 call and per
AssumeRole, beside moto's server alone, measured in the same run.

    uv run python -m bench.sandbox_gateway [--calls 300]

Both servers run in this process's threads with the same moto, on plain HTTP
(moto alone has no HTTPS), and are called with stock boto3 over keep-alive
connections, one call at a time. "moto alone" is moto's own server app with its
access control off (what the sandbox was before the gateway): it authenticates
nothing. The gateway verifies the SigV4 signature, finds the key's identity in
IAM, reads the policies, and evaluates them, for every call. A last line times
GetObject through the gateway over HTTPS (what the service and TLS-only buckets
use), for the cost of TLS on a kept-alive connection.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from typing import Any

import boto3
from botocore.config import Config

from adapters.sandbox.emulator import Emulator, administrator
from bench.servers import free_port

_CONFIG = Config(retries={"mode": "standard", "total_max_attempts": 1})
ACCOUNT = "111122223333"


def main() -> None:
    calls = _options().calls
    with tempfile.TemporaryDirectory() as tls, Emulator(port=0, tls_directory=tls) as gateway:
        moto_url = _bare_moto()
        administrator = _administrator(gateway)
        gated = _clients(gateway.endpoint_url, administrator)
        bare = _clients(moto_url, {"aws_access_key_id": "x", "aws_secret_access_key": "x"})
        tls = _clients(gateway.https_endpoint_url, administrator, verify=str(gateway.ca_bundle))
        rows = [
            ("S3 GetObject (1 KiB)", _get_object),
            ("S3 PutObject (1 KiB)", _put_object),
            ("STS AssumeRole", _assume_role),
        ]
        print(f"{calls} calls each, one at a time; median and p95 in ms")
        for name, call in rows:
            with_gateway = _timings(call, gated, calls)
            alone = _timings(call, bare, calls)
            added = statistics.median(with_gateway) - statistics.median(alone)
            print(
                f"{name:<22} moto alone {_summary(alone)}   through the gateway "
                f"{_summary(with_gateway)}   added {added:.2f} ms median "
                f"({statistics.median(with_gateway) / statistics.median(alone):.2f}x)"
            )
        over_tls = _timings(_get_object, tls, calls)
        print(f"{'S3 GetObject, HTTPS':<22} through the gateway {_summary(over_tls)}")


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=300)
    return parser.parse_args()


def _administrator(emulator: Emulator) -> dict[str, str]:
    found = administrator(emulator.endpoint_url, ACCOUNT)
    return {
        "aws_access_key_id": found.aws_access_key_id,
        "aws_secret_access_key": found.aws_secret_access_key,
    }


def _bare_moto() -> str:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server

    port = free_port()
    server = make_server(
        "127.0.0.1", port, DomainDispatcherApplication(create_backend_app), threaded=True
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{port}"


class _Clients:
    def __init__(
        self, endpoint: str, credentials: dict[str, str], verify: str | None = None
    ) -> None:
        session = boto3.Session(region_name="us-east-1", **credentials)
        options: dict[str, Any] = {"endpoint_url": endpoint, "config": _CONFIG, "verify": verify}
        self.s3 = session.client("s3", **options)
        self.iam = session.client("iam", **options)
        self.sts = session.client("sts", **options)
        suffix = str(time.monotonic_ns())
        self.bucket = f"bench-gateway-{suffix}"
        self.s3.create_bucket(Bucket=self.bucket)
        self.s3.put_object(Bucket=self.bucket, Key="one-kib", Body=b"x" * 1024)
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                    "Action": "sts:AssumeRole",
                    "Condition": {"StringEquals": {"sts:ExternalId": "bench-external-id"}},
                }
            ],
        }
        self.role = self.iam.create_role(
            RoleName=f"bench-{suffix}", AssumeRolePolicyDocument=json.dumps(trust)
        )["Role"]["Arn"]


def _clients(endpoint: str, credentials: dict[str, str], verify: str | None = None) -> _Clients:
    return _Clients(endpoint, credentials, verify)


def _get_object(clients: _Clients) -> None:
    clients.s3.get_object(Bucket=clients.bucket, Key="one-kib")["Body"].read()


def _put_object(clients: _Clients) -> None:
    clients.s3.put_object(Bucket=clients.bucket, Key="put", Body=b"y" * 1024)


def _assume_role(clients: _Clients) -> None:
    clients.sts.assume_role(
        RoleArn=clients.role, RoleSessionName="bench", ExternalId="bench-external-id"
    )


def _timings(call: Callable[[Any], None], clients: _Clients, count: int) -> list[float]:
    for _ in range(20):  # warm the connection and the caches
        call(clients)
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        call(clients)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _summary(timings: list[float]) -> str:
    p95 = statistics.quantiles(timings, n=20)[-1]
    return f"{statistics.median(timings):5.2f} / {p95:5.2f}"


if __name__ == "__main__":
    main()
