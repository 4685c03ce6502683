"""Which caller STS names when the platform's principal calls: the rule ``/ready``
checks the service's own credentials by."""

from __future__ import annotations


def is_principal(caller_arn: str, principal_arn: str) -> bool:
    """Whether STS's caller ARN is ``principal_arn``'s: the user itself, or a
    session of the role (``arn:aws:sts::<account>:assumed-role/<name>/<session>``
    for ``arn:aws:iam::<account>:role/<path/><name>``; the path is not in it).

    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns
    """
    if caller_arn == principal_arn:
        return True
    account, _, resource = principal_arn.removeprefix("arn:aws:iam::").partition(":")
    if not resource.startswith("role/"):
        return False
    role_name = resource.rsplit("/", 1)[1]
    session_of = f"arn:aws:sts::{account}:assumed-role/{role_name}/"
    return caller_arn.startswith(session_of) and "/" not in caller_arn[len(session_of) :]
