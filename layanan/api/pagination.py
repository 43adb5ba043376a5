"""One pagination for every list: ``?limit=&offset=`` in, ``{"count", "next", "previous",
"results"}`` out. ``next``/``previous`` are absolute URLs (null at either end); ``limit``
outside 1–MAX_LIMIT or a negative ``offset`` is a 400 ``invalid_request``.

Endpoints take ``page: Query[PageParams]``, declare ``response=page_of(ItemOut)`` and return
``paginate(request, queryset, page, serialize)``: the count and the slice run in SQL, only the
rows of the page are serialised.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class PageParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Results per page.")
    offset: int = Field(0, ge=0, description="Results to skip.")


class PageOut(Schema):
    count: int = Field(description="How many results there are in all.")
    next: str | None = Field(description="URL of the next page; null on the last one.")
    previous: str | None = Field(description="URL of the previous page; null on the first.")
    results: list[Any]


_page_schemas: dict[type, type[PageOut]] = {}


def page_of(item_schema: type[Schema]) -> type[PageOut]:
    """The page schema for one item schema (``UnitOut`` → ``UnitPage``), made once."""
    if item_schema not in _page_schemas:
        name = item_schema.__name__.removesuffix("Out") + "Page"
        _page_schemas[item_schema] = type(
            name,
            (PageOut,),
            {"__annotations__": {"results": list[item_schema]}, "__module__": __name__},
        )
    return _page_schemas[item_schema]


def _page_url(request: HttpRequest, *, limit: int, offset: int) -> str:
    query = request.GET.copy()
    query["limit"] = str(limit)
    if offset > 0:
        query["offset"] = str(offset)
    else:
        query.pop("offset", None)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def paginate(
    request: HttpRequest,
    queryset: QuerySet,
    page: PageParams,
    serialize: Callable[[Any], Any],
) -> dict[str, Any]:
    limit, offset = page.limit, page.offset
    count = queryset.count()
    rows = list(queryset[offset : offset + limit]) if offset < count else []
    following = offset + limit
    return {
        "count": count,
        "next": _page_url(request, limit=limit, offset=following) if following < count else None,
        "previous": (
            _page_url(request, limit=limit, offset=max(offset - limit, 0)) if offset else None
        ),
        "results": [serialize(row) for row in rows],
    }
