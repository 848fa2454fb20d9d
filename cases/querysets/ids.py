"""Filtering by a long list of ids without a parameter per id."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, TypeVar, cast

from django.db import connection
from django.db.models import QuerySet

__all__ = ["id_in", "id_in_sql"]

_QS = TypeVar("_QS", bound=QuerySet[Any])


def id_in(qs: _QS, column: str, ids: Collection[int]) -> _QS:
    """``qs`` filtered to the rows whose ``column`` (of ``qs``'s own table) is one of ``ids``.

    On PostgreSQL the ids go as one array parameter (``= ANY(%s)``): psycopg formats every
    parameter of a statement in Python (client-side binding), and Django prepares each one
    too, so an ``IN`` list of 33,000 case ids cost the reminder sweep far more than the
    query itself at 1M proceedings (issue 17). Elsewhere it is ``column__in``.
    """
    if connection.vendor != "postgresql":
        return qs.filter(**{f"{column}__in": list(ids)})
    qn = connection.ops.quote_name
    where, params = id_in_sql(f"{qn(qs.model._meta.db_table)}.{qn(column)}", ids)
    return cast(_QS, qs.extra(where=[where], params=params))


def id_in_sql(column_sql: str, ids: Collection[int]) -> tuple[str, list[Any]]:
    """The SQL condition and parameters of ``id_in`` for a hand-written statement."""
    if connection.vendor == "postgresql":
        return f"{column_sql} = ANY(%s::bigint[])", [list(ids)]
    return f"{column_sql} IN ({', '.join(['%s'] * len(ids))})", list(ids)
