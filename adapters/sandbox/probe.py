"""The sandbox's probe: the real boto3 probe, on the emulator's HTTPS endpoint.

Nothing is judged here: the emulator's gateway (``adapters.sandbox.gateway``)
refuses the probe's AssumeRole, S3 calls and binding attempts exactly where AWS
would, with the same evaluator it applies to every other client. So the
sandbox's probe is the AWS probe, and a connector that works in the sandbox is
one that would work on AWS.
"""

from __future__ import annotations

import boto3

from adapters.aws.boto3_probe import Boto3AccessProbe


def sandbox_access_probe(
    endpoint_url: str,
    *,
    session: boto3.Session,
    region_name: str | None = None,
    assume_role_grace_seconds: float = 0.0,
) -> Boto3AccessProbe:
    """``session`` is the platform's, trusting the emulator's CA."""
    return Boto3AccessProbe(
        session=session,
        endpoint_url=endpoint_url,
        region_name=region_name,
        assume_role_grace_seconds=assume_role_grace_seconds,
    )
