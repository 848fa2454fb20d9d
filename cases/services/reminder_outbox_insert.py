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
from cases.services.reminder_recipients import (
    SINGLES_COLUMNS,
    SINGLES_ORDER,
    DueKey,
    due_sources,
    recipients_with,
    singles_select,
)

__all__ = ["Intended", "deliveries_create", "deliveries_created", "deliveries_insert_due", "split_by_channel"]


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


def deliveries_create(intended: Sequence[Intended], *, token: str, now: dt.datetime | None = None) -> None:
    """INSERT the rows that do not exist yet (the daily digests: worded by the sweep).

    INSERT ... ON CONFLICT DO NOTHING (SQLite: INSERT OR IGNORE) from plain tuples, the
    constant columns prepared once (``_fixed``): building a model instance per row and
    preparing its 23 fields one by one was most of a sweep's write (issue 17). The unique
    constraints still decide what exists; ``deliveries_created`` tells the sweep which rows it made.
    """
    if not intended:
        return
    fixed = _fixed(token, now or timezone.now())
    day = ReminderDelivery._meta.get_field("digest_on")
    rows = [
        (i.deadline_id, i.hearing_id, day.get_db_prep_save(i.digest_on, connection), i.reminder, i.recipient_id,
         i.channel, i.agency_id, i.title[:300], i.body, i.url[:300], *fixed.values())
        for i in intended
    ]  # fmt: skip
    with transaction.atomic(), connection.cursor() as cursor:
        for sql, params in _inserts([*_VARYING, *fixed], rows):
            cursor.execute(sql, params)


def deliveries_insert_due(keys: Sequence[DueKey], *, token: str, now: dt.datetime) -> int:
    """INSERT ... SELECT ... ON CONFLICT DO NOTHING the single rows of the due ``keys``, their
    recipients and channels resolved by the database (``cases.services.reminder_recipients``);
    how many single rows the policy wants, existing ones included.

    The rows are written without words (title, body and link empty): whoever first sends a row
    words it (``cases.services.reminder_words``), so a sweep that finds every reminder sent
    already words nothing and builds nothing per row (issue 17). One COUNT and one INSERT per
    chunk of keys (all of them on PostgreSQL; SQLite's 999 parameters make chunks of ~120).
    """
    if not keys:
        return 0
    fixed = {"digest_on": None, "title": "", "body": "", "url": "", **_fixed(token, now)}
    ops = connection.ops
    table = ops.quote_name(ReminderDelivery._meta.db_table)
    columns = ", ".join(ops.quote_name(c) for c in (*SINGLES_COLUMNS, *fixed))
    insert = (
        f"{ops.insert_statement(on_conflict=OnConflict.IGNORE)} {table} ({columns})"
        f" SELECT {', '.join(SINGLES_COLUMNS)}, {', '.join(_typed(c) for c in fixed)} FROM wanted {SINGLES_ORDER}"
        f" {ops.on_conflict_suffix_sql([], OnConflict.IGNORE, [], [])}"
    )
    wanted = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for source, params in due_sources(keys, reserve=40):
            with_sql, with_params = recipients_with(source)
            select, select_params = singles_select()
            head = [*params, *with_params, *select_params]
            if connection.vendor == "postgresql":
                # One statement: the recipients are resolved once for the count and the INSERT.
                cursor.execute(
                    f"{with_sql}, wanted AS ({select}), inserted AS ({insert}) SELECT COUNT(*) FROM wanted",
                    [*head, *fixed.values()],
                )
                wanted += int(cursor.fetchone()[0])
                continue
            cursor.execute(f"{with_sql} SELECT COUNT(*) FROM ({select}) wanted", head)
            wanted += int(cursor.fetchone()[0])
            cursor.execute(f"{with_sql}, wanted AS ({select}) {insert}", [*head, *fixed.values()])
    return wanted


def deliveries_created(token: str) -> tuple[list[int], list[int]]:
    """(in-app ids, e-mail and webhook ids) of the rows the sweep of ``token`` inserted."""
    created = ReminderDelivery.objects.filter(created_by_sweep=token).order_by("id").values_list("id", "channel")
    return split_by_channel(list(created))


def _fixed(token: str, now: dt.datetime) -> dict[str, Any]:
    """Every column of the sweep's rows that takes one value for all of them, prepared for the database."""
    # The creator's exclusive window: nobody else's sweep recovers the row before it.
    window = now + dt.timedelta(seconds=settings.REMINDER_CLAIM_LEASE)
    given = {"created_by_sweep": token, "next_attempt_at": window, "created_at": now}
    return {str(f.column): f.get_db_prep_save(given.get(f.name, f.get_default()), connection) for f in _FIXED_FIELDS}


def _typed(column: str) -> str:
    # PostgreSQL types a parameter in a SELECT list as text, which a timestamp column refuses.
    if connection.vendor == "postgresql":
        return f"%s::{_FIELDS[column].db_type(connection)}"
    return "%s"


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
