"""The README's path, run as a newcomer runs it: real processes, real HTTP."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.running_serve import BUCKETLINK, running_serve

# Each test starts the service (or a Python) as a separate program.
pytestmark = pytest.mark.slow


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
def service(workdir: Path) -> Iterator[tuple[str, dict[str, str]]]:
    with running_serve(workdir) as serve:
        yield serve.base_url, serve.env


def _bucketlink(workdir: Path, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [*BUCKETLINK, *args],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


def test_token_setup_sandbox_customer_and_register(
    workdir: Path, service: tuple[str, dict[str, str]]
) -> None:
    base, env = service
    token = _bucketlink(workdir, env, "token", "--user", "alice", "--org", "1").strip()
    headers = {"Authorization": f"Bearer {token}"}
    setup = httpx.get(f"{base}/v1/account/aws-setup", headers=headers)
    assert setup.status_code == 200
    body = json.loads(_bucketlink(workdir, env, "sandbox", "customer", "--org", "1"))
    created = httpx.post(f"{base}/v1/connectors/s3", json=body, headers=headers)
    assert created.status_code == 200, created.text
    assert created.json()["verified_role_arn"] == body["role_arn"]
    other_org = _bucketlink(workdir, env, "token", "--user", "eve", "--org", "2").strip()
    refused = httpx.post(
        f"{base}/v1/connectors/s3", json=body, headers={"Authorization": f"Bearer {other_org}"}
    )
    assert refused.status_code == 422
    assert refused.json()["code"] == "assume_role_denied"
    assert httpx.get(f"{base}/ready").json()["status"] == "ready"


def _aws(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """The stock AWS CLI, nothing of bucketlink's in its way."""
    aws = shutil.which("aws")
    if aws is None:  # .ci/run installs it; without it this walk-through cannot run
        pytest.fail("the AWS CLI (`aws`) is not installed", pytrace=False)
    return subprocess.run([aws, *args], env=env, capture_output=True, text=True, timeout=60)


def _assume_role(
    env: dict[str, str], role: str, external_id: str
) -> subprocess.CompletedProcess[str]:
    return _aws(
        env,
        *("sts", "assume-role", "--role-arn", role, "--role-session-name", "me"),
        *("--external-id", external_id),
    )


def _as(credentials: dict[str, str], **session: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID=session.get("key", credentials["aws_access_key_id"]),
        AWS_SECRET_ACCESS_KEY=session.get("secret", credentials["aws_secret_access_key"]),
        AWS_ENDPOINT_URL=credentials["endpoint_url"],
        AWS_CA_BUNDLE=credentials["ca_bundle"],
        AWS_DEFAULT_REGION=credentials["region"],
    )
    if "token" in session:
        env["AWS_SESSION_TOKEN"] = session["token"]
    return env


def test_the_readme_walk_through_with_the_aws_cli(
    workdir: Path, service: tuple[str, dict[str, str]]
) -> None:
    """README, "Use a managed bucket as the customer": the granted account assumes
    the bucket's role with its external id and puts and gets an object over
    HTTPS; a wrong external id and an ungranted account are AccessDenied."""
    base, env = service
    token = _bucketlink(workdir, env, "token", "--user", "alice", "--org", "1").strip()
    made = httpx.post(
        f"{base}/resources/buckets",
        headers={"Authorization": f"Bearer {token}"},
        json={
            "account_id": "111122223333",
            "resource_id": "walkthrough",
            "access": {"type": "role", "external_id": "customer-chosen-id"},
        },
    )
    assert made.status_code == 200, made.text
    bucket, role = made.json()["name"], made.json()["auth"]["role_arn"]
    granted = json.loads(
        _bucketlink(workdir, env, "sandbox", "credentials", "--account", "111122223333")
    )
    assert granted["endpoint_url"].startswith("https://127.0.0.1:")
    assert Path(granted["ca_bundle"]).is_file()

    assumed = _assume_role(_as(granted), role, "customer-chosen-id")
    assert assumed.returncode == 0, assumed.stderr
    credentials = json.loads(assumed.stdout)["Credentials"]
    session = _as(
        granted,
        key=credentials["AccessKeyId"],
        secret=credentials["SecretAccessKey"],
        token=credentials["SessionToken"],
    )
    (workdir / "hello.txt").write_text("hello\n")
    put = _aws(session, "s3", "cp", str(workdir / "hello.txt"), f"s3://{bucket}/hello.txt")
    assert put.returncode == 0, put.stderr
    got = _aws(session, "s3", "cp", f"s3://{bucket}/hello.txt", "-")
    assert (got.returncode, got.stdout) == (0, "hello\n"), got.stderr

    wrong_id = _assume_role(_as(granted), role, "guessed")
    assert wrong_id.returncode != 0 and "AccessDenied" in wrong_id.stderr
    stranger = json.loads(
        _bucketlink(workdir, env, "sandbox", "credentials", "--account", "444455556666")
    )
    listed = _aws(_as(stranger), "s3", "ls", f"s3://{bucket}")
    assert listed.returncode != 0 and "AccessDenied" in listed.stderr
    assumed_by_stranger = _assume_role(_as(stranger), role, "customer-chosen-id")
    assert assumed_by_stranger.returncode != 0 and "AccessDenied" in assumed_by_stranger.stderr


def test_vended_credentials_with_the_aws_cli(
    workdir: Path, service: tuple[str, dict[str, str]]
) -> None:
    """Contract section 10 in the sandbox: credentials vended for a sandbox
    customer's connector work with the stock AWS CLI inside their prefix, and
    are AccessDenied outside it."""
    base, env = service
    token = _bucketlink(workdir, env, "token", "--user", "alice", "--org", "1").strip()
    headers = {"Authorization": f"Bearer {token}"}
    body = json.loads(_bucketlink(workdir, env, "sandbox", "customer", "--org", "1"))
    created = httpx.post(f"{base}/v1/connectors/s3", json=body, headers=headers)
    assert created.status_code == 200, created.text
    vended = httpx.post(
        f"{base}/v1/connectors/s3/{created.json()['id']}/credentials",
        json={"access": "read_write", "prefix": "jobs/"},
        headers=headers,
    )
    assert vended.status_code == 200, vended.text
    answer = vended.json()
    sandbox = json.loads(_bucketlink(workdir, env, "sandbox", "credentials"))
    job = _as(
        sandbox,
        key=answer["access_key_id"],
        secret=answer["secret_access_key"],
        token=answer["session_token"],
    )
    bucket = answer["bucket"]
    (workdir / "out.txt").write_text("job output\n")

    inside = _aws(job, "s3", "cp", str(workdir / "out.txt"), f"s3://{bucket}/jobs/out.txt")
    outside = _aws(job, "s3", "cp", str(workdir / "out.txt"), f"s3://{bucket}/other/out.txt")

    assert inside.returncode == 0, inside.stderr
    assert outside.returncode != 0 and "AccessDenied" in outside.stderr
