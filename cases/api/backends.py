"""The API lists' filter backend: django-filter's, skipped for a request without filter parameters.

A FilterSet copies every filter and builds its form for each request: for CaseFilterSet (~45
filters) ~9 ms of CPU on the benchmark machine, more than the query of the page it filters
(issue 17). Without a parameter naming one of its filters every filter is a no-op (an empty
value filters nothing), so the queryset is returned as it is.
"""

from __future__ import annotations

from typing import Any

from django_filters.rest_framework import DjangoFilterBackend


class FilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not _names_a_filter(request.query_params, filterset_class.base_filters):
            return queryset
        return super().filter_queryset(request, queryset, view)


def _names_a_filter(params: Any, filters: Any) -> bool:
    # A prefix, not equality: range filters read suffixed parameters (received_min, received_max).
    return any(param.startswith(name) for param in params for name in filters)
