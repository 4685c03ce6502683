from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency

from application.get_aws_setup import GetAwsSetup
from entrypoints.http.auth import CallerRequest
from entrypoints.http.openapi_examples import AWS_SETUP, success_response
from entrypoints.http.problem_responses import problem_responses
from entrypoints.http.schemas.account import AwsSetupBody


class AccountController(Controller):
    path = "/v1/account"
    tags = ["account"]

    @get(
        "/aws-setup",
        summary="Your org's external id and the role to create",
        responses={
            **success_response(
                AwsSetupBody,
                "The external id your role's trust policy must require, the principal to "
                "trust, and a CloudFormation template making that role.",
                AWS_SETUP,
            ),
            **problem_responses(401, 403, 503),
        },
    )
    async def aws_setup(
        self, request: CallerRequest, get_aws_setup: NamedDependency[GetAwsSetup]
    ) -> AwsSetupBody:
        return AwsSetupBody.of(await get_aws_setup(request.user))
