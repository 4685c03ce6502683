from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, delete, get, post
from litestar.datastructures import CacheControlHeader
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery

from application.connector_queries import (
    DeleteConnector,
    GetConnector,
    ListConnectors,
    connector_not_found,
)
from application.register_s3_connector import RegisterS3Connector
from application.validate_s3_connector import ValidateS3Connector
from application.vend_credentials import VendCredentials
from application.verify_connector import VerifyConnector
from domain.connector import ConnectorType
from entrypoints.http.auth import CallerRequest
from entrypoints.http.openapi_examples import (
    CONNECTOR,
    CONNECTOR_PAGE,
    CREDENTIALS_REQUEST,
    S3_CONNECTOR_REQUEST,
    VALIDATION_FAILED,
    VALIDATION_PASSED,
    VALIDATION_UNBOUND,
    VENDED,
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
from entrypoints.http.rate_limit import RATE_LIMITED, VEND_RATE_LIMITED
from entrypoints.http.schemas.connectors import (
    ConnectorBody,
    ConnectorPage,
    S3ConnectorBody,
    ValidationReport,
    VerificationReport,
)
from entrypoints.http.schemas.credentials import CredentialsBody, CredentialsRequestBody
from entrypoints.http.service_tokens import SERVICE_TOKENS_ALLOWED

_ONE = "/{connector_type:str}/{connector_id:uuid}"
S3ConnectorRequest = Annotated[S3ConnectorBody, json_body(S3_CONNECTOR_REQUEST)]
CredentialsRequest = Annotated[CredentialsRequestBody, json_body(CREDENTIALS_REQUEST)]
_WHOLE_PREFIX_READ = CredentialsRequestBody()


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

    @post(
        # Under the connector-type parameter, as its siblings: a literal "s3"
        # segment beside it would take /v1/connectors/s3/{id} from them.
        f"{_ONE}/credentials",
        opt={**SERVICE_TOKENS_ALLOWED, **VEND_RATE_LIMITED},
        status_code=200,
        cache_control=CacheControlHeader(no_store=True),
        summary="Vend short-lived credentials for the connector's bucket",
        description=(
            "AssumeRole with your organisation's external id, confined by a session policy "
            "to the prefix asked for (and the bucket owner checked at registration). The "
            "owner, or a service token of the organisation, may ask. Never stored; served "
            "again from this process while more than a quarter of their life remains."
        ),
        responses={
            **success_response(CredentialsBody, "The credentials, never stored.", VENDED),
            **problem_responses(400, 401, 403, 404, 413, 415, 422, 429, 503),
        },
    )
    async def vend_credentials(
        self,
        request: CallerRequest,
        connector_type: FromPath[ConnectorType],
        connector_id: FromPath[UUID],
        vend_credentials: NamedDependency[VendCredentials],
        data: CredentialsRequest = _WHOLE_PREFIX_READ,
    ) -> CredentialsBody:
        if connector_type is not ConnectorType.S3:  # only S3 connectors vend credentials
            raise connector_not_found(connector_id)
        vended = await vend_credentials(request.user, connector_id, data.to_request())
        return CredentialsBody.of(vended)

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
