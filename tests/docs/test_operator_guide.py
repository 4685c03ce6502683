"""docs/operator-guide.md, checked against the service: its configuration table
against ``entrypoints.settings``, its commands against the CLI, and its IAM
policy against every AWS call the real boto3 adapters make on the emulator,
judged by the project's own policy evaluator."""

from __future__ import annotations

import inspect
import json
import re
import shlex
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import anyio
import boto3
import click
import msgspec
import pytest
from click.testing import CliRunner

from adapters.aws.boto3_provisioner import Boto3BucketProvisioner
from adapters.aws_models import provisioning_requests
from adapters.aws_models.policy_evaluation import (
    Decision,
    PolicyDocument,
    identity_decision,
    statements,
)
from adapters.sandbox import defaults
from adapters.sandbox.emulator import Emulator
from adapters.sandbox.emulator import session as emulator_session
from adapters.sandbox.probe import sandbox_access_probe
from adapters.sandbox.provisioner import sandbox_provisioner
from adapters.sandbox.world import EmulatorWorld
from adapters.system.secrets_source import CsprngSecrets
from adapters.system.suffixes import CsprngSuffixes
from domain.account_id import AccountId
from domain.aws_setup import trust_policy
from domain.bucket_naming import BucketNameGenerator, BucketPrefix
from domain.external_id import ExternalId
from domain.identity import OrgId
from domain.managed_bucket import Access
from domain.managed_bucket_policies import (
    CUSTOMER_ACTIONS,
    bucket_tags,
    role_access_policy,
    role_permissions_boundary,
)
from domain.platform_policy import platform_principal_policy
from domain.ports.access_probe import AccessProbe
from domain.probe import ProbeRequest
from domain.resource_id import ResourceId
from domain.role_arn import RoleArn
from domain.s3_uri import BucketName, S3Uri
from entrypoints.cli.main import cli
from entrypoints.settings import _ENV, Settings
from tests.docs.markdown import DOCS, fenced_blocks

GUIDE = "operator-guide.md"
PLATFORM = defaults.PLATFORM_ACCOUNT_ID
PLATFORM_ROLE = defaults.PRINCIPAL_ARN
CUSTOMER = defaults.CUSTOMER_ACCOUNT_ID
ACCOUNT_PLACEHOLDER = "<PLATFORM_ACCOUNT_ID>"
MANAGED = f"{Settings().bucket_prefix}-yourcompany-821627dd2931"


# -- the configuration table --

_CELL_BORDER = re.compile(r"(?<!\\)\|")
_VARIABLE = re.compile(r"`(BUCKETLINK_[A-Z0-9_]+)`")
_LEADING_CODE = re.compile(r"`([^`]*)`")


def _section(heading: str) -> str:
    text = (DOCS / GUIDE).read_text()
    start = text.index(f"\n## {heading}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def documented_settings() -> dict[str, str]:
    """Variable -> its default cell, from the table of section 1."""
    rows: dict[str, str] = {}
    for line in _section("1. Configuration").splitlines():
        if not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in _CELL_BORDER.split(line.strip()[1:-1])]
        name = _VARIABLE.fullmatch(cells[0])
        if name is None:
            continue
        assert name[1] not in rows, f"{name[1]} has two rows"
        rows[name[1]] = cells[1]
    return rows


def documented_default(cell: str) -> str | None:
    """The value a default cell gives: its leading `code`, or None for "unset"."""
    if cell.startswith("unset"):
        return None
    value = _LEADING_CODE.match(cell)
    assert value is not None, f"a default cell starts with `value` or 'unset': {cell!r}"
    return value[1]


def test_the_configuration_table_lists_exactly_the_variables_settings_reads() -> None:
    documented = set(documented_settings())

    assert documented - set(_ENV) == set(), "documented, but not read by entrypoints/settings.py"
    assert set(_ENV) - documented == set(), "read by entrypoints/settings.py, but not documented"


@pytest.mark.parametrize("variable", sorted(_ENV))
def test_each_documented_default_is_the_settings_default(variable: str) -> None:
    name = _ENV[variable]
    actual = getattr(Settings(), name)
    cell = documented_settings()[variable]

    documented = documented_default(cell)

    if documented is None:
        assert actual in (None, ""), f"{variable} is documented unset but defaults to {actual!r}"
        return
    # Read as load_settings reads the environment: a string, converted to the field's type.
    as_read = getattr(msgspec.convert({name: documented}, Settings, strict=False), name)
    assert as_read == actual, f"{variable}: documented {documented!r}, Settings has {actual!r}"


