"""Rules that hold for any sequence of registrations and deletions by several users."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.connector import Connector, ConnectorType
from domain.errors import AwsUnavailable, DomainError, DuplicateCredentialName, ProbeFailed
from domain.identity import Caller

from .conftest import (
    ALICE,
    ALICE_AT_ORG_2,
    BOB,
    listing,
    make_platform,
    ready_customer,
    register,
    s3_target,
)

CALLERS = (ALICE, BOB, ALICE_AT_ORG_2)


@dataclass(frozen=True)
class Register:
    caller: Caller
    name: str
    setup: str  # "working", "role missing" or "aws down"
    seconds_later: int


@dataclass(frozen=True)
class Delete:
    caller: Caller
    nth: int  # which of the caller's current connectors, oldest first


registrations = st.builds(
    Register,
    st.sampled_from(CALLERS),
    st.sampled_from(["warehouse", "lake", "exports"]),
    st.sampled_from(["working", "working", "role missing", "aws down"]),
    st.integers(0, 2),
)
deletions = st.builds(Delete, st.sampled_from(CALLERS), st.integers(0, 5))
histories = st.lists(st.one_of(registrations, registrations, deletions), max_size=15)


def expected_error(op: Register, names: set[str]) -> type[DomainError] | None:
    if op.name in names:
        return DuplicateCredentialName
    return {"working": None, "role missing": ProbeFailed, "aws down": AwsUnavailable}[op.setup]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories)
async def test_each_user_lists_exactly_their_surviving_registrations_newest_first(
    history: list[Register | Delete],
) -> None:
    platform = make_platform()
    working = {caller: await ready_customer(platform, caller) for caller in CALLERS}
    missing_role = s3_target("arn:aws:iam::111122223333:role/never-created")
    held: dict[Caller, list[Connector]] = {caller: [] for caller in CALLERS}

    for op in history:
        if isinstance(op, Delete):
            mine = held[op.caller]
            if mine:
                gone = mine.pop(op.nth % len(mine))
                await platform.app.delete_connector(op.caller, ConnectorType.S3, gone.id)
            continue
        platform.clock.advance(op.seconds_later)
        platform.world.unavailable = op.setup == "aws down"
        target = missing_role if op.setup == "role missing" else working[op.caller]
        expected = expected_error(op, {c.credential_name.value for c in held[op.caller]})
        try:
            held[op.caller].append(await register(platform, op.caller, op.name, target))
        except DomainError as error:
            assert expected is not None and isinstance(error, expected), (op, error)
        else:
            assert expected is None, op

    for caller in CALLERS:
        newest_first = sorted(held[caller], key=lambda c: (c.created_at, c.id), reverse=True)
        assert await listing(platform.app, caller) == newest_first
