"""docs/customer-guide.md, checked against the service.

* Its shell steps run in order through a small interpreter of the commands the
  guide uses: ``curl`` against the HTTP app, ``jq``, and ``aws cloudformation``
  and ``terraform`` making the customer's role in an AWS world. They run once for
  each way the guide offers to make the role, on the shipped fakes and on the
  sandbox (moto's server, judged by the enforcing probe).
* Its JSON examples are what the service answers.
* Its Terraform, read with hcl2, trusts exactly what ``aws-setup`` says and
  grants exactly what the CloudFormation template grants.
"""

from __future__ import annotations

import functools
import json
import random
import re
import shlex
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID, uuid4

import hcl2
import pytest
from hcl2 import SerializationOptions
from litestar.testing import AsyncTestClient

from adapters.fakes.fake_access_probe import FakeAccessProbe
from adapters.fakes.fake_aws import FakeAws
from adapters.fakes.fake_credential_vendor import FakeCredentialVendor
from adapters.fakes.in_memory_connectors import InMemoryConnectorRepository
from adapters.fakes.in_memory_organisations import InMemoryOrganisationRepository
from adapters.sandbox import emulator as sandbox_emulator
from adapters.sandbox.emulator import Emulator
from adapters.sandbox.world import EmulatorWorld
from domain.aws_setup import trust_policy
from domain.external_id import ExternalId
from entrypoints.bootstrap import build_container
from entrypoints.http.app import create_app
from entrypoints.http.error_catalogue import ERROR_KINDS
from entrypoints.settings import Settings
from tests.conftest import JWT_SECRET, PRINCIPAL_ARN, access_token, bearer
from tests.docs.markdown import DOCS, Block, fenced_blocks

GUIDE = "customer-guide.md"
# The names the guide uses; on the shared emulator each test spells them uniquely.
GUIDE_ACCOUNT = "111122223333"
GUIDE_BUCKET = "customer-data"
SERVICE_URL = "https://bucketlink.example.com"
WAYS = ("cloudformation-deploy", "cloudformation-create-stack", "terraform")
# The guide's connector.json with this owner is its validate-failed example.
NOT_THE_OWNER = "444455556666"


def example(name: str) -> Block:
    found = [block for block in fenced_blocks(GUIDE) if block.tags.get("example") == name]
    assert len(found) == 1, f"{GUIDE} should have exactly one block tagged example={name}"
    return found[0]


def json_example(name: str) -> Any:
    return json.loads(example(name).text)


# -- the stage: the service and the customer's AWS account --


@dataclass
class Stage:
    client: AsyncTestClient[Any]
    aws: Any  # FakeAws or EmulatorWorld: the same building methods
    account: str = GUIDE_ACCOUNT
    bucket: str = GUIDE_BUCKET
    # How `aws cloudformation` makes a stack here (None: build_stack, as CloudFormation would).
    deploy_stack: Callable[..., dict[str, str]] | None = None

    def spell(self, text: str) -> str:
        return text.replace(GUIDE_ACCOUNT, self.account).replace(GUIDE_BUCKET, self.bucket)

    def connector_body(self, **changes: str) -> dict[str, str]:
        return {**json.loads(self.spell(example("connector-body").text)), **changes}


def _repositories() -> dict[str, Any]:
    return {
        "connectors": InMemoryConnectorRepository(),
        "organisations": InMemoryOrganisationRepository(),
    }


@dataclass(frozen=True)
class Sandbox:
    """What the sandbox tests share: building boto3 clients is slow, and each test
    uses an AWS account of its own, so clients come from sessions made once."""

    settings: Settings
    probe: Any
    endpoint_url: str


@pytest.fixture(scope="module")
def sandbox(emulator: Emulator) -> Sandbox:
    settings = Settings(
        jwt_secret=JWT_SECRET,
        database_url="sqlite:///unused.sqlite",  # the repositories are in memory
        principal_arn=PRINCIPAL_ARN,
        assume_role_grace_seconds=0,
        sandbox_port=urlsplit(emulator.endpoint_url).port or 0,
    )
    probe = build_container(settings).probe()  # the sandbox's own probe, on its gateway
    return Sandbox(settings, probe, emulator.endpoint_url)


