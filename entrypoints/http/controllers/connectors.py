from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery

from application.connector_queries import DeleteConnector, GetConnector, ListConnectors
from application.register_s3_connector import RegisterS3Connector
from application.validate_s3_connector import ValidateS3Connector
from application.verify_connector import VerifyConnector
from domain.connector import ConnectorType
from entrypoints.http.auth import CallerRequest
from entrypoints.http.openapi_examples import (
    CONNECTOR,
    CONNECTOR_PAGE,
    S3_CONNECTOR_REQUEST,
    VALIDATION_FAILED,
    VALIDATION_PASSED,
    VALIDATION_UNBOUND,
    VERIFICATION_FAILED,
    VERIFICATION_PASSED,
    VERIFICATION_UNBOUND,
    json_body,
    success_response,
)
from entrypoints.http.paging import (
    DEFAULT_PAGE_SIZE,
    Limit,
    PageCursor,
    next_cursor,
    page_request,
)
from entrypoints.http.problem_responses import problem_responses
from entrypoints.http.rate_limit import RATE_LIMITED
from entrypoints.http.schemas.connectors import (
    ConnectorBody,
    ConnectorPage,
    S3ConnectorBody,
    ValidationReport,
    VerificationReport,
)

_ONE = "/{connector_type:str}/{connector_id:uuid}"
S3ConnectorRequest = Annotated[S3ConnectorBody, json_body(S3_CONNECTOR_REQUEST)]


class ConnectorController(Controller):
    path = "/v1/connectors"
    tags = ["connectors"]

    @post(
        "/s3",
        opt=RATE_LIMITED,
        status_code=200,
        summary="Register an S3 connector (probed first)",
        responses={
            **success_response(
                ConnectorBody, "Every check passed: the connector is stored.", CONNECTOR
            ),
            **problem_responses(400, 401, 403, 409, 413, 415, 422, 429, 503),
        },
    )
    async def register_s3(
        self,
        request: CallerRequest,
        data: S3ConnectorRequest,
        register_s3_connector: NamedDependency[RegisterS3Connector],
    ) -> ConnectorBody:
        return ConnectorBody.of(await register_s3_connector(request.user, data.to_request()))

    @post(
        "/s3/validate",
        opt=RATE_LIMITED,
        status_code=200,
        summary="Run the checks, storing nothing",
        responses={
            **success_response(
                ValidationReport,
                "Each check's outcome; a failed check names its code and what to fix.",
                VALIDATION_PASSED,
                VALIDATION_FAILED,
                VALIDATION_UNBOUND,
            ),
            **problem_responses(400, 401, 403, 413, 415, 429, 503),
        },
    )
    async def validate_s3(
        self,
        request: CallerRequest,
        data: S3ConnectorRequest,
        validate_s3_connector: NamedDependency[ValidateS3Connector],
    ) -> ValidationReport:
        return ValidationReport.of(await validate_s3_connector(request.user, data.to_request()))

    @get(
        "",
        summary="List your connectors, newest first",
        responses={
            **success_response(
                ConnectorPage,
                "A page of your connectors; `next_cursor` fetches the next one.",
                CONNECTOR_PAGE,
            ),
            **problem_responses(400, 401, 403, 503),
        },
    )
    async def list_connectors(
        self,
        request: CallerRequest,
        list_connectors: NamedDependency[ListConnectors],
        connector_type: FromQuery[ConnectorType | None] = None,
        limit: Limit = DEFAULT_PAGE_SIZE,
        cursor: PageCursor = None,
    ) -> ConnectorPage:
        page = await list_connectors(request.user, connector_type, page_request(limit, cursor))
        return ConnectorPage(
            items=[ConnectorBody.of(c) for c in page.items], next_cursor=next_cursor(page)
        )

    @get(
        _ONE,
        summary="Get one of your connectors",
        responses={
            **success_response(ConnectorBody, "The connector.", CONNECTOR),
            **problem_responses(400, 401, 403, 404, 503),
        },
    )
    async def get_connector(
        self,
        request: CallerRequest,
        connector_type: FromPath[ConnectorType],
        connector_id: FromPath[UUID],
        get_connector: NamedDependency[GetConnector],
    ) -> ConnectorBody:
        return ConnectorBody.of(await get_connector(request.user, connector_type, connector_id))

    @post(
        f"{_ONE}/verify",
        opt=RATE_LIMITED,
        status_code=200,
        summary="Re-run a stored connector's checks",
        responses={
            **success_response(
                VerificationReport,
                "Each check's outcome now; the stored connector is unchanged.",
                VERIFICATION_PASSED,
                VERIFICATION_FAILED,
                VERIFICATION_UNBOUND,
            ),
            **problem_responses(400, 401, 403, 404, 413, 429, 503),
        },
    )
    async def verify(
        self,
        request: CallerRequest,
        connector_type: FromPath[ConnectorType],
        connector_id: FromPath[UUID],
        verify_connector: NamedDependency[VerifyConnector],
    ) -> VerificationReport:
        return VerificationReport.of(
            await verify_connector(request.user, connector_type, connector_id)
        )

    @delete(
        _ONE,
        summary="Delete one of your connectors",
        responses=problem_responses(400, 401, 403, 404, 503),
    )
    async def delete_connector(
        self,
        request: CallerRequest,
        connector_type: FromPath[ConnectorType],
        connector_id: FromPath[UUID],
        delete_connector: NamedDependency[DeleteConnector],
    ) -> None:
        await delete_connector(request.user, connector_type, connector_id)
