"""The hearings calendar: which hearings and bureau deadlines fall in a month or week.

Shared by the calendar page and the personal .ics feed, so both show the same
items: hearings of visible, not archived cases, and the bureau's own deadlines
(watched limits of the court or reviewing body are left out).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from cases.models import Deadline, Hearing
from casetracker.calendar import CalendarError, WorkdayCalendar


@dataclass
class Day:
    day: dt.date
    in_period: bool
    is_today: bool
    rest_day: bool
    hearings: list[Any]
    deadlines: list[Any]


def _mine_hearings(user: Any) -> Q:
    return Q(case__handlers=user) | Q(expected_leader=user) | Q(responsible_person=user)


def hearings_between(user: Any, start: dt.date, end: dt.date, *, mine: bool = False) -> Any:
    """Hearings of visible cases from ``start`` to ``end`` (inclusive, local days)."""
    tz = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    queryset = Hearing.objects.for_user(user).active().filter(scheduled_at__gte=since, scheduled_at__lt=until)
    if mine:
        queryset = queryset.filter(_mine_hearings(user)).distinct()
    return queryset.select_related("case", "expected_leader", "responsible_person").order_by("scheduled_at", "id")


def deadlines_between(user: Any, start: dt.date, end: dt.date, *, mine: bool = False) -> Any:
    """The bureau's deadlines of visible, not archived cases due from ``start`` to ``end``."""
    queryset = (
        Deadline.objects.for_user(user).bureau()
        .filter(case__archived_at__isnull=True, due_on__gte=start, due_on__lte=end)
    )
    if mine:
        queryset = queryset.filter(case__handlers=user).distinct()
    return queryset.select_related("case").order_by("due_on", "id")


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def week_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def grid(
    user: Any, view: str, anchor: dt.date, calendar: WorkdayCalendar, *, mine: bool = False
) -> tuple[list[list[Day]], dt.date, dt.date]:
    """Weeks (Monday first) of Days covering the month or week around ``anchor``."""
    first, last = month_bounds(anchor) if view == "month" else week_bounds(anchor)
    start = first - dt.timedelta(days=first.weekday())
    end = last + dt.timedelta(days=6 - last.weekday())
    by_day_h: dict[dt.date, list[Any]] = defaultdict(list)
    for hearing in hearings_between(user, start, end, mine=mine):
        by_day_h[timezone.localtime(hearing.scheduled_at).date()].append(hearing)
    by_day_d: dict[dt.date, list[Any]] = defaultdict(list)
    for deadline in deadlines_between(user, start, end, mine=mine):
        by_day_d[deadline.due_on].append(deadline)
    today = timezone.localdate()
    weeks, day = [], start
    while day <= end:
        week = []
        for _ in range(7):
            week.append(Day(day, first <= day <= last, day == today, _rest(calendar, day),
                            by_day_h.get(day, []), by_day_d.get(day, [])))
            day += dt.timedelta(days=1)
        weeks.append(week)
    return weeks, first, last


def _rest(calendar: WorkdayCalendar, day: dt.date) -> bool:
    try:
        return not calendar.is_working_day(day)
    except CalendarError:
        return day.weekday() >= 5
