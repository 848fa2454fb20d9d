"""Reads of the 今日待办 home: a staff member's own work, as of today.

"Own" means the cases the user is a handler (承办人) of. Each list is one query
(scoped with ``for_user``, related rows joined), so the page costs the same
number of queries whatever the number of rows. Cases nobody handles yet are read
separately (``unassigned_cases``) and shown in a note of their own: they are
nobody's work until someone takes them, but their deadlines run all the same.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import F, Q

from casetracker.calendar import WorkdayCalendar
from casetracker.periods import urgency_bounds

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from cases.models import Case, Deadline, FollowUp, Hearing, LedgerImport

# Rows shown per list: a day's work fits; a longer list says so and links to the ledger.
ROWS_SHOWN = 50
# "This week's hearings": the next seven days, so Friday's list shows next Monday's hearings.
HEARING_DAYS = 7


@dataclass(frozen=True)
class TodaysWork:
    """What the 今日待办 page lists, each list soonest first."""

    today: dt.date
    overdue: list[Deadline]
    due_soon: list[Deadline]
    hearings: list[Hearing]
    needing_record: list[Hearing]
    after_conclusion: list[Hearing]
    imports: list[LedgerImport]
    follow_ups: list[FollowUp]
    unassigned: list[Case]

    @property
    def waiting_count(self) -> int:
        return len(self.imports) + len(self.follow_ups)

    @property
    def own_count(self) -> int:
        """Items of the user's own work (the unassigned note is not counted)."""
        lists: tuple[list[Any], ...] = (
            self.overdue, self.due_soon, self.hearings, self.needing_record, self.after_conclusion,
            self.imports, self.follow_ups,
        )
        return sum(len(rows) for rows in lists)


def _own_agency_id(user: User) -> int | None:
    member = getattr(user, "membership", None)
    return None if member is None else int(member.agency_id)


def _deadlines(user: User, today: dt.date, calendar: WorkdayCalendar) -> tuple[list[Deadline], list[Deadline]]:
    from cases.models import Deadline

    mine = Deadline.objects.for_user(user).of_cases_handled_by(user).filter(case__archived_at__isnull=True)
    ordered = ("due_on", "id")
    overdue = mine.overdue(today=today).select_related("case").order_by(*ordered)[:ROWS_SHOWN]
    soon = mine.due_soon(today=today, calendar=calendar).select_related("case").order_by(*ordered)[:ROWS_SHOWN]
    return list(overdue), list(soon)


def _hearings(user: User) -> tuple[list[Hearing], list[Hearing], list[Hearing]]:
    from cases.models import Hearing

    mine = Hearing.objects.for_user(user).of_cases_handled_by(user).select_related("case").order_by("scheduled_at", "id")
    coming = mine.upcoming(HEARING_DAYS).select_related("expected_leader")[:ROWS_SHOWN]
    return list(coming), list(mine.needing_record()[:ROWS_SHOWN]), list(mine.scheduled_after_conclusion()[:ROWS_SHOWN])


def _follow_ups(user: User, last_day: dt.date) -> list[FollowUp]:
    """Letters to answer by ``last_day``: on the user's cases, or addressed to their agency without a case."""
    from cases.models import FollowUp

    own = Q(case__handlers=user)
    agency_id = _own_agency_id(user)
    if agency_id is not None:
        own |= Q(case__isnull=True, agency_id=agency_id)
    letters = FollowUp.objects.for_user(user).active().due_by(last_day).filter(own)
    return list(letters.select_related("case").order_by("due_on", "id")[:ROWS_SHOWN])


def unassigned_cases(user: User, *, today: dt.date, calendar: WorkdayCalendar) -> list[Case]:
    """Open cases of the user's own agency that nobody handles, with their next deadline, soonest first."""
    from cases.models import Case

    agency_id = _own_agency_id(user)
    if agency_id is None:
        return []
    cases = Case.objects.for_user(user).active().open().unassigned().filter(agency_id=agency_id)
    annotated = cases.with_next_deadline(today=today, calendar=calendar)
    return list(annotated.order_by(F("next_due").asc(nulls_last=True), "id")[:ROWS_SHOWN])


def todays_work(user: User, *, today: dt.date, calendar: WorkdayCalendar) -> TodaysWork:
    """The user's own work as of ``today``: nine queries, whatever the number of rows."""
    from cases.models import LedgerImport

    overdue, due_soon = _deadlines(user, today, calendar)
    hearings, needing_record, after_conclusion = _hearings(user)
    imports = LedgerImport.objects.for_user(user).started_by(user).awaiting_confirmation()
    return TodaysWork(
        today=today, overdue=overdue, due_soon=due_soon, hearings=hearings, needing_record=needing_record,
        after_conclusion=after_conclusion, imports=list(imports.order_by("-created_at", "-id")[:ROWS_SHOWN]),
        follow_ups=_follow_ups(user, urgency_bounds(today, calendar).last_7_days),
        unassigned=unassigned_cases(user, today=today, calendar=calendar),
    )
