"""The working-day calendar: package data, administrator overrides, provisional years."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casetracker.calendar import (
    FIRST_YEAR,
    PACKAGE_LAST_YEAR,
    CalendarError,
    WorkdayCalendar,
    statutory_holidays,
)

PACKAGE = WorkdayCalendar()

# Days checked against the State Council General Office notices for each year
# (国务院办公厅关于部分节假日安排的通知) and the chinese_calendar 1.11 data.
WORKING_DAY_TABLE = [
    (date(2024, 9, 29), True, "Sunday worked before the 2024 National Day week"),
    (date(2024, 10, 1), False, "2024 National Day"),
    (date(2024, 10, 7), False, "last day of the 2024 National Day week"),
    (date(2024, 10, 12), True, "Saturday worked after the 2024 National Day week"),
    (date(2024, 10, 19), False, "an ordinary Saturday"),
    (date(2025, 1, 26), True, "Sunday worked before Spring Festival 2025"),
    (date(2025, 1, 28), False, "New Year's Eve 2025 (除夕)"),
    (date(2025, 2, 4), False, "last day of Spring Festival 2025"),
    (date(2025, 2, 8), True, "Saturday worked after Spring Festival 2025"),
    (date(2025, 4, 27), True, "Sunday worked before Labour Day 2025"),
    (date(2025, 5, 5), False, "last day of Labour Day 2025"),
    (date(2026, 1, 2), False, "New Year holiday 2026"),
    (date(2026, 1, 4), True, "Sunday worked after New Year's Day 2026"),
    (date(2026, 2, 14), True, "Saturday worked before Spring Festival 2026"),
    (date(2026, 2, 23), False, "last day of Spring Festival 2026"),
    (date(2026, 2, 28), True, "Saturday worked after Spring Festival 2026"),
    (date(2026, 5, 9), True, "Saturday worked after Labour Day 2026"),
    (date(2026, 9, 20), True, "Sunday worked before the 2026 National Day week"),
    (date(2026, 9, 25), False, "Mid-autumn Festival 2026"),
    (date(2026, 10, 7), False, "last day of the 2026 National Day week"),
    (date(2026, 10, 10), True, "Saturday worked after the 2026 National Day week"),
    (date(2026, 10, 12), True, "an ordinary Monday"),
]


@pytest.mark.parametrize(("day", "working", "why"), WORKING_DAY_TABLE)
def test_it_follows_the_official_arrangement(day: date, working: bool, why: str) -> None:
    assert PACKAGE.is_working_day(day) is working, why


def test_it_covers_the_package_years_and_no_later_one() -> None:
    assert PACKAGE_LAST_YEAR == 2026
    assert PACKAGE.covers(FIRST_YEAR)
    assert PACKAGE.covers(2026)
    assert not PACKAGE.covers(2027)
    assert not PACKAGE.covers(FIRST_YEAR - 1)


def test_it_lets_an_administrator_override_win_over_the_package() -> None:
    calendar = WorkdayCalendar({date(2026, 10, 8): False, date(2026, 10, 1): True})
    assert not calendar.is_working_day(date(2026, 10, 8))
    assert calendar.is_working_day(date(2026, 10, 1))


def test_it_falls_back_to_weekends_and_the_fixed_statutory_holidays_in_an_uncovered_year() -> None:
    assert not PACKAGE.is_working_day(date(2027, 1, 1))  # a Friday, but 元旦 (放假办法 Art. 2)
    assert not PACKAGE.is_working_day(date(2027, 1, 2))
    assert PACKAGE.is_working_day(date(2027, 1, 4))
    assert PACKAGE.is_provisional(date(2027, 1, 1))


# The fixed holidays of 放假办法 Art. 2 (2025 text) in 2027 and 2028, from the lunar calendar:
# Spring Festival 2027 on 6 Feb (除夕 5 Feb), 2028 on 26 Jan; 清明 5 Apr 2027 and 4 Apr 2028.
STATUTORY_2027 = {
    date(2027, 1, 1), date(2027, 2, 5), date(2027, 2, 6), date(2027, 2, 7), date(2027, 2, 8), date(2027, 4, 5),
    date(2027, 5, 1), date(2027, 5, 2), date(2027, 6, 9), date(2027, 9, 15), date(2027, 10, 1), date(2027, 10, 2),
    date(2027, 10, 3),
}  # fmt: skip


def test_it_derives_the_thirteen_statutory_holidays_of_a_year_from_the_lunar_calendar() -> None:
    assert statutory_holidays(2027) == STATUTORY_2027
    assert {date(2028, 1, 25), date(2028, 1, 28), date(2028, 4, 4), date(2028, 5, 28), date(2028, 10, 3)} <= (
        statutory_holidays(2028)
    )
    # 中秋 2028 falls on 3 Oct, inside 国庆: twelve distinct days that year.
    assert len(statutory_holidays(2028)) == 12


def test_the_lunar_library_agrees_with_the_official_notices_the_package_carries() -> None:
    # Every fixed statutory holiday of 2025 and 2026 is a rest day in the State Council's notices.
    for year in (2025, 2026):
        assert not any(PACKAGE.is_working_day(day) for day in statutory_holidays(year)), year


def test_it_takes_no_statutory_holiday_for_granted_once_the_full_notice_is_loaded() -> None:
    calendar = WorkdayCalendar({date(2027, 1, 4): False}, loaded_years={2027})
    assert calendar.is_working_day(date(2027, 1, 1)) and not calendar.is_working_day(date(2027, 1, 4))


def test_it_treats_a_year_with_an_override_as_loaded_by_default() -> None:
    calendar = WorkdayCalendar({date(2027, 1, 1): False})
    assert calendar.covers(2027)
    assert not calendar.is_working_day(date(2027, 1, 1))


def test_it_keeps_a_year_provisional_when_it_was_not_loaded_explicitly() -> None:
    calendar = WorkdayCalendar({date(2027, 1, 1): False}, loaded_years=set())
    assert not calendar.covers(2027)
    assert not calendar.is_working_day(date(2027, 1, 1))


def test_it_covers_an_explicitly_loaded_year_without_overrides() -> None:
    assert WorkdayCalendar(loaded_years={2028}).covers(2028)


def test_it_rejects_a_date_before_the_first_year() -> None:
    with pytest.raises(CalendarError, match="before 2004"):
        PACKAGE.is_working_day(date(2003, 12, 31))


def test_it_rejects_an_override_before_the_first_year() -> None:
    with pytest.raises(CalendarError, match="before 2004"):
        WorkdayCalendar({date(1999, 10, 1): False})


def test_it_finds_the_tenth_working_day_after_the_2024_national_day_week_starts() -> None:
    assert PACKAGE.nth_working_day_after(date(2024, 9, 27), 10) == (date(2024, 10, 16), False)


def test_it_skips_spring_festival_2025_but_counts_its_working_weekend_days() -> None:
    assert PACKAGE.nth_working_day_after(date(2025, 1, 24), 2) == (date(2025, 1, 27), False)
    assert PACKAGE.nth_working_day_after(date(2025, 1, 24), 6) == (date(2025, 2, 8), False)


def test_it_returns_the_day_itself_when_it_is_a_working_day() -> None:
    assert PACKAGE.first_working_day_on_or_after(date(2026, 2, 14)) == (date(2026, 2, 14), False)


def test_it_rolls_past_the_new_year_holiday_onto_a_working_sunday() -> None:
    assert PACKAGE.first_working_day_on_or_after(date(2026, 1, 1)) == (date(2026, 1, 4), False)


def test_it_marks_a_working_day_count_reaching_an_uncovered_year_provisional() -> None:
    assert PACKAGE.nth_working_day_after(date(2026, 12, 28), 3) == (date(2026, 12, 31), False)
    assert PACKAGE.nth_working_day_after(date(2026, 12, 28), 4) == (date(2027, 1, 4), True)  # past 元旦


def test_it_rejects_a_non_positive_count() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        PACKAGE.nth_working_day_after(date(2025, 1, 1), 0)


def test_it_counts_working_days_in_a_half_open_interval() -> None:
    assert PACKAGE.working_days_between(date(2024, 9, 27), date(2024, 10, 16)) == 10


days = st.dates(min_value=date(FIRST_YEAR, 1, 1), max_value=date(2029, 12, 31))


@settings(max_examples=60, deadline=None)
@given(day=days, n=st.integers(min_value=1, max_value=12))
def test_it_lands_the_nth_working_day_on_a_working_day_n_working_days_later(day: date, n: int) -> None:
    due, provisional = PACKAGE.nth_working_day_after(day, n)
    assert due > day
    assert PACKAGE.is_working_day(due)
    assert PACKAGE.working_days_between(day, due) == n
    assert provisional == (due.year > PACKAGE_LAST_YEAR)


@settings(max_examples=60, deadline=None)
@given(day=days)
def test_it_never_rolls_further_than_the_next_working_day(day: date) -> None:
    first, _ = PACKAGE.first_working_day_on_or_after(day)
    assert PACKAGE.is_working_day(first)
    gap = (first - day).days
    assert all(not PACKAGE.is_working_day(day + timedelta(days=i)) for i in range(gap))
