from __future__ import annotations

from dataclasses import dataclass

from application.connector_queries import DeleteConnector, GetConnector, ListConnectors
from application.get_aws_setup import GetAwsSetup
from application.register_s3_connector import RegisterS3Connector
from application.validate_s3_connector import ValidateS3Connector
from application.verify_connector import VerifyConnector


@dataclass(frozen=True, slots=True)
class Bucketlink:
    """The use cases, ready to call in-process: what ``bootstrap()`` returns."""

    get_aws_setup: GetAwsSetup
    register_s3_connector: RegisterS3Connector
    validate_s3_connector: ValidateS3Connector
    verify_connector: VerifyConnector
    list_connectors: ListConnectors
    get_connector: GetConnector
    delete_connector: DeleteConnector
