from __future__ import annotations

from litestar import Controller, MediaType, get

from entrypoints.http.error_pages import catalogue_html

_PAGE = catalogue_html()


class ErrorCatalogueController(Controller):
    """The page every problem's ``type`` links to; public, like the API's docs."""

    @get("/errors", media_type=MediaType.HTML, include_in_schema=False, sync_to_thread=False)
    def catalogue(self) -> str:
        return _PAGE
