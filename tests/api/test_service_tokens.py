"""Contract §10, "who may ask": a service token (sub ``service:NAME``, scope
``credentials``) is a caller of its token's organisation on a route that opts
in (``opt=SERVICE_TOKENS_ALLOWED``) and is refused with 403 everywhere else;
a ``service:`` subject without the scope, or a user's token with one, is no
token at all (401)."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import jwt
import msgspec
import pytest
from litestar import Litestar, get
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient
from prometheus_client import REGISTRY

from adapters.fakes.fake_aws import FakeAws
from entrypoints.http.app import create_app
from entrypoints.http.auth import PUBLIC_PATHS, CallerRequest, jwt_auth
from entrypoints.http.service_tokens import SERVICE_TOKENS_ALLOWED, SERVICE_TOKENS_OPT_KEY
from entrypoints.settings import Settings
from tests.api.conftest import fake_container, operations
from tests.conftest import JWT_SECRET, PRINCIPAL_ARN, access_token, bearer
from tests.support.log_capture import every_log

CODE = "service_token_not_allowed"
OPTED_IN = "/test/service-tokens-allowed"
NOT_OPTED_IN = "/test/service-tokens-not-allowed"
# Auth itself lets these methods through unauthenticated (CORS preflight), so
# they carry no caller to refuse.
_UNAUTHENTICATED_METHODS = set(jwt_auth(JWT_SECRET).exclude_http_methods or ())
_SAMPLE_PARAMETERS = {uuid.UUID: str(uuid.uuid4()), str: "s3"}


def _claims(sub: str, org: int = 1, ttl: float = 600, **extra: Any) -> dict[str, Any]:
    return {"sub": sub, "org_id": org, "exp": int(time.time() + ttl), **extra}


def _signed(claims: dict[str, Any]) -> str:
    # PyJWT directly, so the tests do not trust the service's own minting.
    return jwt.encode(claims, JWT_SECRET, algorithm="HS256")


def service_token(name: str = "nightly-export", org: int = 1, ttl: float = 600) -> str:
    return _signed(_claims(f"service:{name}", org, ttl, scope="credentials"))


def _as_bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _app_routes() -> list[tuple[str, str, str, dict[str, Any]]]:
    """(method, route template, a path it matches, handler opt) of every route
    of the app as built."""
    settings = Settings(
        jwt_secret=JWT_SECRET,
        database_url="sqlite:///never-opened.sqlite",  # the app is never started
        principal_arn=PRINCIPAL_ARN,
    )
    app = create_app(fake_container(settings, FakeAws()))
    return [
        (method, route.path_format, _concrete(route), dict(handler.opt))
        for route in app.routes
        if isinstance(route, HTTPRoute)
        for handler in route.route_handlers
        for method in sorted(handler.http_methods)
    ]


def _concrete(route: HTTPRoute) -> str:
    """A path the route matches: each parameter given a value of its type."""
    parameters = route.path_parameters
    return re.sub(
        r"\{(\w+)\}",
        lambda match: _SAMPLE_PARAMETERS[parameters[match[1]].type],
        route.path_format,
    )


def _authenticated(method: str, template: str) -> bool:
    public = any(re.search(pattern, template) for pattern in PUBLIC_PATHS)
    return not public and method not in _UNAUTHENTICATED_METHODS


REFUSING = [
    (method, template, path)
    for method, template, path, opt in _app_routes()
    if _authenticated(method, template) and not opt.get(SERVICE_TOKENS_OPT_KEY)
]
REFUSING_IDS = [f"{method} {template}" for method, template, _ in REFUSING]


def test_the_app_has_routes_to_refuse_service_tokens_on() -> None:
    # Guards the enumeration below against finding nothing and passing vacuously.
    assert {"GET /v1/connectors", "POST /resources/buckets"} <= set(REFUSING_IDS)


def _assert_refused(response: Any, token: str) -> None:
    assert response.status_code == 403, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert (body["code"], body["status"]) == (CODE, 403)
    assert body["type"] == f"/errors#{CODE}"
    assert "only vend credentials" in body["detail"]
    assert token not in response.text


@pytest.mark.parametrize(("method", "template", "path"), REFUSING, ids=REFUSING_IDS)
async def test_a_service_token_is_refused_on_every_route_that_does_not_opt_in(
    client: AsyncTestClient[Any], method: str, template: str, path: str
) -> None:
    token = service_token()
    response = await client.request(method, path, json={}, headers=_as_bearer(token))
    _assert_refused(response, token)


@pytest.mark.parametrize(("method", "template", "path"), REFUSING, ids=REFUSING_IDS)
async def test_every_route_that_refuses_service_tokens_documents_403(
    document: dict[str, Any], method: str, template: str, path: str
) -> None:
    documented = {(m.upper(), p): op for p, m, op in operations(document)}
    assert "403" in documented[(method, template)]["responses"]


async def test_a_refused_service_token_spends_none_of_its_organisation_s_rate_limit(
    settings: Settings, world: FakeAws
) -> None:
    """A service token hammering a limited route must not lock its org's users out."""
    limited = msgspec.structs.replace(settings, rate_limit="2/minute")
    async with AsyncTestClient(create_app(fake_container(limited, world))) as client:
        for _ in range(5):
            refused = await client.post(
                "/resources/buckets", json={}, headers=_as_bearer(service_token(org=8))
            )
            assert refused.status_code == 403
        user = await client.post("/resources/buckets", json={}, headers=bearer(org=8))

    assert user.status_code == 400, user.text  # the body is wrong, and it was read: not 429


