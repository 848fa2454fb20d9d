"""Many rows of values as one relation of a hand-written statement (``WITH x (...) AS (<source>)``).

On PostgreSQL the rows go as one array per column, unnested, each array written as one text
literal here (``{1,2,NULL}``, ``{"a","b"}``): psycopg formats every parameter of a statement in
Python (client-side binding), so a parameter per value cost more than the statement itself for
the reminder sweep's thousands of rows, and psycopg's own dumping of a list, element by element,
still cost 3-4x a ``str.join`` (6,814 due keys: 78-95 ms; issue 17). A constant array keeps
``unnest``'s row estimate exact; a JSON parameter (as cheap) is estimated at 100 rows, which made
the planner pick a nested loop of 3,000 x 3,000 rows for the recipients. SQLite gets ``VALUES``
lists inside its limit of parameters per statement, so a long list comes in several chunks.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Final

from django.db import connection

__all__ = ["rows_source"]

# Rows per statement on PostgreSQL: one statement for a province's sweep, bounded memory.
_ARRAY_ROWS: Final = 50_000


def rows_source(types: Sequence[str], rows: Sequence[tuple[Any, ...]], *, reserve: int) -> Iterator[tuple[str, list[Any]]]:
    """(SQL, parameters) of ``rows`` as a relation, chunk after chunk.

    ``types`` are the columns' PostgreSQL types (``bigint``, ``varchar``, ``text``: values are
    integers, strings or None), ignored on SQLite; ``reserve`` is how many other parameters the statement takes, so SQLite's chunks
    leave room for them.
    """
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%s::{kind}[]" for kind in types)
        for start in range(0, len(rows), _ARRAY_ROWS):
            chunk = rows[start : start + _ARRAY_ROWS]
            yield f"SELECT * FROM unnest({arrays})", [_array(column) for column in zip(*chunk, strict=True)]
        return
    limit = connection.features.max_query_params or 999
    size = max(1, (limit - reserve) // max(1, len(types)))
    marks = "(" + ", ".join(["%s"] * len(types)) + ")"
    for start in range(0, len(rows), size):
        chunk = rows[start : start + size]
        yield "VALUES " + ", ".join([marks] * len(chunk)), [value for row in chunk for value in row]


def _array(values: Sequence[Any]) -> str:
    """A PostgreSQL array literal of integers, strings and None."""
    return "{" + ",".join(_element(value) for value in values) + "}"


def _element(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'
