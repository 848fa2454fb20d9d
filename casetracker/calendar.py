"""The official Chinese working-day calendar (D6), as plain Python.

Sources, in order of precedence:

1. Administrator overrides (``Mapping[date, bool]``, True = working day), typed
   from the State Council General Office's annual notice (国务院办公厅关于部分节假日
   安排的通知). They always win.
2. The ``chinese_calendar`` package (import name of ``chinesecalendar``), which
   carries the official arrangements for 2004 up to its last year (2026 in 1.11).
3. For any year neither source covers: weekends plus the fixed statutory holidays
   of Art. 2 of the 全国年节及纪念日放假办法 (2025 text), with no 补休 and no 调休
   (D6 revised). Lunar dates and 清明 come from ``lunar_python`` (never a hand-typed
   table). Such days are *provisional*: a period decided by one of them must be
   recomputed once that year's official notice is loaded.

Coverage: a year is covered when the package carries it, or when the
administrator loaded that whole year. Pass ``loaded_years`` to say which years
were loaded; without it, every year that has at least one override day counts as
loaded (convenient for tests and one-off scripts, too generous for production,
where a single corrected day must not make a year look complete).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from functools import cache
from typing import Final

from chinese_calendar import holidays as _package_holidays
from chinese_calendar import workdays as _package_workdays
from lunar_python import Lunar, Solar

__all__ = [
    "FIRST_YEAR",
    "PACKAGE_LAST_YEAR",
    "CalendarError",
    "WorkdayCalendar",
    "check_supported",
    "statutory_holidays",
]

#: The first year the calendar can answer for: the first year ``chinese_calendar``
#: carries. Earlier dates are refused rather than guessed.
FIRST_YEAR: Final[int] = 2004

#: The last year the installed ``chinese_calendar`` carries (2026 for 1.11).
PACKAGE_LAST_YEAR: Final[int] = max(d.year for d in _package_holidays)

_ONE_DAY: Final = timedelta(days=1)
_SATURDAY: Final = 5


class CalendarError(ValueError):
    """A date the calendar cannot answer for (before FIRST_YEAR or past date.max)."""


def check_supported(d: date) -> None:
    """Raise CalendarError for a date the calendar cannot answer for."""
    if d.year < FIRST_YEAR:
        raise CalendarError(
            f"{d.isoformat()} is before {FIRST_YEAR}, the first year of the official "
            "working-day calendar; deadlines cannot be computed for it."
        )


@cache
def statutory_holidays(year: int) -> frozenset[date]:
    """The 13 fixed statutory holidays of 放假办法 Art. 2 (2025 text) in ``year``.

    元旦 1-1; 春节 除夕 to 初三 (the four days before and from lunar 1-1, so
    除夕 is the 29th when the twelfth month is short); 清明 the solar-term day;
    劳动节 5-1 and 5-2; 端午 lunar 5-5; 中秋 lunar 8-15; 国庆 10-1 to 10-3.
    The Spring Festival of lunar year ``year`` is the one that falls in ``year``.
    """
    days = {date(year, 1, 1), date(year, 5, 1), date(year, 5, 2), *(date(year, 10, d) for d in (1, 2, 3))}
    new_year = _solar(Lunar.fromYmd(year, 1, 1).getSolar())
    days |= {new_year + timedelta(days=offset) for offset in (-1, 0, 1, 2)}
    days.add(_solar(Lunar.fromYmd(year, 5, 5).getSolar()))
    days.add(_solar(Lunar.fromYmd(year, 8, 15).getSolar()))
    days.add(_solar(Solar.fromYmd(year, 4, 15).getLunar().getJieQiTable()["清明"]))
    return frozenset(days)


def _solar(solar: Solar) -> date:
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def _next_day(d: date) -> date:
    try:
        return d + _ONE_DAY
    except OverflowError:
        raise CalendarError(f"{d.isoformat()} is the last date the calendar can represent.") from None


class WorkdayCalendar:
    """Answers "is this a working day?" from overrides, the package, then weekends."""

    def __init__(
        self,
        overrides: Mapping[date, bool] | None = None,
        *,
        loaded_years: Iterable[int] | None = None,
    ) -> None:
        self._overrides: dict[date, bool] = dict(overrides or {})
        for day in self._overrides:
            check_supported(day)
        if loaded_years is None:
            loaded_years = {day.year for day in self._overrides}
        self._loaded_years: frozenset[int] = frozenset(loaded_years)
        self._ordinal_cache: dict[int, list[int]] = {}

    def __repr__(self) -> str:
        years = sorted(self._loaded_years)
        return f"<WorkdayCalendar overrides={len(self._overrides)} loaded_years={years}>"

    @property
    def loaded_years(self) -> frozenset[int]:
        """Years an administrator loaded in full (on top of the package's years)."""
        return self._loaded_years

    def covers(self, year: int) -> bool:
        """True when the official arrangement of ``year`` is known (not provisional)."""
        if year < FIRST_YEAR:
            return False
        return year <= PACKAGE_LAST_YEAR or year in self._loaded_years

    def is_provisional(self, d: date) -> bool:
        """True when ``d`` lies in a year the calendar does not cover."""
        return not self.covers(d.year)

    def is_working_day(self, d: date) -> bool:
        """True for a working day: overrides first, then the package, then weekends and Art. 2 holidays."""
        check_supported(d)
        override = self._overrides.get(d)
        if override is not None:
            return override
        if d.year <= PACKAGE_LAST_YEAR:
            # The package's own rule (chinese_calendar.utils.is_workday), read from its
            # public dicts to skip the per-call range validation it does.
            if d in _package_workdays:
                return True
            return d.weekday() < _SATURDAY and d not in _package_holidays
        if d.year in self._loaded_years:
            # The year's full notice is loaded: its rows name every holiday and 调休 day.
            return d.weekday() < _SATURDAY
        # Provisional: weekends plus the fixed statutory holidays, no 补休 or 调休 (D6).
        return d.weekday() < _SATURDAY and d not in statutory_holidays(d.year)

    def nth_working_day_after(self, d: date, n: int) -> tuple[date, bool]:
        """The n-th working day after ``d`` (``d`` itself not counted), and provisional.

        Every day from ``d + 1`` to the result decides the answer, so the result is
        provisional when any of them lies in an uncovered year.
        """
        if n < 1:
            raise ValueError(f"n must be at least 1, got {n}.")
        check_supported(d)
        provisional = False
        day = d
        remaining = n
        while remaining:
            day = _next_day(day)
            provisional = provisional or self.is_provisional(day)
            if self.is_working_day(day):
                remaining -= 1
        return day, provisional

    def first_working_day_on_or_after(self, d: date) -> tuple[date, bool]:
        """``d`` if it is a working day, else the next one; and whether provisional."""
        provisional = self.is_provisional(d)
        day = d
        while not self.is_working_day(day):
            day = _next_day(day)
            provisional = provisional or self.is_provisional(day)
        return day, provisional

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in the half-open interval (start, end].

        Counts with a per-year sorted list of working days and bisection: the
        reminder sweep asks this for deadlines overdue by months, thousands of
        times a sweep, so walking day by day is too slow (bench/run.py).
        """
        if end <= start:
            return 0
        check_supported(_next_day(start))
        first, last = start.toordinal(), end.toordinal()
        count = 0
        for year in range(start.year, end.year + 1):
            days = self._working_ordinals(year)
            count += bisect_right(days, last) - bisect_right(days, first)
        return count

    def _working_ordinals(self, year: int) -> list[int]:
        """The working days of ``year`` as sorted ordinals, computed once per calendar."""
        cached = self._ordinal_cache.get(year)
        if cached is None:
            day = date(year, 1, 1)
            cached = []
            while day.year == year:
                if self.is_working_day(day):
                    cached.append(day.toordinal())
                if day == date.max:
                    break
                day += _ONE_DAY
            self._ordinal_cache[year] = cached
        return cached
