"""Policy variables: ``${key}`` in a ``Resource`` or a condition value stands for
the request's value of that key.

As the IAM User Guide defines them ("IAM policy elements: Variables and tags",
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html):

* They exist only in documents of policy language version ``2012-10-17``; in
  any other "variables like ``${aws:username}`` are treated as literal strings".
* ``${*}``, ``${?}`` and ``${$}`` are the characters ``*``, ``?`` and ``$``
  themselves, not wildcards (#policy-vars-specialchars).
* ``${key, 'default'}`` reads ``default`` when the key has no value
  (#policy-vars-default-values).
* A key that is absent, or multivalued (which cannot be a variable), and has no
  default leaves the variable without a value: "any attempt to match it fails"
  (#principaltable, #policy-vars-no-value). The text holding it then matches
  nothing.

A substituted value is literal text too: a ``*`` that came from the request is
never a wildcard, so no request can widen what a policy grants.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from adapters.aws_models.request_context import RequestContext
from adapters.aws_models.wildcards import Pattern

VARIABLES_VERSION = "2012-10-17"

_VARIABLE = re.compile(r"\$\{(?P<body>[^}]*)\}")
_KEY_AND_DEFAULT = re.compile(r"\s*(?P<key>[^\s,']+)\s*(?:,\s*'(?P<default>[^']*)'\s*)?")
_SPECIAL_CHARACTERS = frozenset("*?$")


def supports_variables(policy: Mapping[str, Any]) -> bool:
    return policy.get("Version") == VARIABLES_VERSION


@dataclass(frozen=True, slots=True)
class Resolver:
    """How one policy's text reads against one request's context."""

    context: RequestContext
    variables: bool

    def pattern(self, template: str) -> Pattern | None:
        """``template`` with its variables replaced; None when one has no value."""
        if not self.variables:
            return Pattern.plain(template)
        pattern, position = Pattern(""), 0
        for found in _VARIABLE.finditer(template):
            value = self._value(found["body"])
            if value is None:
                return None
            literal = Pattern.plain(template[position : found.start()])
            pattern, position = pattern + literal + Pattern(value), found.end()
        return pattern + Pattern.plain(template[position:])

    def _value(self, body: str) -> str | None:
        if body in _SPECIAL_CHARACTERS:
            return body
        parsed = _KEY_AND_DEFAULT.fullmatch(body)
        if parsed is None:
            return None  # not a variable IAM would accept
        value = self.context.single(parsed["key"])
        return parsed["default"] if value is None else value
