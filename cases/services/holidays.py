"""Loading the official holiday arrangement of a year, and recomputing what it moves (D6)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.models.deadlines import CalendarYear, Deadline, HolidayOverride
from cases.permissions import is_admin
from cases.services.calendar import HolidayRow, invalidate_calendar, workday_calendar
from cases.services.common import save_with_history
from cases.services.deadlines import deadlines_recompute
from cases.users import Actor, SystemActor
from casetracker.calendar import FIRST_YEAR

__all__ = ["HolidayLoadResult", "holiday_override_delete", "holiday_override_set", "holidays_load"]


@dataclass(frozen=True, slots=True)
class HolidayLoadResult:
    """What holidays_load changed: the years touched, which are now covered, day counts, moved deadlines."""

    years: list[int]
    rest_days: int
    working_days: int
    removed: int
    recomputed: list[Deadline]
    covered: list[int]


def _ensure_admin(by: Actor) -> None:
    # SYSTEM is the command line, run by whoever operates the server.
    if not isinstance(by, SystemActor) and not is_admin(by):
        raise PermissionDenied(_("只有管理员可以维护节假日安排。"))


def _validate(rows: Sequence[HolidayRow]) -> None:
    if not rows:
        raise ValidationError(_("没有任何日期。"))
    days = [row.day for row in rows]
    duplicates = sorted({d.isoformat() for d in days if days.count(d) > 1})
    if duplicates:
        raise ValidationError(_("日期重复:%(d)s") % {"d": ", ".join(duplicates)})
    early = sorted(d.isoformat() for d in days if d.year < FIRST_YEAR)
    if early:
        raise ValidationError(_("日期早于 2004 年:%(d)s") % {"d": ", ".join(early)})


def _history_user(by: Actor) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


def _replace_year(year: int, rows: list[HolidayRow], *, by: Actor, source: str) -> int:
    """Make the year's overrides exactly ``rows``; return how many old days were dropped."""
    wanted = {row.day: row for row in rows}
    stale = HolidayOverride.objects.filter(date__year=year).exclude(date__in=list(wanted))
    removed = 0
    for override in stale:
        override._change_reason = _("重新导入 %(y)d 年节假日安排") % {"y": year}  # type: ignore[attr-defined]
        override._history_user = _history_user(by)  # type: ignore[attr-defined]
        override.delete()
        removed += 1
    existing = {o.date: o for o in HolidayOverride.objects.filter(date__in=list(wanted))}
    for day, row in wanted.items():
        override = existing.get(day) or HolidayOverride(date=day, created_by=_history_user(by))
        override.is_working, override.note, override.source = row.is_working, row.note, source
        save_with_history(override, by=by, reason=_("导入 %(y)d 年节假日安排") % {"y": year})
    return removed


def _mark_loaded(year: int, *, by: Actor, source: str) -> None:
    record = CalendarYear.objects.filter(year=year).first() or CalendarYear(year=year)
    record.source, record.loaded_by = source, _history_user(by)
    save_with_history(record, by=by, reason=_("导入 %(y)d 年节假日安排") % {"y": year})


def _recompute_years(first: int, last: int, *, by: Actor, why: str) -> list[Deadline]:
    invalidate_calendar()
    deadlines = Deadline.objects.touching_years(first, last)
    return deadlines_recompute(deadlines=deadlines, by=by, why=why, calendar=workday_calendar())


def _check_full_year(rows: Sequence[HolidayRow], year: int) -> None:
    if year < FIRST_YEAR:
        raise ValidationError(_("年份不能早于 2004 年。"))
    outside = sorted(row.day.isoformat() for row in rows if row.day.year != year)
    if outside:
        raise ValidationError(
            _("文件声明为 %(y)d 年的全年安排,不能含有其他年份的日期:%(d)s") % {"y": year, "d": ", ".join(outside)}
        )


def _upsert(rows: Sequence[HolidayRow], *, by: Actor, source: str) -> None:
    """Plain overrides: each row wins for its day; other days and the years' coverage stay as they were."""
    existing = {o.date: o for o in HolidayOverride.objects.filter(date__in=[row.day for row in rows])}
    for row in rows:
        override = existing.get(row.day) or HolidayOverride(date=row.day, created_by=_history_user(by))
        override.is_working, override.note, override.source = row.is_working, row.note, source
        save_with_history(override, by=by, reason=_("导入节假日调整 %(d)s") % {"d": row.day.isoformat()})


@transaction.atomic
def holidays_load(
    *, rows: Sequence[HolidayRow], by: Actor, source: str = "", full_year: int | None = None
) -> HolidayLoadResult:
    """Load days of the official arrangement and recompute the open deadlines they move (D6).

    With ``full_year`` the rows are that year's complete State Council notice: a row of
    another year is refused, the rows replace the year's overrides and the year becomes
    covered (no longer provisional). Without it the rows are plain overrides: each wins
    for its day, and every year stays as covered or provisional as it was. Either way
    every open computed deadline whose counting touches those years (the provisional
    ones among them) is recomputed as of today, the change recorded in its history.
    """
    _ensure_admin(by)
    _validate(rows)
    source = source.strip()
    years = sorted({row.day.year for row in rows})
    removed = 0
    if full_year is not None:
        _check_full_year(rows, full_year)
        removed = _replace_year(full_year, list(rows), by=by, source=source)
        _mark_loaded(full_year, by=by, source=source)
        why = _("导入 %(y)d 年全年节假日安排") % {"y": full_year}
    else:
        _upsert(rows, by=by, source=source)
        why = _("导入节假日调整(%(y)s 年)") % {"y": ", ".join(str(y) for y in years)}
    recomputed = _recompute_years(years[0], years[-1], by=by, why=why)
    working = sum(row.is_working for row in rows)
    covered = [full_year] if full_year is not None else []
    return HolidayLoadResult(years, len(rows) - working, working, removed, recomputed, covered)


@transaction.atomic
def holiday_override_set(
    *, day: dt.date, is_working: bool, by: Actor, note: str = "", source: str = ""
) -> tuple[HolidayOverride, list[Deadline]]:
    """Correct one day of the calendar (the year's coverage is unchanged); also return moved deadlines."""
    _ensure_admin(by)
    if day.year < FIRST_YEAR:
        raise ValidationError({"date": _("日期不能早于 2004 年。")})
    override = HolidayOverride.objects.filter(date=day).first() or HolidayOverride(date=day)
    if override.pk is None:
        override.created_by = _history_user(by)
    override.is_working, override.note, override.source = is_working, note.strip(), source.strip()
    save_with_history(override, by=by, reason=_("调整 %(d)s") % {"d": day.isoformat()})
    moved = _recompute_years(day.year, day.year, by=by, why=_("调整节假日 %(d)s") % {"d": day.isoformat()})
    return override, moved


@transaction.atomic
def holiday_override_delete(*, override: HolidayOverride, by: Actor) -> list[Deadline]:
    """Remove one override (the package or weekends decide that day again)."""
    _ensure_admin(by)
    day = override.date
    override._change_reason = _("删除 %(d)s 的节假日调整") % {"d": day.isoformat()}  # type: ignore[attr-defined]
    override._history_user = _history_user(by)  # type: ignore[attr-defined]
    override.delete()
    return _recompute_years(day.year, day.year, by=by, why=_("删除节假日调整 %(d)s") % {"d": day.isoformat()})
