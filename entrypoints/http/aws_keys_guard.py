"""Refuses any body that carries AWS keys, wherever and however they are spelt:
the product never takes keys, and saying so beats a generic unknown-field error."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request

from domain.errors import AwsKeysNotAccepted, InvalidField

_KEY_NAMES = frozenset({"aws_access_key_id", "aws_secret_access_key", "aws_session_token"})
_WRITES = frozenset({"POST", "PUT", "PATCH"})


def _carries_keys(body: Any) -> bool:
    # Iterative: a hostile body nested thousands deep must not exhaust the stack.
    pending = [body]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            if any(isinstance(k, str) and k.lower() in _KEY_NAMES for k in value):
                return True
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return False


async def refuse_aws_keys(request: Request[Any, Any, Any]) -> None:
    if request.method not in _WRITES:
        return
    try:
        body = msgspec.json.decode(await request.body())
    except msgspec.DecodeError:
        return  # malformed JSON is the body parser's to report
    except UnicodeDecodeError:
        # msgspec raises this, not DecodeError, for bad UTF-8 inside a string, and
        # so would the body parser after us: answered here, it is a 400, not a 500.
        raise InvalidField("body", "is not UTF-8") from None
    except RecursionError:
        raise InvalidField("body", "is nested too deeply") from None
    if _carries_keys(body):
        raise AwsKeysNotAccepted(
            "this service never accepts AWS keys: register an IAM role instead "
            "(GET /v1/account/aws-setup says how)"
        )
