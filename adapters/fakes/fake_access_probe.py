"""The ``AccessProbe`` port over a ``FakeAws``: the same calls, in the same order,
as the boto3 probe (the two binding attempts after the real AssumeRole), each
through the world's call log, judged by the rules the sandbox uses too
(``adapters.aws_models.probe_rules``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.aws_models.probe_rules import (
    RoleFacts,
    assumed_role,
    binding_failure,
    list_objects_failure,
    reached_bucket,
)
from domain.external_id import ExternalId
from domain.probe import ProbeReport, ProbeRequest

if TYPE_CHECKING:
    # Only named here: fake_aws offers this probe beside the world it probes.
    from adapters.fakes.fake_aws import FakeAws

SESSION_SECONDS = 900


class FakeAccessProbe:
    def __init__(self, world: FakeAws, principal_arn: str) -> None:
        self._world = world
        self._principal_arn = principal_arn

    async def probe(self, request: ProbeRequest) -> ProbeReport:
        self._assume_role(request, request.external_id)
        role = assumed_role(self._world.role_facts(request.role), self._principal_arn, request)
        if isinstance(role, ProbeReport):
            return role
        for _, external_id in request.binding_attempts():
            self._assume_role(request, external_id)
        unbound = binding_failure(role, self._principal_arn, request)
        if unbound is not None:
            return unbound
        return self._check_bucket(role, request)

    def _assume_role(self, request: ProbeRequest, external_id: ExternalId | None) -> None:
        sent = {} if external_id is None else {"ExternalId": external_id.value}
        self._world.call(
            "AssumeRole",
            RoleArn=str(request.role),
            RoleSessionName=request.session_name,
            DurationSeconds=SESSION_SECONDS,
            **sent,
        )

    def _check_bucket(self, role: RoleFacts, request: ProbeRequest) -> ProbeReport:
        world, bucket_name, owner = self._world, str(request.target.bucket), request.bucket_owner
        world.call("HeadBucket", Bucket=bucket_name, ExpectedBucketOwner=owner.value)
        bucket = reached_bucket(role, world.bucket_facts(request.target.bucket, owner), request)
        if isinstance(bucket, ProbeReport):
            return bucket
        world.call(
            "ListObjectsV2",
            Bucket=bucket_name,
            Prefix=request.target.prefix,
            MaxKeys=1,
            ExpectedBucketOwner=owner.value,
        )
        return list_objects_failure(role, bucket, request) or ProbeReport.passed(bucket.region)
