"""Many rows of values as one relation of a hand-written statement (``WITH x (...) AS (<source>)``).

On PostgreSQL the rows go as one array per column, unnested: psycopg formats every parameter
of a statement in Python (client-side binding), so a parameter per value cost more than the
statement itself for the reminder sweep's thousands of rows (issue 17). SQLite gets ``VALUES``
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

    ``types`` are the columns' PostgreSQL types (``bigint``, ``varchar``...), ignored on
    SQLite; ``reserve`` is how many other parameters the statement takes, so SQLite's chunks
    leave room for them.
    """
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%s::{kind}[]" for kind in types)
        for start in range(0, len(rows), _ARRAY_ROWS):
            chunk = rows[start : start + _ARRAY_ROWS]
            yield f"SELECT * FROM unnest({arrays})", [list(column) for column in zip(*chunk, strict=True)]
        return
    limit = connection.features.max_query_params or 999
    size = max(1, (limit - reserve) // max(1, len(types)))
    marks = "(" + ", ".join(["%s"] * len(types)) + ")"
    for start in range(0, len(rows), size):
        chunk = rows[start : start + size]
        yield "VALUES " + ", ".join([marks] * len(chunk)), [value for row in chunk for value in row]