# -- the commands --


def documented_commands() -> list[list[str]]:
    """Each ``bucketlink …`` line of the guide's shell blocks, as the words after
    ``bucketlink``."""
    commands = []
    for block in fenced_blocks(GUIDE, "sh"):
        for line in block.text.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            if "bucketlink" in words:
                commands.append(words[words.index("bucketlink") + 1 :])
    return commands


def test_the_guide_shows_the_deploy_commands() -> None:
    shown = {" ".join(words) for words in documented_commands()}

    assert {"migrate", "serve --migrate", "serve"} <= shown


@pytest.mark.parametrize("words", documented_commands(), ids=" ".join)
def test_each_command_shown_exists_and_accepts_what_is_shown(words: list[str]) -> None:
    command: click.Command = cli
    path: list[str] = []
    rest = list(words)
    while isinstance(command, click.Group) and rest and not rest[0].startswith("-"):
        sub = command.get_command(click.Context(command), rest[0])
        assert sub is not None, f"bucketlink {' '.join([*path, rest[0]])}: no such command"
        command, path = sub, [*path, rest.pop(0)]

    # Parsed as the CLI would parse it (options, types, required values),
    # without running it.
    command.make_context(" ".join(["bucketlink", *path]), rest)
    shown = CliRunner().invoke(cli, [*path, "--help"], prog_name="bucketlink")
    assert shown.exit_code == 0, shown.output
    assert f"Usage: bucketlink {' '.join(path)}" in shown.output


# -- the IAM policy --


@dataclass(frozen=True)
class AwsCall:
    service: str
    operation: str
    params: Mapping[str, Any]
    signed_by: str  # the access key id in the request's signature


class CallRecorder:
    """Every AWS request the clients of ``session`` send, with its parameters and
    the key that signed it: botocore's ``provide-client-params`` gives the call,
    its ``before-send`` the signed request (once per call; retries are not
    recorded again)."""

    def __init__(self, session: boto3.Session) -> None:
        self.calls: list[AwsCall] = []
        self._pending = threading.local()
        session.events.register("provide-client-params", self._prepared)
        session.events.register("before-send", self._sent)

    def _prepared(self, event_name: str, params: Mapping[str, Any], **_: Any) -> None:
        _, service, operation = event_name.split(".")
        self._pending.call = (service, operation, dict(params))

    def _sent(self, request: Any, **_: Any) -> None:
        call = getattr(self._pending, "call", None)
        if call is None:
            return
        self._pending.call = None
        self.calls.append(AwsCall(*call, signed_by=_access_key(request)))


def _access_key(request: Any) -> str:
    authorization = request.headers["Authorization"]
    text = authorization.decode() if isinstance(authorization, bytes) else authorization
    found = re.search(r"Credential=([^/]+)/", text)
    assert found is not None, text
    return found[1]


@dataclass(frozen=True)
class Customer:
    role: RoleArn
    bucket: BucketName
    external_id: ExternalId


async def _drive_every_path(
    probe: AccessProbe, provisioner: Boto3BucketProvisioner, customer: Customer
) -> None:
    """A connector probe, then a managed bucket's whole life: created with
    policy access, changed to role access and back, a role left over by a
    revoke cut short taken over, deleted (bucket, then grant, as
    DeleteManagedBucket does)."""
    report = await probe.probe(
        ProbeRequest(
            role=customer.role,
            target=S3Uri.parse(f"s3://{customer.bucket}/reports/"),
            bucket_owner=AccountId(CUSTOMER),
            external_id=customer.external_id,
            org_id=OrgId(7),
            decoy_external_id=CsprngSecrets().new_external_id(),
        )
    )
    assert report.ok, report

    names = BucketNameGenerator(BucketPrefix(Settings().bucket_prefix), CsprngSuffixes())
    bucket = names.name_for(ResourceId("yourcompany"))
    by_policy = Access.by_bucket_policy(AccountId(CUSTOMER))
    by_role = Access.by_role(AccountId(CUSTOMER), ExternalId("customer-chosen-id"))
    await provisioner.create_bucket(bucket, bucket_tags(OrgId(7), ResourceId("yourcompany")))
    await provisioner.grant(bucket, by_policy)
    await provisioner.revoke(bucket)
    await provisioner.grant(bucket, by_role)
    await provisioner.grant(bucket, by_role)  # the role is there: taken over
    await provisioner.revoke(bucket)
    await provisioner.grant(bucket, by_policy)
    await provisioner.delete_bucket(bucket)
    await provisioner.revoke(bucket)