@asynccontextmanager
async def opened_stage(
    kind: str, settings: Settings, request: pytest.FixtureRequest
) -> AsyncIterator[Stage]:
    if kind == "fakes":
        world = FakeAws()
        container = build_container(
            settings,
            probe=FakeAccessProbe(world, PRINCIPAL_ARN),
            vendor=FakeCredentialVendor(world, PRINCIPAL_ARN),
            **_repositories(),
        )
        aws, account, bucket = world, GUIDE_ACCOUNT, GUIDE_BUCKET
    else:
        sandbox: Sandbox = request.getfixturevalue("sandbox")
        container = build_container(sandbox.settings, probe=sandbox.probe, **_repositories())
        aws = EmulatorWorld(sandbox.endpoint_url)
        account, bucket = str(random.randrange(10**11, 10**12)), f"guide-{uuid4().hex[:12]}"
    async with AsyncTestClient(create_app(container)) as client:
        stage = Stage(client, aws, account, bucket)
        # The customer's bucket exists before they start.
        stage.aws.create_bucket(stage.account, stage.bucket)
        yield stage


@pytest.fixture(params=["fakes", "sandbox"])
async def stage(request: pytest.FixtureRequest, settings: Settings) -> AsyncIterator[Stage]:
    async with opened_stage(request.param, settings, request) as opened:
        yield opened


@pytest.fixture
async def on_fakes(request: pytest.FixtureRequest, settings: Settings) -> AsyncIterator[Stage]:
    async with opened_stage("fakes", settings, request) as opened:
        yield opened


@pytest.fixture
async def on_sandbox(request: pytest.FixtureRequest, settings: Settings) -> AsyncIterator[Stage]:
    async with opened_stage("sandbox", settings, request) as opened:
        yield opened


# -- CloudFormation, as far as the template uses it --

_ROLE_PROPERTIES = {"RoleName", "MaxSessionDuration", "AssumeRolePolicyDocument", "Policies"}


def resolved(value: Any, parameters: dict[str, str], attributes: dict[Any, str]) -> Any:
    """``value`` with CloudFormation's intrinsic functions evaluated."""
    if isinstance(value, list):
        return [resolved(item, parameters, attributes) for item in value]
    if not isinstance(value, dict):
        return value
    if set(value) == {"Ref"}:
        return parameters[value["Ref"]]
    if set(value) == {"Fn::Sub"}:
        return re.sub(r"\$\{([^}]+)\}", lambda m: parameters[m[1]], value["Fn::Sub"])
    if set(value) == {"Fn::GetAtt"}:
        return attributes[tuple(value["Fn::GetAtt"])]
    functions = [key for key in value if key.startswith("Fn::")]
    assert not functions, f"this test does not evaluate {functions}: teach it"
    return {key: resolved(item, parameters, attributes) for key, item in value.items()}


def template_parameters(template: dict[str, Any], given: dict[str, str]) -> dict[str, str]:
    declared = template.get("Parameters", {})
    unknown = set(given) - set(declared)
    assert not unknown, f"the guide passes parameters the template lacks: {unknown}"
    defaults = {name: p["Default"] for name, p in declared.items() if "Default" in p}
    missing = set(declared) - set(defaults) - set(given)
    assert not missing, f"the guide does not pass the required parameters {missing}"
    return {**defaults, **given}


def build_stack(
    stage: Stage, name: str, template: dict[str, Any], given: dict[str, str], capabilities: list
) -> dict[str, str]:
    """What CloudFormation makes of the template, made through the stage's AWS
    (boto3 against the emulator, or the fake): the stack's outputs."""
    parameters = template_parameters(template, given)
    attributes: dict[Any, str] = {}
    for logical_id, resource in template["Resources"].items():
        assert resource["Type"] == "AWS::IAM::Role", f"this test cannot build {resource['Type']}"
        properties = resolved(resource["Properties"], parameters, attributes)
        assert set(properties) <= _ROLE_PROPERTIES, f"unknown role properties: {properties}"
        if "RoleName" in properties:
            # AWS refuses to name IAM resources without this acknowledgement.
            assert "CAPABILITY_NAMED_IAM" in capabilities
        role = stage.aws.create_role(
            stage.account, properties["RoleName"], properties["AssumeRolePolicyDocument"]
        )
        for policy in properties.get("Policies", []):
            stage.aws.put_role_policy(role, policy["PolicyName"], policy["PolicyDocument"])
        attributes[(logical_id, "Arn")] = str(role)
    outputs = template.get("Outputs", {})
    return {key: resolved(out["Value"], parameters, attributes) for key, out in outputs.items()}


