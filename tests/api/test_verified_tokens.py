"""The cache of verified access tokens: what it serves, for how long, and how
many it holds. (Its use by authentication is tested in ``test_auth.py``.)"""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st
from litestar.middleware.authentication import AuthenticationResult

from domain.identity import Caller, OrgId
from entrypoints.http.tokens import BucketlinkToken
from entrypoints.http.verified_tokens import VerifiedTokens

NOW = 1_800_000_000.0


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


def verified(expires_at: float, user: str = "alice") -> AuthenticationResult:
    exp = datetime.fromtimestamp(expires_at, UTC)
    token = BucketlinkToken.__new__(BucketlinkToken)  # as decoded: no check of exp against now
    token.exp, token.sub, token.org_id = exp, user, 1
    return AuthenticationResult(user=Caller(user, OrgId(1)), auth=token)


def test_a_kept_token_is_found_until_it_expires() -> None:
    clock = Clock()
    tokens = VerifiedTokens(clock=clock)
    result = verified(NOW + 60)
    tokens.keep("t", result)
    assert tokens.find("t") is result
    clock.now = NOW + 59.999
    assert tokens.find("t") is result
    clock.now = NOW + 60  # PyJWT's rule: expired once exp <= now
    assert tokens.find("t") is None
    assert len(tokens) == 0
    clock.now = NOW
    assert tokens.find("t") is None  # forgotten, not merely hidden


def test_an_already_expired_result_is_not_kept() -> None:
    tokens = VerifiedTokens(clock=Clock())
    tokens.keep("t", verified(NOW))
    assert tokens.find("t") is None
    assert len(tokens) == 0


def test_a_result_without_a_token_is_not_kept() -> None:
    tokens = VerifiedTokens(clock=Clock())
    tokens.keep("t", AuthenticationResult(user=Caller("alice", OrgId(1)), auth=None))
    assert len(tokens) == 0


_operations = st.lists(
    st.tuples(st.sampled_from(["keep", "find", "tick"]), st.integers(0, 5), st.integers(1, 100)),
    max_size=60,
)


def test_the_least_recently_used_token_goes_first() -> None:
    tokens = VerifiedTokens(capacity=2, clock=Clock())
    first, second, third = (verified(NOW + 60, user=u) for u in ("a", "b", "c"))
    tokens.keep("a", first)
    tokens.keep("b", second)
    assert tokens.find("a") is first  # now "b" is the least recently used
    tokens.keep("c", third)
    assert (tokens.find("a"), tokens.find("b"), tokens.find("c")) == (first, None, third)


@given(capacity=st.integers(1, 6), operations=_operations)
def test_it_behaves_as_a_bounded_least_recently_used_map_of_unexpired_tokens(
    capacity: int, operations: list[tuple[str, int, int]]
) -> None:
    clock = Clock()
    tokens = VerifiedTokens(capacity=capacity, clock=clock)
    model: dict[str, AuthenticationResult] = {}  # insertion order = least recently used first
    for operation, key, seconds in operations:
        name = f"token-{key}"
        if operation == "tick":
            clock.now += seconds // 10
        elif operation == "keep":
            result = verified(clock.now + seconds, user=name)
            tokens.keep(name, result)
            model.pop(name, None)
            model[name] = result
            while len(model) > capacity:
                del model[next(iter(model))]
        else:
            expected = model.pop(name, None)
            if expected is not None and expected.auth.exp.timestamp() > clock.now:
                model[name] = expected
            else:
                expected = None
            assert tokens.find(name) is expected
        assert len(tokens) <= capacity