@pytest.fixture(scope="module")
def calls(emulator: Emulator) -> list[AwsCall]:
    """What the real adapters send, on a platform session of their own."""
    endpoint = emulator.https_endpoint_url
    platform = emulator_session(ca_bundle=emulator.ca_bundle)
    recorder = CallRecorder(platform)
    # The sandbox's probe: the boto3 probe, its binding attempts refused by the
    # emulator's gateway as AWS's would.
    probe = sandbox_access_probe(endpoint, session=platform)
    provisioner = sandbox_provisioner(endpoint, platform)

    world = EmulatorWorld(endpoint)
    external_id = ExternalId(f"org-7-{uuid.uuid4().hex}")
    role = world.create_role(
        CUSTOMER,
        f"bucketlink-{uuid.uuid4().hex[:8]}",
        trust_policy(PLATFORM_ROLE, external_id),
        path="/data-platform/",
    )
    bucket = world.create_bucket(CUSTOMER, f"customer-data-{uuid.uuid4().hex[:12]}")
    listing = {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": bucket.arn}
    world.put_role_policy(role, "list", {"Version": "2012-10-17", "Statement": [listing]})

    anyio.run(_drive_every_path, probe, provisioner, Customer(role, bucket, external_id))
    return recorder.calls


def platform_calls(calls: list[AwsCall]) -> list[AwsCall]:
    return [call for call in calls if call.signed_by == defaults.ACCESS_KEY_ID]


def documented_policy(tag: str, name: str) -> PolicyDocument:
    blocks = [b for b in fenced_blocks(GUIDE, "json") if b.tags.get(tag) == name]
    assert len(blocks) == 1, f"the guide has {len(blocks)} ```json {tag}={name} blocks"
    document = json.loads(blocks[0].text.replace(ACCOUNT_PLACEHOLDER, PLATFORM))
    assert isinstance(document, dict)
    return document


# The IAM actions each API operation is authorised as (AWS's Service
# Authorization Reference), and those some of its parameters add.
_ACTIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("sts", "AssumeRole"): ("sts:AssumeRole",),
    ("sts", "GetCallerIdentity"): (),
    ("s3", "HeadBucket"): ("s3:ListBucket",),
    ("s3", "ListObjectsV2"): ("s3:ListBucket",),
    ("s3", "CreateBucket"): ("s3:CreateBucket",),
    ("s3", "PutPublicAccessBlock"): ("s3:PutBucketPublicAccessBlock",),
    ("s3", "PutBucketOwnershipControls"): ("s3:PutBucketOwnershipControls",),
    ("s3", "PutBucketEncryption"): ("s3:PutEncryptionConfiguration",),
    ("s3", "PutBucketPolicy"): ("s3:PutBucketPolicy",),
    ("s3", "DeleteBucketPolicy"): ("s3:DeleteBucketPolicy",),
    ("s3", "PutBucketTagging"): ("s3:PutBucketTagging",),
    ("s3", "DeleteBucket"): ("s3:DeleteBucket",),
    ("iam", "CreateRole"): ("iam:CreateRole",),
    ("iam", "GetRole"): ("iam:GetRole",),
    ("iam", "UpdateAssumeRolePolicy"): ("iam:UpdateAssumeRolePolicy",),
    ("iam", "PutRolePolicy"): ("iam:PutRolePolicy",),
    ("iam", "DeleteRolePolicy"): ("iam:DeleteRolePolicy",),
    ("iam", "DeleteRole"): ("iam:DeleteRole",),
}
_ACTIONS_FOR_PARAMETERS: dict[tuple[str, str, str], tuple[str, ...]] = {
    ("s3", "CreateBucket", "ObjectOwnership"): ("s3:PutBucketOwnershipControls",),
    ("s3", "CreateBucket", "ACL"): ("s3:PutBucketAcl",),
    ("s3", "CreateBucket", "ObjectLockEnabledForBucket"): (
        "s3:PutBucketObjectLockConfiguration",
        "s3:PutBucketVersioning",
    ),
    ("iam", "CreateRole", "Tags"): ("iam:TagRole",),
    ("sts", "AssumeRole", "Tags"): ("sts:TagSession",),
    ("sts", "AssumeRole", "SourceIdentity"): ("sts:SetSourceIdentity",),
}