def deploy_with_moto_cloudformation(sandbox: Sandbox) -> Callable[..., dict[str, str]]:
    def deploy(
        stage: Stage, name: str, template: dict[str, Any], given: dict[str, str], capabilities: list
    ) -> dict[str, str]:
        # As the customer account's administrator, as a customer deploys it.
        cloudformation = sandbox_emulator.client_as(
            "cloudformation", stage.account, sandbox.endpoint_url
        )
        cloudformation.create_stack(
            StackName=name,
            TemplateBody=json.dumps(template),
            Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in given.items()],
            Capabilities=capabilities,
        )
        stack = cloudformation.describe_stacks(StackName=name)["Stacks"][0]
        assert stack["StackStatus"] == "CREATE_COMPLETE", stack
        return {out["OutputKey"]: out["OutputValue"] for out in stack.get("Outputs", [])}

    return deploy


# -- Terraform, as far as the guide's snippet uses it --

_VARIABLE = re.compile(r"\$\{var\.(\w+)\}")
_DOCUMENT_JSON = re.compile(r"\$\{data\.aws_iam_policy_document\.(\w+)\.json\}")
_STATEMENT_ARGUMENTS = {"sid", "effect", "actions", "resources", "principals", "condition"}


class Terraform:
    """The guide's snippet read with hcl2, evaluated as Terraform would for what it
    uses: variables, ``aws_iam_policy_document``, a role and its inline policy."""

    def __init__(self, text: str) -> None:
        options = SerializationOptions(
            strip_string_quotes=True, explicit_blocks=False, with_comments=False
        )
        self.config = hcl2.loads(text, serialization_options=options)

    def _named(self, kind: str) -> dict[str, Any]:
        return {name: body for entry in self.config.get(kind, []) for name, body in entry.items()}

    def _typed(self, kind: str, type_name: str) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for entry in self.config.get(kind, []):
            found.update(entry.get(type_name, {}))
        return found

    def types(self, kind: str) -> set[str]:
        return {type_name for entry in self.config.get(kind, []) for type_name in entry}

    @property
    def variables(self) -> set[str]:
        return set(self._named("variable"))

    @property
    def outputs(self) -> dict[str, Any]:
        return {name: body["value"] for name, body in self._named("output").items()}

    def only(self, type_name: str) -> tuple[str, dict[str, Any]]:
        resources = self._typed("resource", type_name)
        assert len(resources) == 1, f"expected one {type_name}, found {list(resources)}"
        return next(iter(resources.items()))

    def evaluate(self, value: Any, variables: dict[str, str]) -> Any:
        if isinstance(value, list):
            return [self.evaluate(item, variables) for item in value]
        if isinstance(value, dict):
            return {key: self.evaluate(item, variables) for key, item in value.items()}
        if not isinstance(value, str):
            return value
        document = _DOCUMENT_JSON.fullmatch(value)
        if document:
            return json.dumps(self.document(document[1], variables))
        assert set(_VARIABLE.findall(value)) <= self.variables, f"undeclared variable in {value}"
        evaluated = _VARIABLE.sub(lambda m: variables[m[1]], value)
        assert "${" not in evaluated, f"this test cannot evaluate {value}: teach it"
        return evaluated

    def document(self, name: str, variables: dict[str, str]) -> dict[str, Any]:
        """The JSON that ``data.aws_iam_policy_document.<name>.json`` renders."""
        body = self.evaluate(self._typed("data", "aws_iam_policy_document")[name], variables)
        return {"Version": "2012-10-17", "Statement": [_statement(s) for s in body["statement"]]}

    def apply(self, stage: Stage, variables: dict[str, str]) -> dict[str, str]:
        """``terraform apply``: the role and its policy made in the stage's AWS."""
        assert set(variables) == self.variables, "apply must set every variable, no other"
        role_key, role = self.only("aws_iam_role")
        arn = stage.aws.create_role(
            stage.account,
            self.evaluate(role["name"], variables),
            json.loads(self.evaluate(role["assume_role_policy"], variables)),
        )
        _, policy = self.only("aws_iam_role_policy")
        assert policy["role"] == f"${{aws_iam_role.{role_key}.id}}"
        stage.aws.put_role_policy(
            arn,
            self.evaluate(policy["name"], variables),
            json.loads(self.evaluate(policy["policy"], variables)),
        )
        attributes = {f"${{aws_iam_role.{role_key}.arn}}": str(arn)}
        return {name: attributes[value] for name, value in self.outputs.items()}


