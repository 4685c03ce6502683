from __future__ import annotations

from dataclasses import dataclass

from application.external_ids import OrgExternalIds
from domain.aws_setup import JsonObject, cloudformation_template, trust_policy
from domain.external_id import ExternalId
from domain.identity import Caller


@dataclass(frozen=True, slots=True)
class AwsSetup:
    external_id: ExternalId
    principal_arn: str
    trust_policy: JsonObject
    cloudformation_template: JsonObject


@dataclass(frozen=True, slots=True)
class GetAwsSetup:
    external_ids: OrgExternalIds
    principal_arn: str

    async def __call__(self, caller: Caller) -> AwsSetup:
        external_id = await self.external_ids.for_org(caller.org_id)
        return AwsSetup(
            external_id=external_id,
            principal_arn=self.principal_arn,
            trust_policy=trust_policy(self.principal_arn, external_id),
            cloudformation_template=cloudformation_template(self.principal_arn, external_id),
        )
