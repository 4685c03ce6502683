"""The sandbox's made-up AWS world: who the platform is and where the emulator listens.

The one place these identities are written: settings, the OpenAPI examples, the
fakes and the tests import them. Constants only, so importing them costs nothing
(no boto3, no moto)."""

from __future__ import annotations

PLATFORM_ACCOUNT_ID = "123456789012"  # also moto's default account
PRINCIPAL_ROLE_NAME = "bucketlink-platform"
PRINCIPAL_ARN = f"arn:aws:iam::{PLATFORM_ACCOUNT_ID}:role/{PRINCIPAL_ROLE_NAME}"
# The permissions boundary of every managed bucket's role, made by the sandbox itself.
ROLE_BOUNDARY_NAME = "bucketlink-managed-role-boundary"
ROLE_BOUNDARY_ARN = f"arn:aws:iam::{PLATFORM_ACCOUNT_ID}:policy/{ROLE_BOUNDARY_NAME}"
CUSTOMER_ACCOUNT_ID = "111122223333"
REGION = "us-east-1"
HOST = "127.0.0.1"
PORT = 4566
# The platform's own key in the emulator: the one key it knows without having
# issued it, standing for a session of the platform role (PRINCIPAL_ARN).
ACCESS_KEY_ID = "sandbox"
SECRET_ACCESS_KEY = "sandbox"
# The CA and certificate of the emulator's HTTPS endpoint, made on first start.
TLS_DIRECTORY = ".bucketlink/sandbox-tls"
CA_BUNDLE = f"{TLS_DIRECTORY}/ca.pem"


def endpoint_url(port: int = PORT, host: str = HOST) -> str:
    return f"http://{host}:{port}"


def https_endpoint_url(port: int = PORT, host: str = HOST) -> str:
    """The HTTPS endpoint listens on the port after the plain one."""
    return f"https://{host}:{port + 1}"