def _statement(block: dict[str, Any]) -> dict[str, Any]:
    assert set(block) <= _STATEMENT_ARGUMENTS, f"this test cannot render {set(block)}: teach it"
    statement: dict[str, Any] = {"Effect": block.get("effect", "Allow"), "Action": block["actions"]}
    if "sid" in block:
        statement["Sid"] = block["sid"]
    if "resources" in block:
        statement["Resource"] = block["resources"]
    principals: dict[str, list[str]] = {}
    for principal in block.get("principals", []):
        principals.setdefault(principal["type"], []).extend(principal["identifiers"])
    if principals:
        statement["Principal"] = principals
    conditions: dict[str, dict[str, list[str]]] = {}
    for condition in block.get("condition", []):
        conditions.setdefault(condition["test"], {})[condition["variable"]] = condition["values"]
    if conditions:
        statement["Condition"] = conditions
    return statement


def normalised(policy: dict[str, Any]) -> dict[str, Any]:
    """A policy in one canonical spelling: IAM reads ``"x"`` and ``["x"]`` alike,
    and the order of statements and of values does not matter."""
    found = policy["Statement"]
    statements = [found] if isinstance(found, dict) else found
    canonical = [
        {key: _canonical(key, value) for key, value in statement.items()}
        for statement in statements
    ]
    return {"Version": policy.get("Version"), "Statement": sorted(canonical, key=json.dumps)}


def _canonical(key: str, value: Any) -> Any:
    if key in {"Action", "NotAction", "Resource", "NotResource"}:
        return sorted(_listed(value))
    if key == "Principal" and isinstance(value, dict):
        return {kind: sorted(_listed(names)) for kind, names in value.items()}
    if key == "Condition":
        return {
            test: {name: sorted(_listed(values)) for name, values in pairs.items()}
            for test, pairs in value.items()
        }
    return value


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


@functools.cache
def terraform() -> Terraform:
    return Terraform(example("terraform").text)


# -- the guide's shell steps --


@dataclass
class Answer:
    method: str
    path: str
    status: int
    body: Any


