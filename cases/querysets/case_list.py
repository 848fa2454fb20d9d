"""The case list read as rows (issue 17): a page of cases as values, then one query each for
the page's handlers, open deadlines and hearings.

Building a model instance per case and per deadline, and wording every deadline on its own,
cost ~5 ms a case on the API list. Here a page's rows are dicts, and each open deadline's
words (urgency, days left, basis) are computed once per (rule, version, due day) on the page,
as the reminder words each due day once per batch (cases.services.reminder_words).

The hearing summary is CaseQuerySet.with_hearing_summary()'s, computed from the page's
hearings (one plain query) instead of six correlated subqueries: Django built and compiled
those in ~10 ms of CPU a page, against ~1.5 ms for the query (tests/api/test_case_list_rows.py
holds the two equal).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from cases.choices import HearingStatus
from cases.deadline_text import basis_text, days_left, days_left_text
from casetracker.calendar import WorkdayCalendar
from casetracker.periods import urgency_bounds

# (urgency, days_left, days_left_text, basis) of an open deadline.
Words = tuple[str, int, str, str]

OPEN_DEADLINE_COLUMNS = ("case_id", "id", "rule", "rule_version", "title", "due_on", "provisional", "is_bureau_duty")


class DeadlineWords:
    """The words of open deadlines as of ``today``, each (rule, version, due day) worded once.

    The urgency depends only on the due day (casetracker's UrgencyBounds, as
    DeadlineQuerySet.with_urgency() puts it in SQL), the days left on the due day and whether
    the rule counts working days, the basis on the rule version; a page of 200 cases has a
    few dozen of each.
    """

    def __init__(self, *, today: dt.date, calendar: WorkdayCalendar) -> None:
        self.today = today
        self.calendar = calendar
        self.bounds = urgency_bounds(today, calendar)
        self._words: dict[tuple[str, str, dt.date], Words] = {}

    def __call__(self, rule: str, version: str, due: dt.date) -> Words:
        key = (rule, version, due)
        words = self._words.get(key)
        if words is None:
            words = self._words[key] = (
                self.bounds.level(due).value,
                days_left(rule, version, due, self.today, self.calendar),
                days_left_text(rule, version, due, self.today, self.calendar),
                basis_text(rule, version),
            )
        return words


def open_deadlines_of(case_ids: Collection[int]) -> dict[int, list[dict[str, Any]]]:
    """The open deadlines (bureau duties and watched limits) of these cases, soonest first,
    as values by case id: one query."""
    from cases.models import Deadline

    rows = Deadline.objects.filter(case_id__in=case_ids).open().order_by("due_on", "id").values(*OPEN_DEADLINE_COLUMNS)
    by_case: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_case[row["case_id"]].append(row)
    return by_case


def handler_ids_of(case_ids: Collection[int]) -> dict[int, list[int]]:
    """The user ids of each case's handlers (承办人), in the order they were added: one query."""
    from cases.models import Case

    pairs = (
        Case.handlers.through.objects.filter(case_id__in=case_ids)
        .order_by("id").values_list("case_id", "user_id")
    )
    by_case: dict[int, list[int]] = defaultdict(list)
    for case_id, user_id in pairs:
        by_case[case_id].append(user_id)
    return by_case


@dataclass(frozen=True)
class HearingSummary:
    """CaseQuerySet.with_hearing_summary()'s columns of one case."""

    count: int = 0  # not cancelled
    held: int = 0
    leader_attended: bool = False  # a responsible person attended a held hearing
    next_id: int | None = None  # the next scheduled hearing from now
    next_at: dt.datetime | None = None
    next_leader_id: int | None = None


def hearing_summaries_of(case_ids: Collection[int], *, now: dt.datetime) -> dict[int, HearingSummary]:
    """The hearing summary of each of these cases (absent: no hearing): one query."""
    from cases.models import Hearing

    rows = (
        Hearing.objects.filter(case_id__in=case_ids, archived_at__isnull=True)
        .order_by("scheduled_at", "id")
        .values_list("case_id", "id", "status", "scheduled_at", "responsible_person_id", "expected_leader_id")
    )
    by_case: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        by_case[row[0]].append(row)
    return {case_id: _summary(hearings, now) for case_id, hearings in by_case.items()}


def _summary(hearings: list[tuple[Any, ...]], now: dt.datetime) -> HearingSummary:
    held = [h for h in hearings if h[2] == HearingStatus.HELD]
    # Soonest first (the query's order), so the first scheduled one from now is the next.
    upcoming = next((h for h in hearings if h[2] == HearingStatus.SCHEDULED and h[3] >= now), None)
    return HearingSummary(
        count=sum(1 for h in hearings if h[2] != HearingStatus.CANCELLED),
        held=len(held),
        leader_attended=any(h[4] is not None for h in held),
        next_id=upcoming[1] if upcoming else None,
        next_at=upcoming[3] if upcoming else None,
        next_leader_id=upcoming[5] if upcoming else None,
    )
