"""The reminder schedule as plain arithmetic on the working-day calendar (casetracker.reminders)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from casetracker.calendar import WorkdayCalendar
from casetracker.reminders import deadline_reminder_at, deadline_schedule, hearing_reminder_at

CALENDAR = WorkdayCalendar()  # the package's holidays (National Day 2025: 1-8 October)
LEADS = {"working_days": [5], "days": [3, 1, 0]}


def test_it_counts_the_working_day_lead_across_the_national_day_holiday():
    schedule = deadline_schedule(date(2025, 10, 13), CALENDAR, **LEADS)
    assert schedule[0] == (date(2025, 9, 29), "lead_5wd")  # 30 Sep, 29 Sep, 28 Sep (worked Sunday) ...
    assert [key for _, key in schedule] == ["lead_5wd", "lead_3d", "lead_1d", "due_day"]


def test_an_overdue_reminder_waits_for_the_first_working_day_after_the_due_day():
    assert deadline_reminder_at(date(2025, 9, 30), date(2025, 10, 8), CALENDAR, **LEADS) == "due_day@2025-09-30"
    assert deadline_reminder_at(date(2025, 9, 30), date(2025, 10, 9), CALENDAR, **LEADS) == "overdue_2025-10-09"


def test_a_hearing_gets_only_its_latest_lead():
    assert hearing_reminder_at(date(2025, 11, 10), date(2025, 11, 8), days=[5, 3, 1]) == "hearing_3d"
    assert hearing_reminder_at(date(2025, 11, 10), date(2025, 11, 11), days=[5, 3, 1]) is None


@given(due=st.dates(date(2025, 1, 10), date(2026, 12, 20)), before=st.integers(0, 20))
def test_at_most_one_reminder_applies_and_it_has_already_fired(due, before):
    today = due - timedelta(days=before)
    key = deadline_reminder_at(due, today, CALENDAR, **LEADS)
    fired = {k: d for d, k in deadline_schedule(due, CALENDAR, **LEADS)}
    assert key is None or fired[key.split("@")[0]] <= today
