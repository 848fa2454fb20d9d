"""Page-number pagination with a capped count for the widest scopes (issue 17, docs/api.md).

``COUNT(*)`` over a million proceedings is itself most of a national administrator's list
request, so the count stops at COUNT_CAP: one ``SELECT COUNT(*) FROM (... LIMIT 10001)``
answers whether there are more. Below the cap the count is exact for everyone. Above it,
a user who reads one agency (legal staff, a bureau's leader) still gets the exact count (one
more query, only then); a user who reads several agencies (an administrator, a city's or a
province's leader) gets ``count: 10000`` and ``count_capped: true``, and pages up to the
cap: narrower filters or another ``ordering`` reach the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property, partial
from typing import Any

from django.core.paginator import Paginator
from rest_framework.pagination import PageNumberPagination as _Base
from rest_framework.response import Response

from cases.querysets.counting import COUNT_CAP, count_up_to

__all__ = ["COUNT_CAP", "CappedCountPaginator", "PageNumberPagination", "reads_several_agencies"]


def reads_several_agencies(user: Any) -> bool:
    """An administrator, or a leader/viewer of a body with agencies under it: the capped count's users."""
    from cases.permissions import visible_agency_ids

    ids = visible_agency_ids(user)
    return ids is None or len(ids) > 1


class CappedCountPaginator(Paginator):
    """A Paginator whose count stops at COUNT_CAP for users for whom ``wide()`` is true."""

    def __init__(self, object_list: Any, per_page: int, *args: Any, wide: Callable[[], bool] = lambda: False,
                 **kwargs: Any) -> None:
        super().__init__(object_list, per_page, *args, **kwargs)
        self.wide = wide
        self.capped = False

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not hasattr(queryset, "values"):
            return len(queryset)
        # Only the primary keys: the annotations a page shows are not computed for the count.
        counted = count_up_to(queryset, COUNT_CAP)
        if counted <= COUNT_CAP:
            return counted
        if self.wide():
            self.capped = True
            return COUNT_CAP
        exact: int = queryset.order_by().count()
        return exact


class PageNumberPagination(_Base):
    """Page-number pagination; callers may ask for up to 200 rows a page; counts capped as above."""

    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        self.django_paginator_class = partial(  # type: ignore[assignment]
            CappedCountPaginator, wide=lambda: reads_several_agencies(request.user)
        )
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        if getattr(self.page.paginator, "capped", False):
            response.data["count_capped"] = True
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["count_capped"] = {
            "type": "boolean",
            "description": f"Present (true) only when the count stopped at {COUNT_CAP} (docs/api.md).",
        }
        return paginated
