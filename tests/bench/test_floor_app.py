"""The read-path benchmark's floor app does the work it stands for: it verifies
the service's token and reads the connector's row, each part alone when asked."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from litestar.testing import TestClient

from bench import service
from bench.floor_app import create_app


@pytest.fixture(params=["sqlite", "postgresql"])
def seeded(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    if request.param == "postgresql":
        request.getfixturevalue("postgres_server")  # skips, or fails under CI, without one
    with service.database(request.param) as url:
        env = service.environment(url)
        ids = service.seed(env, connectors=2)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        yield ids


def _get(connector_id: str, headers: dict[str, str]) -> tuple[int, dict[str, object]]:
    with TestClient(create_app()) as client:
        response = client.get(f"/v1/connectors/s3/{connector_id}", headers=headers)
    return response.status_code, response.json()


def test_it_reads_the_row_for_a_verified_token(
    seeded: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BENCH_FLOOR_PARTS", "jwt,row")
    status, body = _get(seeded[1], service.bearer())
    assert status == 200
    assert (body["id"], body["credential_name"]) == (seeded[1], "bench-0001")
    assert body["verified_role_arn"] == "arn:aws:iam::111122223333:role/bucketlink-access"
    assert _get(seeded[1], {})[0] == 401


def test_each_part_alone(seeded: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BENCH_FLOOR_PARTS", "row")
    status, body = _get(seeded[0], {})
    assert (status, body["credential_name"]) == (200, "bench-0000")
    monkeypatch.setenv("BENCH_FLOOR_PARTS", "jwt")
    assert _get(seeded[0], service.bearer())[0] == 200
    assert _get(seeded[0], {})[0] == 401


def test_it_pages_the_newest_rows_first(seeded: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BENCH_FLOOR_PARTS", "jwt,row")
    with TestClient(create_app()) as client:
        first = client.get("/v1/connectors?limit=1", headers=service.bearer()).json()
        both = client.get("/v1/connectors?limit=2", headers=service.bearer()).json()
    assert [item["credential_name"] for item in both["items"]] == ["bench-0001", "bench-0000"]
    assert (first["items"], first["next_cursor"]) == (both["items"][:1], seeded[1])
    assert both["next_cursor"] is None