async def test_a_refusal_is_counted_by_route(client: AsyncTestClient[Any]) -> None:
    labels = {"route": "GET /v1/connectors"}
    before = REGISTRY.get_sample_value("bucketlink_service_token_refused_total", labels) or 0.0
    await client.get("/v1/connectors", headers=_as_bearer(service_token()))
    after = REGISTRY.get_sample_value("bucketlink_service_token_refused_total", labels)
    assert after == before + 1


# ------------------------------------------------ a route that opts in


async def _whoami(request: CallerRequest) -> dict[str, Any]:
    caller = request.user
    return {"user_id": caller.user_id, "org_id": caller.org_id.value, "service": caller.is_service}


def _with_test_routes(app: Litestar) -> Litestar:
    # Test-only routes on the real app, so that they sit behind its whole stack.
    app.register(get(OPTED_IN, opt=SERVICE_TOKENS_ALLOWED)(_whoami))
    app.register(get(NOT_OPTED_IN)(_whoami))
    return app


@pytest.fixture
async def opt_in_client(settings: Settings, world: FakeAws) -> AsyncIterator[AsyncTestClient[Any]]:
    app = _with_test_routes(create_app(fake_container(settings, world)))
    async with AsyncTestClient(app) as test_client:
        yield test_client


@pytest.mark.parametrize("org", [1, 42, 2**63 - 1])
async def test_a_route_that_opts_in_serves_a_service_as_a_caller_of_its_token_s_org(
    opt_in_client: AsyncTestClient[Any], org: int
) -> None:
    response = await opt_in_client.get(OPTED_IN, headers=_as_bearer(service_token(org=org)))

    assert response.status_code == 200, response.text
    assert response.json() == {"user_id": "service:nightly-export", "org_id": org, "service": True}


async def test_a_route_that_opts_in_still_serves_users(
    opt_in_client: AsyncTestClient[Any],
) -> None:
    response = await opt_in_client.get(OPTED_IN, headers=bearer(user="alice", org=3))
    assert response.json() == {"user_id": "alice", "org_id": 3, "service": False}


async def test_a_new_route_that_says_nothing_refuses_service_tokens(
    opt_in_client: AsyncTestClient[Any],
) -> None:
    token = service_token()
    _assert_refused(await opt_in_client.get(NOT_OPTED_IN, headers=_as_bearer(token)), token)
    assert (await opt_in_client.get(NOT_OPTED_IN, headers=bearer())).status_code == 200


