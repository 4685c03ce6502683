"""The provisioning algorithm's ``AwsTransport`` over boto3: each request sent with
the client whose service has its operation, and botocore's failures turned into
the transport's two kinds, AWS's error answer or AWS not answering."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore import xform_name
from botocore.client import BaseClient
from botocore.exceptions import BotoCoreError, ClientError

from adapters.aws.aws_errors import as_unavailable, error_code, status_code
from adapters.aws_models.aws_transport import AwsError
from adapters.aws_models.provisioning_errors import AwsRequestRefused
from adapters.aws_models.provisioning_requests import AwsRequest


class Boto3Transport:
    def __init__(self, *clients: BaseClient) -> None:
        # The clients' services share no operation name (S3's and IAM's do not).
        self._clients = {
            operation: client
            for client in clients
            for operation in client.meta.service_model.operation_names
        }

    def send(self, aws: AwsRequest) -> Mapping[str, Any]:
        method = getattr(self._clients[aws.operation], xform_name(aws.operation))
        try:
            answer: Mapping[str, Any] = method(**aws.params)
        except ClientError as error:
            raise _answer(error, aws.operation) from None
        except BotoCoreError as error:
            raise _no_answer(error, aws.operation) from None
        return answer


def _answer(error: ClientError, operation: str) -> Exception:
    # Throttling and 5xx come here once botocore's own retries have run out.
    unavailable = as_unavailable(error, operation)
    if unavailable is not None:
        return unavailable
    message = str(error.response.get("Error", {}).get("Message", ""))
    return AwsError(error_code(error), message, status=status_code(error))


def _no_answer(error: BotoCoreError, operation: str) -> Exception:
    unavailable = as_unavailable(error, operation)
    if unavailable is not None:
        return unavailable
    # Not AWS's answer but botocore's own refusal (a parameter it will not send):
    # a bug only an operator can have fixed.
    return AwsRequestRefused(f"{operation}: {type(error).__name__}")
