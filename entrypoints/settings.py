"""Configuration from the environment (contract §7), read once at start-up."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Literal, cast

import msgspec

from adapters.sandbox import defaults as sandbox_defaults
from domain.bucket_naming import BucketPrefix
from domain.errors import InvalidField

AwsMode = Literal["sandbox", "aws"]
RateUnit = Literal["second", "minute", "hour", "day"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]

# The sandbox's own identities (adapters/sandbox/defaults.py, constants only):
# the defaults, and what a real deployment must not keep.
SANDBOX_PRINCIPAL_ARN = sandbox_defaults.PRINCIPAL_ARN
# The sandbox makes this policy in its emulator (adapters/sandbox/role_boundary.py).
SANDBOX_ROLE_BOUNDARY_ARN = sandbox_defaults.ROLE_BOUNDARY_ARN
# Also what the error catalogue tells a company that reached it.
DEFAULT_MAX_BUCKETS_PER_COMPANY = 100
_STATE_DIR = Path(".bucketlink")
_RATE = re.compile(r"([0-9]+)/(second|minute|hour|day)")
_REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
_PRINCIPAL = re.compile(
    r"arn:aws:iam::[0-9]{12}:(role|user)/([\x21-\x7e]*/)?[A-Za-z0-9+=,.@_-]{1,64}"
)
# A customer managed policy: IAM's path and policy name rules.
_POLICY = re.compile(r"arn:aws:iam::[0-9]{12}:policy/([\x21-\x7e]*/)?[A-Za-z0-9+=,.@_-]{1,128}")


class SettingsError(Exception):
    """The environment asks for something that cannot run; the message says what to set."""


class RateLimit(msgspec.Struct, frozen=True):
    """At most ``requests`` per ``unit``, as ``BUCKETLINK_RATE_LIMIT`` writes it: ``30/minute``."""

    requests: int
    unit: RateUnit

    @classmethod
    def parse(cls, text: str) -> RateLimit:
        match = _RATE.fullmatch(text.strip())
        if match is None or int(match[1]) < 1:
            raise ValueError(
                f"{text!r} is not a rate: write <n>/<second|minute|hour|day> with n >= 1, "
                "for example 30/minute"
            )
        return cls(int(match[1]), cast(RateUnit, match[2]))


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database_url: str = "sqlite:///bucketlink.sqlite"
    aws_mode: AwsMode = "sandbox"
    principal_arn: str = SANDBOX_PRINCIPAL_ARN
    role_boundary_arn: str = SANDBOX_ROLE_BOUNDARY_ARN
    region: str = "us-east-1"
    jwt_secret: str = ""
    bucket_prefix: str = "nio"
    sandbox_port: int = sandbox_defaults.PORT
    redis_url: str | None = None
    rate_limit: str = "30/minute"
    vend_rate_limit: str = "600/minute"
    max_buckets_per_company: Annotated[int, msgspec.Meta(ge=1)] = DEFAULT_MAX_BUCKETS_PER_COMPANY
    assume_role_grace_seconds: float = 8.0
    log_level: LogLevel = "INFO"
    jwt_secret_generated: bool = False

    @property
    def rate(self) -> RateLimit:
        return RateLimit.parse(self.rate_limit)

    @property
    def vend_rate(self) -> RateLimit:
        return RateLimit.parse(self.vend_rate_limit)

    @property
    def platform_account_id(self) -> str:
        """The account of BUCKETLINK_PRINCIPAL_ARN (checked at load to be an IAM ARN)."""
        return _account(self.principal_arn)

    @property
    def sandbox(self) -> bool:
        return self.aws_mode == "sandbox"

    @property
    def sandbox_endpoint(self) -> str:
        return sandbox_defaults.endpoint_url(self.sandbox_port)

    @property
    def sandbox_https_endpoint(self) -> str:
        return sandbox_defaults.https_endpoint_url(self.sandbox_port)

    @property
    def sandbox_ca_bundle(self) -> Path:
        return Path(sandbox_defaults.CA_BUNDLE).resolve()


_ENV = {
    "BUCKETLINK_DATABASE_URL": "database_url",
    "BUCKETLINK_AWS": "aws_mode",
    "BUCKETLINK_PRINCIPAL_ARN": "principal_arn",
    "BUCKETLINK_ROLE_BOUNDARY_ARN": "role_boundary_arn",
    "BUCKETLINK_REGION": "region",
    "BUCKETLINK_JWT_SECRET": "jwt_secret",
    "BUCKETLINK_BUCKET_PREFIX": "bucket_prefix",
    "BUCKETLINK_SANDBOX_PORT": "sandbox_port",
    "BUCKETLINK_REDIS_URL": "redis_url",
    "BUCKETLINK_RATE_LIMIT": "rate_limit",
    "BUCKETLINK_VEND_RATE_LIMIT": "vend_rate_limit",
    "BUCKETLINK_MAX_BUCKETS_PER_COMPANY": "max_buckets_per_company",
    "BUCKETLINK_ASSUME_ROLE_GRACE": "assume_role_grace_seconds",
    "BUCKETLINK_LOG_LEVEL": "log_level",
}


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    environ = os.environ if environ is None else environ
    given = {field: environ[name] for name, field in _ENV.items() if environ.get(name)}
    try:
        settings = msgspec.convert(given, Settings, strict=False)
    except msgspec.ValidationError as error:
        raise SettingsError(_explain(error)) from None
    return _complete(settings, "BUCKETLINK_ASSUME_ROLE_GRACE" in given)


def _explain(error: msgspec.ValidationError) -> str:
    message = str(error)
    for name, field in _ENV.items():
        message = message.replace(f"$.{field}", name)
    return f"bad configuration: {message}"


def _complete(settings: Settings, grace_given: bool) -> Settings:
    try:
        BucketPrefix(settings.bucket_prefix)
    except InvalidField as error:
        raise SettingsError(f"BUCKETLINK_BUCKET_PREFIX {error.message}") from None
    _check_rate_limiting(settings)
    if not _PRINCIPAL.fullmatch(settings.principal_arn):
        raise SettingsError(
            "BUCKETLINK_PRINCIPAL_ARN must be the ARN of the IAM role (or user) the service "
            f"runs as, for example {SANDBOX_PRINCIPAL_ARN}"
        )
    if not _POLICY.fullmatch(settings.role_boundary_arn):
        raise SettingsError(
            "BUCKETLINK_ROLE_BOUNDARY_ARN must be the ARN of a customer managed IAM policy, "
            f"for example {SANDBOX_ROLE_BOUNDARY_ARN}"
        )
    if settings.sandbox:
        # IAM in the emulator is consistent at once: waiting would only slow failures.
        grace = settings.assume_role_grace_seconds if grace_given else 0.0
        secret, generated = settings.jwt_secret, False
        if not secret:
            secret, generated = sandbox_jwt_secret(), True
        return msgspec.structs.replace(
            settings,
            assume_role_grace_seconds=grace,
            jwt_secret=secret,
            jwt_secret_generated=generated,
        )
    if not settings.jwt_secret:
        raise SettingsError("BUCKETLINK_JWT_SECRET is required when BUCKETLINK_AWS=aws")
    if settings.principal_arn == SANDBOX_PRINCIPAL_ARN:
        raise SettingsError("BUCKETLINK_PRINCIPAL_ARN is required when BUCKETLINK_AWS=aws")
    _check_role_boundary(settings)
    return settings


def _check_role_boundary(settings: Settings) -> None:
    if settings.role_boundary_arn == SANDBOX_ROLE_BOUNDARY_ARN:
        raise SettingsError("BUCKETLINK_ROLE_BOUNDARY_ARN is required when BUCKETLINK_AWS=aws")
    # A role's boundary must be a policy of the role's own account.
    if _account(settings.role_boundary_arn) != settings.platform_account_id:
        raise SettingsError(
            "BUCKETLINK_ROLE_BOUNDARY_ARN must be a policy in the platform's account, "
            "the account of BUCKETLINK_PRINCIPAL_ARN"
        )


def _account(arn: str) -> str:
    # arn:aws:iam::<account>:<resource>
    return arn.split(":")[4]


def _check_rate_limiting(settings: Settings) -> None:
    for variable, text in (
        ("BUCKETLINK_RATE_LIMIT", settings.rate_limit),
        ("BUCKETLINK_VEND_RATE_LIMIT", settings.vend_rate_limit),
    ):
        try:
            RateLimit.parse(text)
        except ValueError as error:
            raise SettingsError(f"{variable}: {error}") from None
    url = settings.redis_url
    if url is not None and not url.startswith(_REDIS_SCHEMES):
        raise SettingsError(
            "BUCKETLINK_REDIS_URL must be a redis://, rediss:// or unix:// URL, "
            "for example redis://127.0.0.1:6379/0"
        )


def sandbox_jwt_secret(state_dir: Path = _STATE_DIR) -> str:
    """The sandbox's token secret, made once and kept in ``.bucketlink/`` so that
    ``bucketlink token`` and ``bucketlink serve`` agree without configuration."""
    path = state_dir / "jwt-secret"
    if path.exists():
        return path.read_text().strip()
    state_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: theirs wins
        return path.read_text().strip()
    with os.fdopen(fd, "w") as file:
        file.write(secret)
    return secret
