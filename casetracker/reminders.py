"""When reminders fire: the pure schedule arithmetic, on the working-day calendar.

The lead times are parameters (the tracker passes its REMINDER_* settings); the
sweep that writes delivery rows and sends them is cases.services.reminders.

Reminder keys: ``lead_<n>wd`` (n working days before), ``lead_<n>d`` (n calendar
days before), ``due_day``, ``overdue_<last working day>``, ``hearing_<n>d``.
Only the latest applicable reminder of an item is due, so a sweep after downtime
sends one message, not one per missed lead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from casetracker.calendar import FIRST_YEAR, WorkdayCalendar

__all__ = ["deadline_reminder_at", "deadline_schedule", "due_horizon", "hearing_reminder_at"]

_FIRST_DAY = dt.date(FIRST_YEAR, 1, 1)


def _working_day_before(day: dt.date, n: int, calendar: WorkdayCalendar) -> dt.date:
    """The n-th working day before ``day`` (``day`` itself not counted)."""
    remaining = n
    while remaining and day > _FIRST_DAY:  # the calendar cannot answer before 2004
        day -= dt.timedelta(days=1)
        remaining -= calendar.is_working_day(day)
    return day


def _last_working_day(after: dt.date, through: dt.date, calendar: WorkdayCalendar) -> dt.date | None:
    """The latest working day in (after, through], or None."""
    day = through
    while day > after:
        if calendar.is_working_day(day):
            return day
        day -= dt.timedelta(days=1)
    return None


def deadline_schedule(
    due_on: dt.date, calendar: WorkdayCalendar, *, working_days: Iterable[int], days: Iterable[int]
) -> list[tuple[dt.date, str]]:
    """(fire day, reminder) of the lead reminders, earliest first; ties go to the later lead."""
    leads = [(_working_day_before(due_on, n, calendar), f"lead_{n}wd") for n in working_days]
    leads += [(due_on - dt.timedelta(days=n), "due_day" if n == 0 else f"lead_{n}d") for n in sorted(days, reverse=True)]
    return sorted(leads, key=lambda item: item[0])  # stable: same-day leads keep their order


def deadline_reminder_at(
    due_on: dt.date, today: dt.date, calendar: WorkdayCalendar, *, working_days: Iterable[int], days: Iterable[int]
) -> str | None:
    """The reminder of a deadline due on ``due_on`` that applies on ``today``, if any."""
    if today > due_on:
        overdue_day = _last_working_day(due_on, today, calendar)
        if overdue_day is not None:
            return f"overdue_{overdue_day.isoformat()}"
    schedule = deadline_schedule(due_on, calendar, working_days=working_days, days=days)
    fired = [key for day, key in schedule if day <= today]
    return f"{fired[-1]}@{due_on.isoformat()}" if fired else None


def hearing_reminder_at(hearing_on: dt.date, today: dt.date, *, days: Iterable[int]) -> str | None:
    """The lead reminder (without its ``@<time>``) of a hearing on ``hearing_on`` that applies on ``today``."""
    fired = [
        f"hearing_{n}d" for n in sorted(days, reverse=True) if hearing_on - dt.timedelta(days=n) <= today <= hearing_on
    ]
    return fired[-1] if fired else None


def due_horizon(today: dt.date, calendar: WorkdayCalendar, *, working_days: Iterable[int], days: Iterable[int]) -> dt.date:
    """The latest due day any lead reminder can already apply to on ``today``."""
    horizon = today + dt.timedelta(days=max([0, *days]))
    working = max([0, *working_days])
    if working:
        horizon = max(horizon, calendar.nth_working_day_after(today, working)[0])
    return horizon