class GuideShell:
    """Runs the guide's shell steps against a stage, each command as the real tool
    would behave. A command it does not know fails the test: teach it, so that
    every step the guide shows is run."""

    def __init__(self, stage: Stage, token: str) -> None:
        self.stage = stage
        self.env = {"BUCKETLINK_URL": SERVICE_URL, "TOKEN": token}
        self.files = {
            block.tags["file"]: stage.spell(block.text)
            for block in fenced_blocks(GUIDE)
            if "file" in block.tags
        }
        self.answers: list[Answer] = []
        self.printed: list[str] = []
        self.stacks: dict[str, dict[str, str]] = {}
        self.terraform_outputs: dict[str, str] = {}

    def answer(self, method: str, path: str) -> Answer:
        found = [a for a in self.answers if (a.method, a.path) == (method, path)]
        assert found, f"the guide never sent {method} {path}"
        return found[-1]

    async def run(self, script: str) -> None:
        for line in script.replace("\\\n", " ").splitlines():
            words = shlex.split(self.stage.spell(line), comments=True)
            if words:
                await self.command(words)

    async def command(self, words: list[str]) -> None:
        target = None
        if len(words) > 2 and words[-2] == ">":
            words, target = words[:-2], words[-1]
        words = [self.expand(word) for word in words]
        handlers = {
            "export": self.export,
            "jq": self.jq,
            "aws": self.aws,
            "terraform": self.terraform,
        }
        if words[0] == "curl":
            out = await self.curl(words[1:])
        else:
            assert words[0] in handlers, f"the guide runs {words[0]}, which this test cannot"
            out = handlers[words[0]](words[1:])
        if target is not None:
            self.files[target] = out
        elif out:
            self.printed.append(out)

    def expand(self, word: str) -> str:
        # Single quotes are not told apart: nothing the guide single-quotes holds a $.
        word = re.sub(r"\$\(([^()]*)\)", lambda m: self.substitute(m[1]), word)
        return re.sub(r"\$\{?(\w+)\}?", lambda m: self.env[m[1]], word)

    def substitute(self, command: str) -> str:
        words = [self.expand(word) for word in shlex.split(command)]
        assert words[0] == "jq", f"$(...) of {words[0]}: teach the test"
        return self.jq(words[1:])

    def export(self, args: list[str]) -> str:
        for assignment in args:
            name, _, value = assignment.partition("=")
            # The service's address and the token are the test's own.
            if name not in ("BUCKETLINK_URL", "TOKEN"):
                self.env[name] = value
        return ""

    async def curl(self, args: list[str]) -> str:
        method, headers, data, urls = None, {}, None, []
        words = iter(args)
        for word in words:
            if word == "-s":
                continue
            if word == "-X":
                method = next(words)
            elif word == "-H":
                name, _, value = next(words).partition(":")
                headers[name.strip()] = value.strip()
            elif word == "-d":
                data = next(words)
            else:
                assert not word.startswith("-"), f"curl {word}: teach the test"
                urls.append(word)
        assert len(urls) == 1 and urls[0].startswith(SERVICE_URL), urls
        if data is not None and data.startswith("@"):
            assert data[1:] in self.files, f"curl sends {data[1:]}, which the guide never wrote"
            data = self.files[data[1:]]
        method = method or ("POST" if data is not None else "GET")
        path = urls[0].removeprefix(SERVICE_URL)
        response = await self.stage.client.request(
            method, path, headers=headers, content=data.encode() if data else None
        )
        assert response.status_code < 300, (
            f"{method} {path}: {response.status_code} {response.text}"
        )
        body = response.json() if response.content else None
        self.answers.append(Answer(method, path, response.status_code, body))
        if (method, path) == ("POST", "/v1/connectors/s3"):
            self.env["CONNECTOR_ID"] = body["id"]
        return response.text

    def jq(self, args: list[str]) -> str:
        raw = args[0] == "-r"
        query, file = args[1:] if raw else args
        value = json.loads(self.files[file])
        for key in filter(None, query.split(".")):
            value = value[key]
        return value if raw and isinstance(value, str) else json.dumps(value, indent=2)

    def aws(self, args: list[str]) -> str:
        assert args[0] == "cloudformation", f"aws {args[0]}: teach the test"
        options = _options(args[2:])
        known = _CLOUDFORMATION_OPTIONS.get(args[1])
        assert known is not None, f"aws cloudformation {args[1]}: teach the test"
        assert set(options) <= known, f"aws cloudformation {args[1]}: {set(options) - known}?"
        stack = options["--stack-name"][0]
        if args[1] == "describe-stacks":
            assert options["--output"] == ["text"]
            key = re.fullmatch(
                r"Stacks\[0\]\.Outputs\[\?OutputKey=='(\w+)'\]\.OutputValue", options["--query"][0]
            )
            assert key, options["--query"]
            return self.stacks[stack][key[1]]
        if args[1] == "deploy":
            template = self.files[options["--template-file"][0]]
            given = dict(pair.split("=", 1) for pair in options.get("--parameter-overrides", []))
        else:
            template = self.files[options["--template-body"][0].removeprefix("file://")]
            given = dict(_parameter(text) for text in options.get("--parameters", []))
        deploy = self.stage.deploy_stack or build_stack
        self.stacks[stack] = deploy(
            self.stage, stack, json.loads(template), given, options.get("--capabilities", [])
        )
        return ""

    def terraform(self, args: list[str]) -> str:
        if args == ["init"]:
            return ""
        if args[0] == "output":
            assert args[1] == "-raw"
            return self.terraform_outputs[args[2]]
        assert args[0] == "apply", f"terraform {args[0]}: teach the test"
        assert args[1::2] == ["-var"] * (len(args) // 2), args
        variables = dict(pair.split("=", 1) for pair in args[2::2])
        self.terraform_outputs = terraform().apply(self.stage, variables)
        return ""


_CLOUDFORMATION_OPTIONS = {
    "deploy": {"--stack-name", "--template-file", "--parameter-overrides", "--capabilities"},
    "create-stack": {"--stack-name", "--template-body", "--parameters", "--capabilities"},
    "describe-stacks": {"--stack-name", "--query", "--output"},
}


def _options(args: list[str]) -> dict[str, list[str]]:
    options: dict[str, list[str]] = {}
    current = None
    for word in args:
        if word.startswith("--"):
            current = options.setdefault(word, [])
        else:
            assert current is not None, f"{word} belongs to no option"
            current.append(word)
    return options


def _parameter(text: str) -> tuple[str, str]:
    fields = dict(part.split("=", 1) for part in text.split(","))
    return fields["ParameterKey"], fields["ParameterValue"]


def steps_for(way: str) -> list[Block]:
    """The guide's shell blocks a reader taking ``way`` to make the role runs."""
    return [
        block
        for block in fenced_blocks(GUIDE, "sh")
        if "ways" not in block.tags or way in block.tags["ways"].split(",")
    ]


async def follow_the_guide(stage: Stage, way: str) -> GuideShell:
    shell = GuideShell(stage, access_token(org=1))
    for block in steps_for(way):
        await shell.run(block.text)
    return shell


# -- following the guide works, and only for the organisation it was made for --


@pytest.mark.parametrize("way", WAYS)
async def test_following_the_guide_makes_a_connector_that_works_for_its_organisation_only(
    stage: Stage, way: str
) -> None:
    shell = await follow_the_guide(stage, way)

    registered = shell.answer("POST", "/v1/connectors/s3")
    assert registered.status == 200
    assert registered.body["verified_role_arn"] == stage.connector_body()["role_arn"]
    assert shell.answer("POST", "/v1/connectors/s3/validate").body == json_example(
        "validate-passed"
    )
    verified = shell.answer("POST", f"/v1/connectors/s3/{registered.body['id']}/verify").body
    assert verified["valid"] is True and "verified_at" in verified
    listed = shell.answer("GET", "/v1/connectors").body
    assert [item["id"] for item in listed["items"]] == [registered.body["id"]]
    assert shell.answer("DELETE", f"/v1/connectors/s3/{registered.body['id']}").status == 204
    if way.startswith("cloudformation"):
        # The first thing the guide prints is the stack's output.
        assert shell.printed[0] == stage.spell(example("stack-output").text).strip()

    # The role trusts this organisation's external id, so another's is refused.
    refused = await stage.client.post(
        "/v1/connectors/s3", json=stage.connector_body(), headers=bearer(user="mallory", org=2)
    )
    assert refused.status_code == 422
    assert refused.json()["code"] == "assume_role_denied"


async def test_the_stack_moto_cloudformation_deploys_passes_the_sandbox_probe(
    on_sandbox: Stage, sandbox: Sandbox
) -> None:
    on_sandbox.deploy_stack = deploy_with_moto_cloudformation(sandbox)

    shell = await follow_the_guide(on_sandbox, "cloudformation-deploy")

    assert shell.answer("POST", "/v1/connectors/s3").status == 200


# -- the JSON examples are what the service answers --


async def test_the_aws_setup_example_is_what_the_service_answers(on_fakes: Stage) -> None:
    shown = json_example("aws-setup")
    answer = (await on_fakes.client.get("/v1/account/aws-setup", headers=bearer())).json()

    # Only the external id is the organisation's own.
    as_shown = json.dumps(answer).replace(answer["external_id"], shown["external_id"])
    assert json.loads(as_shown) == shown
    assert re.fullmatch(r"[A-Za-z0-9-]{32,}", shown["external_id"])


async def test_the_connector_example_is_what_registering_answers(on_fakes: Stage) -> None:
    shown = json_example("connector")
    shell = await follow_the_guide(on_fakes, "cloudformation-deploy")
    answer = shell.answer("POST", "/v1/connectors/s3").body

    assert answer.keys() == shown.keys()
    made_up = {"id", "created_at", "updated_at"}
    assert {k: v for k, v in answer.items() if k not in made_up} == {
        k: v for k, v in shown.items() if k not in made_up
    }
    for body in (answer, shown):
        UUID(body["id"])
        for moment in (body["created_at"], body["updated_at"]):
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z", moment)


async def test_the_validate_failed_example_is_the_report_for_a_wrong_owner(
    on_fakes: Stage,
) -> None:
    await follow_the_guide(on_fakes, "cloudformation-deploy")
    body = on_fakes.connector_body(expected_bucket_owner_account_id=NOT_THE_OWNER)

    answer = await on_fakes.client.post("/v1/connectors/s3/validate", json=body, headers=bearer())

    assert answer.status_code == 200
    assert answer.json() == json_example("validate-failed")


async def test_the_register_denied_example_is_the_problem_for_another_external_id(
    on_fakes: Stage,
) -> None:
    # The role trusts an external id other than the organisation's.
    on_fakes.aws.create_role(
        GUIDE_ACCOUNT,
        "bucketlink-access",
        trust_policy(PRINCIPAL_ARN, ExternalId("another-organisations-external-id-0123")),
    )

    answer = await on_fakes.client.post(
        "/v1/connectors/s3", json=on_fakes.connector_body(), headers=bearer()
    )

    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json() == json_example("register-denied")


async def test_the_register_unbound_example_is_the_problem_for_the_unbound_trust_policy(
    on_fakes: Stage,
) -> None:
    # The guide's trust policy without the condition, as it shows it.
    on_fakes.aws.create_role(
        GUIDE_ACCOUNT, "bucketlink-access", json_example("unbound-trust-policy")
    )

    for org in (1, 2):  # whoever registers it
        answer = await on_fakes.client.post(
            "/v1/connectors/s3", json=on_fakes.connector_body(), headers=bearer(org=org)
        )
        assert answer.status_code == 422
        assert answer.json() == json_example("register-unbound")


async def test_the_guide_s_advice_on_sharing_a_role_between_organisations_holds(
    on_fakes: Stage,
) -> None:
    ids = [
        (await on_fakes.client.get("/v1/account/aws-setup", headers=bearer(org=org))).json()[
            "external_id"
        ]
        for org in (1, 2)
    ]
    shared = json_example("unbound-trust-policy")
    shared["Statement"][0]["Condition"] = {"StringEquals": {"sts:ExternalId": ids}}
    role = on_fakes.aws.create_role(GUIDE_ACCOUNT, "bucketlink-access", shared)
    on_fakes.aws.create_bucket(GUIDE_ACCOUNT, GUIDE_BUCKET)
    listing = {
        "Effect": "Allow",
        "Action": "s3:ListBucket",
        "Resource": f"arn:aws:s3:::{GUIDE_BUCKET}",
    }
    on_fakes.aws.put_role_policy(role, "list", {"Version": "2012-10-17", "Statement": [listing]})

    for org in (1, 2):
        answer = await on_fakes.client.post(
            "/v1/connectors/s3/validate", json=on_fakes.connector_body(), headers=bearer(org=org)
        )
        assert answer.json()["valid"] is True, answer.text


async def test_an_s3_prefix_condition_on_list_bucket_fails_head_bucket(on_fakes: Stage) -> None:
    """The guide's advice to keep s3:ListBucket unconditioned, shown true."""
    setup = (await on_fakes.client.get("/v1/account/aws-setup", headers=bearer())).json()
    role = on_fakes.aws.create_role(GUIDE_ACCOUNT, "bucketlink-access", setup["trust_policy"])
    listing_exports_only = {
        "Effect": "Allow",
        "Action": "s3:ListBucket",
        "Resource": f"arn:aws:s3:::{GUIDE_BUCKET}",
        "Condition": {"StringLike": {"s3:prefix": "exports/*"}},
    }
    on_fakes.aws.put_role_policy(
        role, "exports", {"Version": "2012-10-17", "Statement": [listing_exports_only]}
    )

    answer = await on_fakes.client.post(
        "/v1/connectors/s3/validate", json=on_fakes.connector_body(), headers=bearer()
    )

    head_bucket = answer.json()["checks"][2]
    assert (head_bucket["name"], head_bucket["code"]) == ("head_bucket", "bucket_access_denied")


# -- the Terraform snippet makes the role the CloudFormation template makes --


async def test_the_terraform_trust_policy_is_the_one_aws_setup_gives(on_fakes: Stage) -> None:
    setup = (await on_fakes.client.get("/v1/account/aws-setup", headers=bearer())).json()
    variables = {
        "bucket_name": GUIDE_BUCKET,
        "bucketlink_principal_arn": setup["principal_arn"],
        "bucketlink_external_id": setup["external_id"],
    }
    config = terraform()
    _, role = config.only("aws_iam_role")

    trust = json.loads(config.evaluate(role["assume_role_policy"], variables))

    assert normalised(trust) == normalised(setup["trust_policy"])


def test_the_terraform_grants_exactly_what_the_cloudformation_template_grants() -> None:
    template = json_example("aws-setup")["cloudformation_template"]
    config = terraform()
    variables = dict.fromkeys(config.variables, "unused") | {"bucket_name": GUIDE_BUCKET}
    _, role = config.only("aws_iam_role")
    _, role_policy = config.only("aws_iam_role_policy")
    template_role = resolved(
        template["Resources"]["BucketlinkRole"]["Properties"],
        template_parameters(template, {"BucketName": GUIDE_BUCKET}),
        {},
    )
    [template_policy] = template_role["Policies"]

    policy = json.loads(config.evaluate(role_policy["policy"], variables))

    assert normalised(policy) == normalised(template_policy["PolicyDocument"])
    assert role_policy["name"] == template_policy["PolicyName"]
    assert role["name"] == template_role["RoleName"]
    assert role["max_session_duration"] == template_role["MaxSessionDuration"]
    # Nothing else that `apply` above would leave out.
    assert set(role) == {"name", "max_session_duration", "assume_role_policy"}
    assert set(role_policy) == {"name", "role", "policy"}
    assert config.types("resource") == {"aws_iam_role", "aws_iam_role_policy"}
    assert config.types("data") == {"aws_iam_policy_document"}
    assert config.outputs == {"role_arn": "${aws_iam_role.bucketlink.arn}"}


# -- everything in the guide is exercised, and everything it points at exists --

_TESTED_EXAMPLES = {
    "aws-setup",
    "stack-output",
    "terraform",
    "connector-body",
    "connector",
    "register-denied",
    "validate-passed",
    "validate-failed",
    "unbound-trust-policy",
    "register-unbound",
}


def test_every_block_is_run_or_checked() -> None:
    for block in fenced_blocks(GUIDE):
        if block.language == "sh":
            ways = set(block.tags.get("ways", ",".join(WAYS)).split(","))
            assert ways <= set(WAYS), f"{block.where}: unknown ways {ways}"
        else:
            assert block.tags.get("example") in _TESTED_EXAMPLES, (
                f"{block.where}: a {block.language} block no test checks"
            )
    named = {block.tags.get("example") for block in fenced_blocks(GUIDE)}
    assert named >= _TESTED_EXAMPLES


def test_every_curl_names_a_route_of_the_service(settings: Settings) -> None:
    """Belt and braces beside running them: a method and path Litestar routes."""
    app = create_app(build_container(settings, **_repositories()))
    routes = [
        (re.compile(re.sub(r"\{[^}]+\}", "[^/]+", route.path) + "$"), route.methods)
        for route in app.routes
    ]
    curls = re.findall(
        r"curl -s(?: -X (\w+))? \"\$BUCKETLINK_URL(/[^\"?]*)",
        "".join(block.text for block in fenced_blocks(GUIDE, "sh")).replace("\\\n", " "),
    )
    assert len(curls) >= 6
    for method, path in curls:
        assert any(
            pattern.match(path) and (method or "GET") in methods for pattern, methods in routes
        ), f"{method or 'GET'} {path} is no route of the service"


def broken_links(document: str) -> list[str]:
    """The relative links of ``document`` whose file or anchor does not exist."""
    text = (DOCS / document).read_text()
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if target.startswith(("http://", "https://")):
            continue
        path, _, anchor = target.partition("#")
        linked = (DOCS / (path or document)).resolve()
        if not linked.exists() or (anchor and anchor not in _anchors(linked.read_text())):
            broken.append(target)
    return broken


def _anchors(markdown: str) -> set[str]:
    headings = re.findall(r"^#+ (.+)$", markdown, re.MULTILINE)
    slugs = {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}
    return slugs | set(re.findall(r'<a id="([^"]+)">', markdown))


def test_links_point_at_what_exists() -> None:
    assert broken_links(GUIDE) == []


def test_every_error_code_the_guide_names_is_in_the_catalogue_with_its_status() -> None:
    text = (DOCS / GUIDE).read_text()
    rows = re.findall(r"^\| (\d{3}) \| \[`(\w+)`\]\(errors\.md#(\w+)\)", text, re.MULTILINE)
    assert len(rows) >= 5
    for status, code, anchor in rows:
        assert code == anchor
        assert ERROR_KINDS[code].status == int(status), code
    for code in re.findall(r"\[`(\w+)`\]\(errors\.md#", text):
        assert code in ERROR_KINDS, code
