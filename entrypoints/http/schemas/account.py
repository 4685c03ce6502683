from __future__ import annotations

from typing import Any

import msgspec

from application.get_aws_setup import AwsSetup


class AwsSetupBody(msgspec.Struct, kw_only=True):
    external_id: str
    principal_arn: str
    trust_policy: dict[str, Any]
    cloudformation_template: dict[str, Any]

    @classmethod
    def of(cls, setup: AwsSetup) -> AwsSetupBody:
        return cls(
            external_id=setup.external_id.value,
            principal_arn=setup.principal_arn,
            trust_policy=setup.trust_policy,
            cloudformation_template=setup.cloudformation_template,
        )
