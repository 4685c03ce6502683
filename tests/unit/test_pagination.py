from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from domain.errors import InvalidField
from domain.pagination import DEFAULT_LIMIT, MAX_LIMIT, Cursor, PageRequest

# UTC offsets in whole minutes, as ISO 8601 writes them. (Python 3.11 reads a
# sub-second offset back as UTC; no clock produces one.)
offsets = st.integers(-(23 * 60 + 59), 23 * 60 + 59).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
aware_datetimes = st.datetimes(timezones=st.just(UTC) | offsets)
cursors = st.builds(Cursor, aware_datetimes, st.uuids())


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@given(cursors)
def test_decoding_an_encoded_cursor_gives_the_same_position(cursor: Cursor) -> None:
    decoded = Cursor.decode(cursor.encode())
    assert decoded == cursor  # the same instant and id
    assert decoded.created_at.utcoffset() == timedelta(0)  # told in UTC


@given(st.sampled_from(["9999-12-31T23:59:59.999999-23:59", "0001-01-01T00:00:00+23:59"]))
def test_a_time_at_the_calendar_s_edge_is_no_cursor(moment: str) -> None:
    # Moved to UTC it leaves the calendar: refused here, not a crash in a query.
    crafted = _b64(f"{moment}|{uuid.uuid4()}".encode())
    with pytest.raises(InvalidField) as raised:
        Cursor.decode(crafted)
    assert raised.value.field == "cursor"


@given(cursors)
def test_an_encoded_cursor_is_url_safe_text(cursor: Cursor) -> None:
    assert set(cursor.encode()) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    )


@given(
    st.text()
    | st.binary().map(_b64)
    | st.builds(lambda d, u: _b64(f"{d.isoformat()}|{u}".encode()), st.datetimes(), st.uuids())
    | st.builds(lambda d, t: _b64(f"{d.isoformat()}|{t}".encode()), aware_datetimes, st.text())
    | st.builds(lambda t, u: _b64(f"{t}|{u}".encode()), st.text(), st.uuids())
)
@example("")
@example("!!!!")
@example("a")
@example("é")
@example(_b64(b"\xff\xfe"))
@example(_b64(b"2026-11-23T10:00:00"))
def test_text_that_is_not_a_cursor_we_gave_out_is_rejected_as_cursor(text: str) -> None:
    """Decoding any text gives a timezone-aware cursor or ``InvalidField("cursor")``;
    nothing else escapes (a tampered cursor must not become a 500)."""
    try:
        cursor = Cursor.decode(text)
    except InvalidField as error:
        assert error.field == "cursor"
    else:
        assert cursor.created_at.tzinfo is not None


@given(st.datetimes(), st.uuids())
def test_a_cursor_whose_time_has_no_timezone_is_rejected(moment: datetime, id_: object) -> None:
    with pytest.raises(InvalidField) as raised:
        Cursor.decode(_b64(f"{moment.isoformat()}|{id_}".encode()))
    assert raised.value.field == "cursor"


@given(cursors, st.data())
def test_a_cursor_cut_short_is_rejected_or_still_a_cursor(
    cursor: Cursor, data: st.DataObject
) -> None:
    text = cursor.encode()
    cut = data.draw(st.integers(0, len(text) - 1), label="cut")
    try:
        Cursor.decode(text[:cut])
    except InvalidField as error:
        assert error.field == "cursor"


@given(st.integers(1, MAX_LIMIT), st.none() | cursors)
def test_a_page_limit_from_1_to_200_is_accepted(limit: int, after: Cursor | None) -> None:
    page = PageRequest(limit, after)
    assert (page.limit, page.after) == (limit, after)


def test_a_page_request_defaults_to_50_from_the_start() -> None:
    assert PageRequest() == PageRequest(DEFAULT_LIMIT, None)
    assert DEFAULT_LIMIT == 50


@given(st.integers(max_value=0) | st.integers(min_value=MAX_LIMIT + 1))
def test_a_page_limit_outside_1_to_200_is_rejected_as_limit(limit: int) -> None:
    with pytest.raises(InvalidField) as raised:
        PageRequest(limit)
    assert raised.value.field == "limit"


@given(st.booleans() | st.floats() | st.just("50") | st.none())
def test_a_page_limit_that_is_not_an_integer_is_rejected_as_limit(limit: object) -> None:
    with pytest.raises(InvalidField) as raised:
        PageRequest(limit)  # type: ignore[arg-type]
    assert raised.value.field == "limit"
