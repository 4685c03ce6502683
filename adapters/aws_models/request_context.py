"""The request context as policies read it.

Context key names are not case-sensitive (IAM User Guide, "IAM JSON policy
elements: Condition",
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html).
A key holds one value or, when it is multivalued such as ``aws:TagKeys``, a set
of values
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html):
a ``str`` is one value, any other sequence of strings a set. A set that is empty
reads as an absent key, which is how the set operators treat it ("if the key
values in the request resolve to an empty data set ... ForAllValues returns
true, and ... ForAnyValue returns false", as for a missing key).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

ContextValue = str | Sequence[str]
Context = Mapping[str, ContextValue]


@dataclass(frozen=True, slots=True)
class RequestContext:
    """A request context keyed by lower-cased key name, without empty sets."""

    values: Mapping[str, str | tuple[str, ...]]

    @classmethod
    def of(cls, context: Context) -> RequestContext:
        values = {key.lower(): _normal(value) for key, value in context.items()}
        return cls({key: value for key, value in values.items() if value != ()})

    def get(self, key: str) -> str | tuple[str, ...] | None:
        """The key's one value or its (non-empty) set of values; None when absent."""
        return self.values.get(key.lower())

    def single(self, key: str) -> str | None:
        """The key's value if it holds exactly one (policy variables take no set)."""
        value = self.get(key)
        return value if isinstance(value, str) else None


def _normal(value: ContextValue) -> str | tuple[str, ...]:
    return value if isinstance(value, str) else tuple(value)
