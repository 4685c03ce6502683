"""The sandbox's identities are written once, in adapters/sandbox/defaults, and
everything that names them imports them from there; that module must stay cheap
to import, since settings (read by every process) imports it."""

from __future__ import annotations

from adapters.sandbox import defaults
from domain.role_arn import RoleArn
from entrypoints import settings
from entrypoints.http import openapi_examples
from tests.support.fresh_interpreter import top_level_packages_loaded


def test_settings_and_the_openapi_examples_name_the_sandbox_s_own_identities() -> None:
    assert settings.SANDBOX_PRINCIPAL_ARN == defaults.PRINCIPAL_ARN
    assert settings.SANDBOX_ROLE_BOUNDARY_ARN == defaults.ROLE_BOUNDARY_ARN
    assert settings.Settings().sandbox_endpoint == defaults.endpoint_url()
    assert openapi_examples.PRINCIPAL_ARN == defaults.PRINCIPAL_ARN
    assert openapi_examples.CUSTOMER_ACCOUNT_ID == defaults.CUSTOMER_ACCOUNT_ID


def test_the_principal_is_a_role_of_the_platform_account() -> None:
    principal = RoleArn.parse(defaults.PRINCIPAL_ARN)
    assert principal.account_id.value == defaults.PLATFORM_ACCOUNT_ID
    assert principal.role_name == defaults.PRINCIPAL_ROLE_NAME
    assert defaults.ROLE_BOUNDARY_ARN.endswith(f":policy/{defaults.ROLE_BOUNDARY_NAME}")


def test_importing_the_defaults_and_settings_imports_no_aws_library() -> None:
    imports = ["adapters.sandbox.defaults", "entrypoints.settings"]
    assert top_level_packages_loaded(imports, ["boto3", "botocore", "moto"]) == []
