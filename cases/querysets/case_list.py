"""The case list read as rows (issue 17): a page of cases as values, then one query each for
the page's handlers and its open deadlines.

Building a model instance per case and per deadline, and wording every deadline on its own,
cost ~5 ms a case on the API list. Here a page's rows are dicts, and each open deadline's
words (days left, basis) are computed once per (rule, version, due day) on the page, as the
reminder sweep words each due day once (cases.services.reminders._Lookup.words). The
derived columns themselves (the hearing summary) stay CaseQuerySet's annotations.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from typing import Any

from cases.deadline_text import basis_text, days_left, days_left_text
from casetracker.calendar import WorkdayCalendar

# (days_left, days_left_text, basis) of an open deadline.
Words = tuple[int, str, str]

OPEN_DEADLINE_COLUMNS = (
    "case_id", "id", "rule", "rule_version", "title", "due_on", "urgency", "provisional", "is_bureau_duty",
)


class DeadlineWords:
    """The words of open deadlines as of ``today``, each (rule, version, due day) worded once.

    The days left depend only on the due day and whether the rule counts working days,
    the basis only on the rule version; a page of 200 cases has a few dozen of each.
    """

    def __init__(self, *, today: dt.date, calendar: WorkdayCalendar) -> None:
        self.today = today
        self.calendar = calendar
        self._words: dict[tuple[str, str, dt.date], Words] = {}

    def __call__(self, rule: str, version: str, due: dt.date) -> Words:
        key = (rule, version, due)
        words = self._words.get(key)
        if words is None:
            words = self._words[key] = (
                days_left(rule, version, due, self.today, self.calendar),
                days_left_text(rule, version, due, self.today, self.calendar),
                basis_text(rule, version),
            )
        return words


def open_deadlines_of(
    case_ids: Collection[int], *, today: dt.date, calendar: WorkdayCalendar
) -> dict[int, list[dict[str, Any]]]:
    """The open deadlines (bureau duties and watched limits) of these cases, soonest first,
    as values with their ``urgency`` (DeadlineQuerySet.with_urgency), by case id: one query."""
    from cases.models import Deadline

    rows = (
        Deadline.objects.filter(case_id__in=case_ids).open().with_urgency(today=today, calendar=calendar)
        .order_by("due_on", "id").values(*OPEN_DEADLINE_COLUMNS)
    )
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
