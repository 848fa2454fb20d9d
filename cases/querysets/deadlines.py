"""Reads for deadlines: open, bureau duties versus watched ones, urgency levels."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Case as SqlCase
from django.db.models import Value, When
from django.utils import timezone

from cases.choices import DeadlineStatus, DeadlineUrgency
from cases.querysets.scoped import ScopedQuerySet
from casetracker.calendar import WorkdayCalendar
from casetracker.periods import MANUAL, UrgencyBounds, urgency_bounds

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from cases.models.deadlines import Deadline  # noqa: F401


def urgency_expression(bounds: UrgencyBounds) -> SqlCase:
    """SQL CASE giving an open deadline's level (DeadlineUrgency) for the given bounds.

    The bounds come from the working-day calendar in Python, so the database only
    compares dates: overdue < today <= due_3_working_days <= due_7_days < later.
    """
    return SqlCase(
        When(due_on__lt=bounds.today, then=Value(DeadlineUrgency.OVERDUE.value)),
        When(due_on__lte=bounds.last_3_working_days, then=Value(DeadlineUrgency.DUE_3_WORKING_DAYS.value)),
        When(due_on__lte=bounds.last_7_days, then=Value(DeadlineUrgency.DUE_7_DAYS.value)),
        default=Value(DeadlineUrgency.LATER.value),
        output_field=models.CharField(),
    )


class DeadlineQuerySet(ScopedQuerySet["Deadline"]):
    agency_lookup = "case__agency_id"

    def open(self) -> DeadlineQuerySet:
        return self.filter(status=DeadlineStatus.OPEN)

    def bureau(self) -> DeadlineQuerySet:
        """The bureau's own duties: reminded, and they must be met."""
        return self.filter(is_bureau_duty=True)

    def watched(self) -> DeadlineQuerySet:
        """Limits of the court, the reviewing body or the other side: watched, not reminded."""
        return self.filter(is_bureau_duty=False)

    def overdue(self, *, today: dt.date | None = None) -> DeadlineQuerySet:
        """Open bureau duties whose due day has passed: what makes a case overdue (已逾期).

        The one definition: CaseQuerySet.overdue(), the dashboard and the API read it.
        """
        return self.open().bureau().filter(due_on__lt=today or timezone.localdate())

    def due_soon(self, *, today: dt.date, calendar: WorkdayCalendar) -> DeadlineQuerySet:
        """Open bureau duties due from today to the third working day after it (DUE_3_WORKING_DAYS)."""
        bounds = urgency_bounds(today, calendar)
        return self.open().bureau().filter(due_on__gte=today, due_on__lte=bounds.last_3_working_days)

    def of_cases_handled_by(self, user: User) -> DeadlineQuerySet:
        """Deadlines of the cases the user is a handler (承办人) of."""
        return self.filter(case__handlers=user)

    def computed(self) -> DeadlineQuerySet:
        return self.exclude(rule=MANUAL)

    def manual(self) -> DeadlineQuerySet:
        return self.filter(rule=MANUAL)

    def touching_years(self, first_year: int, last_year: int) -> DeadlineQuerySet:
        """Deadlines whose counting can involve a day of these years (trigger .. due)."""
        return self.filter(due_on__gte=dt.date(first_year, 1, 1), trigger_on__lte=dt.date(last_year, 12, 31))

    def with_urgency(
        self, *, today: dt.date | None = None, calendar: WorkdayCalendar | None = None
    ) -> DeadlineQuerySet:
        """Annotate ``urgency`` (a DeadlineUrgency code) as of today on the given calendar.

        Meaningful on open deadlines; the calendar defaults to the database one.
        """
        if calendar is None:
            from cases.services.calendar import workday_calendar

            calendar = workday_calendar()
        bounds = urgency_bounds(today or timezone.localdate(), calendar)
        return self.annotate(urgency=urgency_expression(bounds))
