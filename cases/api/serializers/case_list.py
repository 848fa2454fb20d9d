"""GET /api/cases/ as CaseSerializer would answer it, from rows read as values (issue 17).

CaseSerializer stays the contract (the schema and every single-case answer). A list page
reads only the columns it shows (``CaseRows.columns``), the page's handlers, open deadlines
and hearings in one query each (cases.querysets.case_list), and formats each row by the kind
of the serializer's field, without DRF's per-row attribute lookups; the keys and values are
the serializer's (tests/api/test_case_list_rows.py compares the two).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from cases.api.serializers import CaseSerializer
from cases.choices import Status
from cases.models import Deadline
from cases.querysets.case_list import (
    DeadlineWords,
    HearingSummary,
    handler_ids_of,
    hearing_summaries_of,
    open_deadlines_of,
)
from casetracker.calendar import WorkdayCalendar
from casetracker.outcomes import current_bucket

# CaseSerializer's fields that are not a column of the case as is.
_AGENCY, _HANDLERS, _BUCKET, _DEADLINES, _HEARINGS = "agency", "handlers", "bucket", "deadlines", "hearings"
_NO_HEARINGS = HearingSummary()


# Fields whose representation of a value read from the database is the value itself
# (str(str), int(int), a choice's own code, a relation's id).
_AS_IS = (serializers.CharField, serializers.ChoiceField, serializers.IntegerField, serializers.BooleanField,
          serializers.RelatedField)
_SAME, _DATE, _DATETIME = "same", "date", "datetime"


class CaseRows:
    """The plan of a list row: for each key of CaseSerializer, the column it reads and how it is formatted."""

    def __init__(self) -> None:
        fields = CaseSerializer().fields
        self.keys = list(fields)
        self.plain: list[tuple[str, str, str]] = []
        for key, field in fields.items():
            if key not in (_AGENCY, _HANDLERS, _BUCKET, _DEADLINES, _HEARINGS):
                self.plain.append((key, field.source, _kind(field)))
        self.columns = ["id", "agency_code", *(c for _, c, _k in self.plain if c != "id")]

    def represent(self, rows: Iterable[dict[str, Any]], *, today: dt.date,
                  calendar: WorkdayCalendar) -> list[dict[str, Any]]:
        rows = list(rows)
        ids = [row["id"] for row in rows]
        if not ids:
            return []
        handlers = handler_ids_of(ids)
        deadlines = open_deadlines_of(ids)
        hearings = hearing_summaries_of(ids, now=timezone.now())
        words = DeadlineWords(today=today, calendar=calendar)
        zone = timezone.get_current_timezone()
        return [
            self._row(row, handlers.get(row["id"], []), deadlines.get(row["id"], []),
                      hearings.get(row["id"], _NO_HEARINGS), words, zone)
            for row in rows
        ]

    def _row(self, row: dict[str, Any], handlers: list[int], deadlines: list[dict[str, Any]],
             hearings: HearingSummary, words: DeadlineWords, zone: dt.tzinfo) -> dict[str, Any]:
        out = dict.fromkeys(self.keys)  # CaseSerializer's key order
        for key, column, kind in self.plain:
            value = row[column]
            if value is None or kind == _SAME:
                out[key] = value
            elif kind == _DATE:
                out[key] = value.isoformat()
            else:
                out[key] = _datetime(value, zone)
        out[_AGENCY] = row["agency_code"]  # CaseQuerySet.with_agency_code()
        out[_HANDLERS] = handlers
        out[_BUCKET] = current_bucket(row["outcome"], concluded=row["status"] == Status.CONCLUDED).value
        out[_DEADLINES] = [_deadline(d, words) for d in deadlines]
        next_id = hearings.next_id
        out[_HEARINGS] = {  # CaseSerializer.get_hearings()
            "count": hearings.count,
            "held": hearings.held,
            "leader_attended": hearings.leader_attended,
            "next_id": next_id,
            "next_at": _datetime(hearings.next_at, zone) if hearings.next_at is not None else None,
            "leader_arranged": (hearings.next_leader_id is not None) if next_id else None,
        }
        return out


def _kind(field: serializers.Field) -> str:
    if isinstance(field, serializers.DateTimeField):
        return _DATETIME
    if isinstance(field, serializers.DateField):
        return _DATE
    if isinstance(field, _AS_IS):
        return _SAME
    raise TypeError(f"CaseRows cannot format {field!r}: add it to the plan")


def _datetime(value: dt.datetime, zone: dt.tzinfo) -> str:
    """serializers.DateTimeField's ISO 8601 in the current time zone, with Z for UTC, without its
    per-value time zone lookup."""
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _deadline(row: dict[str, Any], words: DeadlineWords) -> dict[str, Any]:
    """OpenDeadlineSerializer's answer for an open deadline read as values."""
    urgency, left, left_text, basis = words(row["rule"], row["rule_version"], row["due_on"])
    return {
        "id": row["id"],
        "rule": row["rule"],
        "rule_version": row["rule_version"],
        "title": Deadline.title_of(row["title"], row["rule"]),
        "due_on": row["due_on"].isoformat(),
        "urgency": urgency,
        "days_left": left,
        "days_left_text": left_text,
        "basis": basis,
        "provisional": row["provisional"],
        "is_bureau_duty": row["is_bureau_duty"],
    }


@cache
def case_rows() -> CaseRows:
    """One plan per process: the serializer's fields do not change at run time."""
    return CaseRows()