@dataclass(frozen=True)
class Permission:
    action: str
    resource: str
    context: Mapping[str, str] = field(default_factory=dict)
    call: str = ""


def permissions_needed(calls: list[AwsCall]) -> list[Permission]:
    paths = {
        c.params["RoleName"]: c.params.get("Path", "/")
        for c in calls
        if c.operation == "CreateRole"
    }
    needed = []
    for call in calls:
        key = (call.service, call.operation)
        assert key in _ACTIONS, (
            f"{call.service} {call.operation}: not in this test's table of IAM actions; add "
            "what AWS authorises it as, and check the guide's policy"
        )
        extra = [
            action
            for (service, operation, parameter), actions in _ACTIONS_FOR_PARAMETERS.items()
            if (service, operation) == key and parameter in call.params
            for action in actions
        ]
        for action in (*_ACTIONS[key], *extra):
            needed.append(
                Permission(action, _resource(call, paths), _context(call), f"{key[0]} {key[1]}")
            )
    return needed


def _resource(call: AwsCall, role_paths: Mapping[str, str]) -> str:
    if call.service == "s3":
        return BucketName(call.params["Bucket"]).arn
    if call.service == "iam":
        name = call.params["RoleName"]
        return f"arn:aws:iam::{PLATFORM}:role{role_paths.get(name, '/')}{name}"
    return str(call.params.get("RoleArn", "*"))


def _context(call: AwsCall) -> dict[str, str]:
    context = {"aws:SecureTransport": "true", "aws:PrincipalArn": PLATFORM_ROLE}
    if "PermissionsBoundary" in call.params:
        context["iam:PermissionsBoundary"] = call.params["PermissionsBoundary"]
    if "ExternalId" in call.params:
        context["sts:ExternalId"] = call.params["ExternalId"]
    return context


def _operations_the_provisioner_can_send() -> set[str]:
    source = inspect.getsource(provisioning_requests)
    return set(re.findall(r'AwsRequest\(\s*"([A-Za-z0-9]+)"', source))


def test_the_drive_reaches_every_request_the_adapters_can_send(calls: list[AwsCall]) -> None:
    provisioner = _operations_the_provisioner_can_send()
    assert len(provisioner) >= 10, f"the request functions were not found: {provisioner}"

    sent = {call.operation for call in platform_calls(calls)}

    assert provisioner | {"AssumeRole"} <= sent, "requests the drive did not make"


def test_the_binding_attempts_are_among_the_calls_the_policy_must_allow(
    calls: list[AwsCall],
) -> None:
    # A platform policy that required sts:ExternalId itself would refuse the
    # attempt without one before the customer's trust policy is ever asked,
    # and so pass roles that let anyone in.
    sent = [c.params for c in platform_calls(calls) if c.operation == "AssumeRole"]

    assert len(sent) == 3
    assert [("ExternalId" in params) for params in sent].count(False) == 1
    assert len({params.get("ExternalId") for params in sent}) == 3


def test_the_probe_checks_buckets_as_the_customer_role_not_as_the_platform(
    calls: list[AwsCall],
) -> None:
    # Why the policy grants no S3 action outside the managed prefix.
    on_customer_buckets = [
        call
        for call in calls
        if call.service == "s3" and call.params.get("ExpectedBucketOwner") == CUSTOMER
    ]

    assert sorted(call.operation for call in on_customer_buckets) == ["HeadBucket", "ListObjectsV2"]
    assert all(call.signed_by != defaults.ACCESS_KEY_ID for call in on_customer_buckets)
    assert all(
        call.service != "s3" or call.params["Bucket"].startswith(f"{Settings().bucket_prefix}-")
        for call in platform_calls(calls)
    )


def test_the_documented_policy_allows_every_call_the_platform_makes(
    calls: list[AwsCall],
) -> None:
    policy = documented_policy("policy", "platform-principal")
    needed = permissions_needed(platform_calls(calls))

    refused = [
        f"{p.call}: {p.action} on {p.resource}"
        for p in needed
        if not identity_decision([policy], p.action, p.resource, p.context).allowed
    ]

    assert needed, "no call was recorded"
    assert refused == []


