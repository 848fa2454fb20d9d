"""The working-day calendar from the database (D6), and the holiday CSV format.

The calendar is the ``chinese_calendar`` package overlaid by HolidayOverride rows
(they win); the years in CalendarYear count as covered. It is cached per process
and rebuilt when a cheap fingerprint of both tables changes, so a web worker
sees a holiday loaded by the command line on its next request.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models.deadlines import CalendarYear, HolidayOverride
from casetracker.calendar import FIRST_YEAR, CalendarError, WorkdayCalendar

__all__ = ["HolidayRow", "holiday_rows_from_csv", "invalidate_calendar", "rest_day_warning", "workday_calendar"]

# The CSV's type column: the State Council notice says 上班 / 休息.
_DAY_TYPES: Final[dict[str, bool]] = {"work": True, "上班": True, "rest": False, "休息": False}
_HEADER_WORDS: Final = {"date", "日期"}

_cache: tuple[tuple[object, ...], WorkdayCalendar] | None = None


@dataclass(frozen=True, slots=True)
class HolidayRow:
    """One day of an official arrangement: a rest day or an adjusted working day."""

    day: dt.date
    is_working: bool
    note: str = ""


def _fingerprint() -> tuple[object, ...]:
    # One query (the cache is checked on every request that shows a deadline, often twice):
    # both tables' row counts and latest change as scalar subqueries of one SELECT.
    days, years = HolidayOverride._meta.db_table, CalendarYear._meta.db_table
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {q(days)}), (SELECT MAX({q('updated_at')}) FROM {q(days)}), "
            f"(SELECT COUNT(*) FROM {q(years)}), (SELECT MAX({q('loaded_at')}) FROM {q(years)})"
        )
        row = cursor.fetchone()
    return tuple(row)


def workday_calendar() -> WorkdayCalendar:
    """The calendar every deadline is computed on (two small queries when cached)."""
    global _cache
    key = _fingerprint()
    if _cache is not None and _cache[0] == key:
        return _cache[1]
    calendar = WorkdayCalendar(
        dict(HolidayOverride.objects.values_list("date", "is_working")),
        loaded_years=set(CalendarYear.objects.values_list("year", flat=True)),
    )
    _cache = (key, calendar)
    return calendar


def invalidate_calendar() -> None:
    """Forget the cached calendar (the fingerprint catches other processes' changes)."""
    global _cache
    _cache = None


def rest_day_warning(when: dt.datetime | dt.date, calendar: WorkdayCalendar | None = None) -> str:
    """A warning when a hearing falls on a weekend or a statutory holiday; "" on a working day.

    Allowed (courts do sit on rest days now and then), but worth a second look:
    a typing slip in the date is the likelier cause. An adjusted working Saturday
    (调休上班) is a working day and gives no warning.
    """
    day = timezone.localtime(when).date() if isinstance(when, dt.datetime) else when
    try:
        working = (calendar or workday_calendar()).is_working_day(day)
    except CalendarError:
        return ""
    if working:
        return ""
    if day.weekday() >= 5:
        return _("%(d)s 是周末,请核实开庭/听证时间。") % {"d": day.isoformat()}
    return _("%(d)s 是法定节假日,请核实开庭/听证时间。") % {"d": day.isoformat()}


def _parse_record(record: list[str]) -> HolidayRow:
    if any("\x00" in cell for cell in record):
        # PostgreSQL text cannot hold NUL: refuse the row instead of failing the load.
        raise ValueError(_("含有空字符(NUL),请检查文件编码。"))
    cells = [cell.strip() for cell in record] + ["", ""]
    try:
        day = dt.date.fromisoformat(cells[0])
    except ValueError:
        raise ValueError(_("日期“%(v)s”无效,应为 YYYY-MM-DD。") % {"v": cells[0]}) from None
    if day.year < FIRST_YEAR:
        raise ValueError(_("日期 %(d)s 早于 2004 年。") % {"d": day.isoformat()})
    kind = cells[1].lower()
    if kind not in _DAY_TYPES:
        raise ValueError(_("类型“%(v)s”无效,应为 work/rest 或 上班/休息。") % {"v": cells[1]})
    note = ",".join(cells[2 : len(record)])
    limit = HolidayOverride._meta.get_field("note").max_length or 0
    if len(note) > limit:
        raise ValueError(_("说明超过 %(n)d 个字符。") % {"n": limit})
    return HolidayRow(day=day, is_working=_DAY_TYPES[kind], note=note)


def holiday_rows_from_csv(lines: Iterable[str]) -> list[HolidayRow]:
    """Parse ``date,type,note`` rows (header optional); every bad row is reported at once."""
    rows: list[HolidayRow] = []
    errors: list[str] = []
    seen: set[dt.date] = set()
    for number, record in enumerate(csv.reader(lines), start=1):
        if not any(cell.strip() for cell in record):
            continue
        if number == 1 and record[0].strip().lstrip("\ufeff").lower() in _HEADER_WORDS:
            continue
        try:
            row = _parse_record(record)
        except ValueError as exc:
            errors.append(_("第 %(n)d 行:%(e)s") % {"n": number, "e": exc})
            continue
        if row.day in seen:
            errors.append(_("第 %(n)d 行:日期 %(d)s 重复。") % {"n": number, "d": row.day.isoformat()})
        seen.add(row.day)
        rows.append(row)
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError(_("文件中没有任何日期。"))
    return rows