# ------------------------------------------------ tokens that are neither


NOT_TOKENS = {
    "service-without-scope": _claims("service:nightly-export"),
    "service-scope-null": _claims("service:nightly-export", scope=None),
    "service-other-scope": _claims("service:nightly-export", scope="admin"),
    "service-scope-other-case": _claims("service:nightly-export", scope="Credentials"),
    "service-scope-padded": _claims("service:nightly-export", scope="credentials "),
    "service-scope-as-list": _claims("service:nightly-export", scope=["credentials"]),
    "service-scope-as-object": _claims("service:nightly-export", scope={"credentials": True}),
    "service-empty-name": _claims("service:", scope="credentials"),
    "service-bad-name": _claims("service:night/ly", scope="credentials"),
    "service-name-too-long": _claims("service:" + "n" * 65, scope="credentials"),
    "service-org-as-string": {**_claims("service:ci", scope="credentials"), "org_id": "1"},
    "service-refresh-token": _claims("service:ci", scope="credentials", typ="refresh"),
    "user-with-the-service-scope": _claims("alice", scope="credentials"),
    "user-with-another-scope": _claims("alice", scope="admin"),
    "user-with-an-empty-scope": _claims("alice", scope=""),
}


@pytest.mark.parametrize("claims", NOT_TOKENS.values(), ids=NOT_TOKENS.keys())
@pytest.mark.parametrize("path", [OPTED_IN, "/v1/connectors"])
async def test_a_service_subject_without_its_scope_or_a_user_with_one_is_unauthenticated(
    opt_in_client: AsyncTestClient[Any], claims: dict[str, Any], path: str
) -> None:
    token = _signed(claims)
    response = await opt_in_client.get(path, headers=_as_bearer(token))

    assert response.status_code == 401, response.text
    assert response.json()["code"] == "unauthenticated"
    assert response.headers["www-authenticate"] == "Bearer"
    assert token not in response.text


async def test_a_service_token_is_never_renewed(opt_in_client: AsyncTestClient[Any]) -> None:
    expired = service_token(ttl=-5)
    refresh = _signed(
        _claims("service:nightly-export", ttl=3600, scope="credentials", typ="refresh")
    )
    headers = {**_as_bearer(expired), "refresh-token": refresh}

    response = await opt_in_client.get(OPTED_IN, headers=headers)

    assert response.status_code == 401
    assert "x-access-token" not in response.headers


async def test_a_user_s_expired_token_with_a_scope_is_not_renewed(
    opt_in_client: AsyncTestClient[Any],
) -> None:
    expired = _signed(_claims("alice", ttl=-5, scope="credentials"))
    refresh = _signed(_claims("alice", ttl=3600, typ="refresh"))
    headers = {**_as_bearer(expired), "refresh-token": refresh}

    response = await opt_in_client.get(OPTED_IN, headers=headers)

    assert response.status_code == 401
    assert "x-access-token" not in response.headers


async def test_a_user_s_token_is_unchanged_by_all_this(opt_in_client: AsyncTestClient[Any]) -> None:
    response = await opt_in_client.get("/v1/connectors", headers=_as_bearer(access_token()))
    assert response.status_code == 200


async def test_no_log_line_holds_a_service_token(opt_in_client: AsyncTestClient[Any]) -> None:
    token = service_token()
    signature = token.rsplit(".", 1)[1]
    with every_log() as logs:
        await opt_in_client.get(OPTED_IN, headers=_as_bearer(token))
        await opt_in_client.get("/v1/connectors", headers=_as_bearer(token))
        await opt_in_client.post("/resources/buckets", json={}, headers=_as_bearer(token))

    assert logs.records, "the requests logged nothing: the capture saw nothing"
    for record in logs.records:
        text = logs.text_of(record)
        assert token not in text and signature not in text, record.name