def test_the_documented_policy_allows_nothing_the_platform_does_not_use(
    calls: list[AwsCall],
) -> None:
    policy = documented_policy("policy", "platform-principal")
    needed = permissions_needed(platform_calls(calls))
    needed_actions = {p.action for p in needed}

    for statement in statements(policy):
        if statement.get("Effect") != "Allow":
            continue
        actions = statement["Action"]
        actions = [actions] if isinstance(actions, str) else actions
        assert not any("*" in action for action in actions), statement
        assert set(actions) <= needed_actions, f"{statement.get('Sid')}: unused actions"
        alone = {"Version": "2012-10-17", "Statement": [statement]}
        assert any(
            identity_decision([alone], p.action, p.resource, p.context).allowed for p in needed
        ), f"{statement.get('Sid')} allows none of the calls"


@pytest.mark.parametrize(
    ("action", "resource", "decision"),
    [
        # Buckets outside the prefix, and customers' own buckets.
        ("s3:CreateBucket", "arn:aws:s3:::other-team-data", Decision.IMPLICIT_DENY),
        ("s3:PutBucketPolicy", "arn:aws:s3:::niox-lookalike-bucket", Decision.IMPLICIT_DENY),
        ("s3:ListBucket", "arn:aws:s3:::customer-data", Decision.IMPLICIT_DENY),
        ("s3:DeleteBucket", "arn:aws:s3:::customer-data", Decision.IMPLICIT_DENY),
        ("s3:GetObject", "arn:aws:s3:::customer-data/reports/2026.csv", Decision.IMPLICIT_DENY),
        # Customers' data in managed buckets, and settings the service never makes.
        ("s3:GetObject", f"arn:aws:s3:::{MANAGED}/data.csv", Decision.IMPLICIT_DENY),
        ("s3:PutObject", f"arn:aws:s3:::{MANAGED}/data.csv", Decision.IMPLICIT_DENY),
        ("s3:PutBucketAcl", f"arn:aws:s3:::{MANAGED}", Decision.IMPLICIT_DENY),
        # Roles not under the managed names, or in another account.
        ("iam:CreateRole", f"arn:aws:iam::{PLATFORM}:role/admin", Decision.IMPLICIT_DENY),
        ("iam:PutRolePolicy", PLATFORM_ROLE, Decision.IMPLICIT_DENY),
        (
            "iam:UpdateAssumeRolePolicy",
            f"arn:aws:iam::{PLATFORM}:role/OrganizationAccountAccessRole",
            Decision.IMPLICIT_DENY,
        ),
        ("iam:DeleteRole", f"arn:aws:iam::{CUSTOMER}:role/{MANAGED}", Decision.IMPLICIT_DENY),
        # IAM actions the provisioner never uses, even on its own roles.
        ("iam:AttachRolePolicy", f"arn:aws:iam::{PLATFORM}:role/{MANAGED}", Decision.IMPLICIT_DENY),
        ("iam:PassRole", f"arn:aws:iam::{PLATFORM}:role/{MANAGED}", Decision.IMPLICIT_DENY),
        ("iam:CreateAccessKey", f"arn:aws:iam::{PLATFORM}:user/anyone", Decision.IMPLICIT_DENY),
        # No role of the platform's own account, whatever its trust policy says.
        ("sts:AssumeRole", f"arn:aws:iam::{PLATFORM}:role/admin", Decision.EXPLICIT_DENY),
        ("sts:AssumeRole", f"arn:aws:iam::{PLATFORM}:role/ops/admin", Decision.EXPLICIT_DENY),
        ("sts:AssumeRole", f"arn:aws:iam::{PLATFORM}:role/{MANAGED}", Decision.EXPLICIT_DENY),
    ],
)
def test_the_documented_policy_denies_what_the_platform_never_needs(
    action: str, resource: str, decision: Decision
) -> None:
    policy = documented_policy("policy", "platform-principal")
    context = {"aws:SecureTransport": "true", "aws:PrincipalArn": PLATFORM_ROLE}

    assert identity_decision([policy], action, resource, context) is decision


BOUNDARY = f"arn:aws:iam::{PLATFORM}:policy/bucketlink-managed-role-boundary"
A_MANAGED_ROLE = f"arn:aws:iam::{PLATFORM}:role/{MANAGED}"


