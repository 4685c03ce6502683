"""The query parameters and cursor of every newest-first listing."""

from __future__ import annotations

from typing import Annotated, Any

from litestar.params import QueryParameter

from domain.pagination import DEFAULT_LIMIT, MAX_LIMIT, Cursor, Page, PageRequest

Limit = Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT, description="Page size")]
PageCursor = Annotated[str | None, QueryParameter(description="next_cursor of the previous page")]
DEFAULT_PAGE_SIZE = DEFAULT_LIMIT


def page_request(limit: int, cursor: str | None) -> PageRequest:
    return PageRequest(limit, Cursor.decode(cursor) if cursor else None)


def next_cursor(page: Page[Any]) -> str | None:
    return page.next_cursor.encode() if page.next_cursor else None
