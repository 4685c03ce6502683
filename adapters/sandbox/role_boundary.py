"""The managed roles' permissions boundary, in the emulator.

On AWS an administrator of the platform account creates it once (operator
guide, section 4); the sandbox has no administrator, so it makes the policy
itself, from the same document, before its provisioner makes any role.
"""

from __future__ import annotations

import functools
import json

from adapters.sandbox.accounts import EmulatorAccounts
from domain.bucket_naming import BucketPrefix
from domain.managed_bucket_policies import role_permissions_boundary


def ensure_role_boundary(endpoint_url: str, boundary_arn: str, prefix: BucketPrefix) -> None:
    """Creates the policy ``boundary_arn`` names, unless it is there already.

    As the account's administrator, with clients of its own: never the
    platform's, which on AWS may only create roles under this boundary.
    """
    # arn:aws:iam::<account>:policy<path><name>
    account, resource = boundary_arn.split(":")[4], boundary_arn.split(":", 5)[5]
    path, _, name = resource.removeprefix("policy").rpartition("/")
    iam = _administrator(endpoint_url).iam(account)
    try:
        iam.create_policy(
            PolicyName=name,
            Path=f"{path}/",
            PolicyDocument=json.dumps(role_permissions_boundary(prefix)),
            Description="bucketlink: the most a managed bucket's role may ever do",
        )
    except iam.exceptions.EntityAlreadyExistsException:
        return


@functools.lru_cache(maxsize=8)
def _administrator(endpoint_url: str) -> EmulatorAccounts:
    # A session and clients made once: each sandbox provisioner (one per contract
    # test) would otherwise spend a tenth of a second making them for its first
    # role grant.
    return EmulatorAccounts(endpoint_url)
