"""Counting working days by bisection agrees with walking the calendar day by day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casetracker.calendar import CalendarError, WorkdayCalendar

DAYS = st.dates(min_value=date(2004, 1, 1), max_value=date(2029, 12, 31))


def walked(calendar: WorkdayCalendar, start: date, end: date) -> int:
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += calendar.is_working_day(day)
    return count


@settings(max_examples=150, deadline=None)
@given(start=DAYS, span=st.integers(min_value=-10, max_value=900), rest_days=st.sets(DAYS, max_size=5))
def test_it_counts_the_same_working_days_as_a_walk_through_the_calendar(start, span, rest_days):
    calendar = WorkdayCalendar({d: False for d in rest_days})
    end = start + timedelta(days=span)
    assert calendar.working_days_between(start, end) == walked(calendar, start, end)


def test_it_counts_the_2025_national_day_week_as_rest():
    calendar = WorkdayCalendar()
    # 30 Sep (exclusive) .. 12 Oct 2025: 1-8 Oct rest, Sat 11 Oct worked, 9-10 Oct worked.
    assert calendar.working_days_between(date(2025, 9, 30), date(2025, 10, 12)) == 3


def test_it_refuses_to_count_from_before_the_calendar_starts():
    with pytest.raises(CalendarError):
        WorkdayCalendar().working_days_between(date(2002, 1, 1), date(2005, 1, 1))