def test_every_role_the_platform_creates_carries_the_documented_boundary(
    calls: list[AwsCall],
) -> None:
    created = [call for call in platform_calls(calls) if call.operation == "CreateRole"]

    assert created, "the drive created no role"
    assert {call.params.get("PermissionsBoundary") for call in created} == {BOUNDARY}


@pytest.mark.parametrize(
    "boundary",
    [
        None,
        f"arn:aws:iam::{PLATFORM}:policy/something-wider",
        "arn:aws:iam::aws:policy/AdministratorAccess",
        f"arn:aws:iam::{CUSTOMER}:policy/bucketlink-managed-role-boundary",
    ],
)
def test_the_documented_policy_creates_roles_only_with_the_boundary(boundary: str | None) -> None:
    policy = documented_policy("policy", "platform-principal")
    context = {"aws:SecureTransport": "true", "aws:PrincipalArn": PLATFORM_ROLE}
    with_boundary = {**context, "iam:PermissionsBoundary": BOUNDARY}
    if boundary is not None:
        context["iam:PermissionsBoundary"] = boundary

    assert identity_decision([policy], "iam:CreateRole", A_MANAGED_ROLE, with_boundary).allowed
    decision = identity_decision([policy], "iam:CreateRole", A_MANAGED_ROLE, context)
    assert decision is Decision.IMPLICIT_DENY


@pytest.mark.parametrize(
    "action", ["iam:PutRolePermissionsBoundary", "iam:DeleteRolePermissionsBoundary"]
)
def test_the_documented_policy_never_changes_a_roles_boundary(action: str) -> None:
    policy = documented_policy("policy", "platform-principal")

    for boundary in (BOUNDARY, "arn:aws:iam::aws:policy/AdministratorAccess"):
        context = {"aws:PrincipalArn": PLATFORM_ROLE, "iam:PermissionsBoundary": boundary}
        decision = identity_decision([policy], action, A_MANAGED_ROLE, context)
        assert decision is Decision.IMPLICIT_DENY


def test_the_documented_policy_is_the_one_the_sandbox_gives_its_platform_role() -> None:
    # So every sandbox test of the service also runs it under exactly this policy.
    documented = documented_policy("policy", "platform-principal")

    assert documented == platform_principal_policy(
        AccountId(PLATFORM), BucketPrefix("nio"), defaults.ROLE_BOUNDARY_ARN
    )


def test_the_documented_boundary_is_the_one_the_service_creates() -> None:
    documented = documented_policy("policy", "managed-role-boundary")

    assert documented == role_permissions_boundary(BucketPrefix("nio"))


@pytest.mark.parametrize("action", CUSTOMER_ACTIONS)
def test_the_boundary_leaves_a_managed_role_its_grant(action: str) -> None:
    boundary = documented_policy("policy", "managed-role-boundary")
    grant = role_access_policy(BucketName(MANAGED))

    for resource in (f"arn:aws:s3:::{MANAGED}", f"arn:aws:s3:::{MANAGED}/data.csv"):
        assert identity_decision([boundary], action, resource, {}).allowed
        assert identity_decision([grant], action, resource, {}).allowed


@pytest.mark.parametrize(
    ("action", "resource"),
    [
        ("iam:CreateUser", f"arn:aws:iam::{PLATFORM}:user/backdoor"),
        ("iam:PutRolePolicy", PLATFORM_ROLE),
        ("iam:PutRolePermissionsBoundary", A_MANAGED_ROLE),
        ("sts:AssumeRole", f"arn:aws:iam::{CUSTOMER}:role/anything"),
        ("s3:PutBucketPolicy", f"arn:aws:s3:::{MANAGED}"),
        ("s3:DeleteBucket", f"arn:aws:s3:::{MANAGED}"),
        ("s3:GetObject", "arn:aws:s3:::customer-data/reports/2026.csv"),
        ("s3:ListBucket", "arn:aws:s3:::niox-lookalike-bucket"),
        ("ec2:RunInstances", "*"),
    ],
)
def test_the_boundary_caps_a_managed_role_at_its_grant(action: str, resource: str) -> None:
    # Whatever a role's own policy says (here: everything), the boundary decides.
    boundary = documented_policy("policy", "managed-role-boundary")
    everything = {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}

    assert identity_decision([everything], action, resource, {}).allowed
    assert not identity_decision([boundary], action, resource, {}).allowed
