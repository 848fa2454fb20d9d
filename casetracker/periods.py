"""How a due date is computed from a statutory period (D5) under the law in force (D10).

The rules themselves, their versions and their legal basis are in
casetracker.rules (re-exported here).

D5 in short: the trigger day is not counted (CPL 85). A working-day period ends
on the n-th working day after the trigger (ARL 88 ¶2). A calendar-day period
ends n days after the trigger and a month period on the same day number n
months later (the month's last day if that day does not exist); either rolls
forward to the first working day when it ends on a rest day. An adjusted
working weekend day (调休上班) is a working day, so nothing rolls off it.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from casetracker.calendar import CalendarError, WorkdayCalendar, check_supported
from casetracker.rules import (
    MANUAL,
    RULES,
    Duty,
    Rule,
    RuleError,
    RuleNotInForce,
    RuleVersion,
    Unit,
    UnknownRule,
    get_rule,
)

__all__ = [
    "MANUAL",
    "RULES",
    "Duty",
    "Period",
    "Rule",
    "RuleError",
    "RuleNotInForce",
    "RuleVersion",
    "Unit",
    "UnknownRule",
    "Urgency",
    "UrgencyBounds",
    "add_months",
    "compute_due",
    "get_rule",
    "period_until",
    "urgency_bounds",
    "urgency_of",
]


@dataclass(frozen=True, slots=True)
class Period:
    """A computed deadline: which rule and version, from which trigger day, due when, how sure."""

    rule: Rule
    version: RuleVersion
    trigger: date
    due: date
    provisional: bool
    length: int

    def as_dict(self) -> dict[str, str | bool]:
        """The public shape shared by the CLI and the API."""
        return {
            "rule": self.rule.code,
            "version": self.version.code,
            "trigger": self.trigger.isoformat(),
            "due": self.due.isoformat(),
            "provisional": self.provisional,
            "basis": self.version.basis_zh,
        }


def add_months(d: date, months: int) -> date:
    """The same day number ``months`` later, clamped to the month's last day."""
    index = d.month - 1 + months
    year, month = d.year + index // 12, index % 12 + 1
    if year > date.max.year:
        raise CalendarError(f"{d.isoformat()} + {months} months is past the last representable date.")
    last_day = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(d.day, last_day))


def _period_end(unit: Unit, length: int, trigger: date) -> date:
    """The last day of a calendar-day or month period, before any roll."""
    if unit is Unit.MONTHS:
        return add_months(trigger, length)
    try:
        return trigger + timedelta(days=length)
    except OverflowError:
        raise CalendarError(f"{trigger.isoformat()} is too late to compute a deadline from.") from None


def _length(rule: Rule, version: RuleVersion, length: int | None) -> int:
    """The version's length, or the deciding document's own where the version allows it."""
    name = f"{rule.code} ({version.variant})" if version.variant else rule.code
    if length is not None:
        if not version.set_by_document:
            raise RuleError(f"{name} has a statutory length; it cannot be set by hand.")
        if length < 1:
            raise RuleError(f"{name}: the length must be at least 1, got {length}.")
        return length
    if version.length is None:
        raise RuleError(f"{name}: the deciding document sets this period; give its length or due date.")
    return version.length


def compute_due(
    rule_or_code: Rule | str,
    trigger: date,
    calendar: WorkdayCalendar | None = None,
    *,
    variant: str = "",
    length: int | None = None,
) -> Period:
    """Compute a deadline per D5 under the version in force on ``trigger`` (D10), on the D6 calendar.

    ``variant`` picks a parallel variant (e.g. ``judicial`` for recommendation_reply);
    ``length`` is the deciding document's own period where the version lets it set one.
    Raises RuleNotInForce when the rule did not exist on ``trigger``.
    """
    rule = rule_or_code if isinstance(rule_or_code, Rule) else get_rule(rule_or_code)
    if isinstance(trigger, datetime) or not isinstance(trigger, date):
        raise TypeError(f"trigger must be a date, got {type(trigger).__name__}.")
    check_supported(trigger)
    version = rule.version_on(trigger, variant)
    n = _length(rule, version, length)
    cal = calendar if calendar is not None else WorkdayCalendar()
    if version.unit is Unit.WORKING_DAYS:
        due, provisional = cal.nth_working_day_after(trigger, n)
    else:
        due, provisional = cal.first_working_day_on_or_after(_period_end(version.unit, n, trigger))
    return Period(rule=rule, version=version, trigger=trigger, due=due, provisional=provisional, length=n)


def period_until(rule_or_code: Rule | str, trigger: date, due: date, *, variant: str = "") -> Period:
    """A period whose deciding document fixed its due date (a judgment ordering a new act).

    The version in force on ``trigger`` must let the document set the period, and
    the due date must come after the trigger. Never provisional: no calendar decides it.
    """
    rule = rule_or_code if isinstance(rule_or_code, Rule) else get_rule(rule_or_code)
    version = rule.version_on(trigger, variant)
    if not version.set_by_document:
        raise RuleError(f"{rule.code} has a statutory length; its due date cannot be set by hand.")
    if due <= trigger:
        raise RuleError(f"{rule.code}: the due date {due.isoformat()} must come after {trigger.isoformat()}.")
    return Period(rule=rule, version=version, trigger=trigger, due=due, provisional=False,
                  length=(due - trigger).days)  # fmt: skip


class Urgency(StrEnum):
    """Warning level of an open deadline, for the ledger's colours.

    overdue: the due day has passed; due_3_working_days: due today or on one of
    the next 3 working days; due_7_days: due within 7 calendar days; later: after
    that. The first level that applies wins.
    """

    OVERDUE = "overdue"
    DUE_3_WORKING_DAYS = "due_3_working_days"
    DUE_7_DAYS = "due_7_days"
    LATER = "later"


@dataclass(frozen=True, slots=True)
class UrgencyBounds:
    """The last due day of each level, as of ``today`` (so SQL can compare dates)."""

    today: date
    last_3_working_days: date
    last_7_days: date

    def level(self, due: date) -> Urgency:
        """The urgency of a deadline due on ``due``."""
        if due < self.today:
            return Urgency.OVERDUE
        if due <= self.last_3_working_days:
            return Urgency.DUE_3_WORKING_DAYS
        if due <= self.last_7_days:
            return Urgency.DUE_7_DAYS
        return Urgency.LATER


def urgency_bounds(today: date, calendar: WorkdayCalendar | None = None) -> UrgencyBounds:
    """The level boundaries as of ``today`` on the given calendar."""
    cal = calendar if calendar is not None else WorkdayCalendar()
    third_working_day, _ = cal.nth_working_day_after(today, 3)
    return UrgencyBounds(today, third_working_day, today + timedelta(days=7))


def urgency_of(due: date, today: date, calendar: WorkdayCalendar | None = None) -> Urgency:
    """The urgency level of a deadline due on ``due``, as of ``today``."""
    return urgency_bounds(today, calendar).level(due)
