"""Writing the reminder outbox: one row per reminder, recipient and channel, inserted once.

Part of the outbox (cases/services/reminder_outbox.py, which re-exports these): the
unique constraints decide which rows exist, and the inserting sweep's token tells it
which rows it, and only it, created (docs/reminders.md, "Write first").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final

from django.conf import settings
from django.db import connection, transaction
from django.db.models.constants import OnConflict
from django.utils import timezone

from cases.models.reminders import ReminderChannel, ReminderDelivery

__all__ = ["Intended", "deliveries_create", "split_by_channel"]


@dataclass(frozen=True, slots=True)
class Intended:
    """A delivery row the policy wants to exist (its unique key plus the message)."""

    reminder: str
    recipient_id: int
    channel: str
    agency_id: int
    title: str
    body: str
    url: str = ""
    deadline_id: int | None = None
    hearing_id: int | None = None
    digest_on: dt.date | None = None


def deliveries_create(
    intended: Sequence[Intended], *, token: str, now: dt.datetime | None = None
) -> tuple[list[int], list[int]]:
    """INSERT the rows that do not exist yet; (in-app ids, e-mail and webhook ids) of those this call inserted.

    INSERT ... ON CONFLICT DO NOTHING (SQLite: INSERT OR IGNORE) from plain tuples, the
    constant columns prepared once (``_inserts``): building a model instance per row and
    preparing its 23 fields one by one was most of a sweep's write (issue 17). The unique
    constraints still decide what exists.
    """
    if not intended:
        return [], []
    now = now or timezone.now()
    # The creator's exclusive window: nobody else's sweep recovers the row before it.
    window = now + dt.timedelta(seconds=settings.REMINDER_CLAIM_LEASE)
    given = {"created_by_sweep": token, "next_attempt_at": window, "created_at": now}
    fixed = {str(f.column): f.get_db_prep_save(given.get(f.name, f.get_default()), connection) for f in _FIXED_FIELDS}
    day = ReminderDelivery._meta.get_field("digest_on")
    rows = [
        (i.deadline_id, i.hearing_id, day.get_db_prep_save(i.digest_on, connection), i.reminder, i.recipient_id,
         i.channel, i.agency_id, i.title[:300], i.body, i.url[:300], *fixed.values())
        for i in intended
    ]  # fmt: skip
    with transaction.atomic(), connection.cursor() as cursor:
        for sql, params in _inserts([*_VARYING, *fixed], rows):
            cursor.execute(sql, params)
    created = ReminderDelivery.objects.filter(created_by_sweep=token).order_by("id").values_list("id", "channel")
    return split_by_channel(list(created))


# The columns of an outbox row that differ from row to row, in the order deliveries_create gives them;
# every other concrete column takes one value for the whole sweep (its token, window, time or default).
_VARYING = (
    "deadline_id", "hearing_id", "digest_on", "reminder", "recipient_id", "channel", "agency_id", "title", "body",
    "url",
)  # fmt: skip
_FIXED_FIELDS = [f for f in ReminderDelivery._meta.concrete_fields if not f.primary_key and f.column not in _VARYING]


_FIELDS = {f.column: f for f in ReminderDelivery._meta.concrete_fields}
# Rows per INSERT on PostgreSQL: a handful of statements for a province's sweep, bounded memory.
_ARRAY_BATCH: Final = 5000


def _inserts(columns: list[str], rows: list[tuple[Any, ...]]) -> Iterator[tuple[str, list[Any]]]:
    """The INSERT ... ON CONFLICT DO NOTHING statements (SQLite: INSERT OR IGNORE) of ``rows``.

    PostgreSQL gets one array per column, unnested: psycopg formats every parameter of a
    statement in Python (client-side binding), and 23 parameters a row cost more than the
    insert itself. SQLite gets multi-row VALUES inside its 999 parameters.
    """
    ops = connection.ops
    head = f"{ops.insert_statement(on_conflict=OnConflict.IGNORE)} {ops.quote_name(ReminderDelivery._meta.db_table)}"
    head += " (" + ", ".join(ops.quote_name(c) for c in columns) + ")"
    tail = ops.on_conflict_suffix_sql([], OnConflict.IGNORE, [], [])
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%s::{_FIELDS[c].db_type(connection)}[]" for c in columns)
        for start in range(0, len(rows), _ARRAY_BATCH):
            chunk = rows[start : start + _ARRAY_BATCH]
            yield f"{head} SELECT * FROM unnest({arrays}) {tail}", [list(column) for column in zip(*chunk, strict=True)]
        return
    size = min(500, ops.bulk_batch_size(columns, rows))
    row_marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
    for start in range(0, len(rows), size):
        chunk = rows[start : start + size]
        values = ", ".join([row_marks] * len(chunk))
        yield f"{head} VALUES {values} {tail}".rstrip(), [value for row in chunk for value in row]


def split_by_channel(rows: Iterable[tuple[int, str]]) -> tuple[list[int], list[int]]:
    pairs = list(rows)
    in_app = [pk for pk, channel in pairs if channel == ReminderChannel.IN_APP]
    return in_app, [pk for pk, channel in pairs if channel != ReminderChannel.IN_APP]
