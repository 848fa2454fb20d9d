"""Statutory periods (DOMAIN.md D9) and how a due date is computed from them (D5).

Abbreviations used in ``Rule.basis``:
ARL = 行政复议法 (Administrative Reconsideration Law, revised 2023, in force 2024-01-01);
ALL = 行政诉讼法 (Administrative Litigation Law, 2017 amendment);
CPL = 民事诉讼法 (Civil Procedure Law, 2023 amendment; applies via ALL 101 and ARL 88).

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
from typing import Final

from casetracker.calendar import CalendarError, WorkdayCalendar, check_supported

__all__ = [
    "MANUAL",
    "RULES",
    "Duty",
    "Period",
    "Rule",
    "Unit",
    "UnknownRule",
    "Urgency",
    "UrgencyBounds",
    "add_months",
    "compute_due",
    "get_rule",
    "urgency_bounds",
    "urgency_of",
]

#: The rule code of a deadline staff typed in by hand (not one of RULES).
MANUAL: Final[str] = "manual"


class Unit(StrEnum):
    """How a period's length is counted."""

    WORKING_DAYS = "working_days"
    DAYS = "days"
    MONTHS = "months"


class Duty(StrEnum):
    """Whose duty it is to act before the period ends."""

    BUREAU = "bureau"
    REVIEWING_BODY = "reviewing_body"
    COURT = "court"
    APPLICANT = "applicant"
    PARTIES = "parties"


class UnknownRule(ValueError):
    """A rule code that is not in RULES."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One statutory period of D9: its length, unit, trigger, duty and legal basis."""

    code: str
    length: int
    unit: Unit
    trigger: str
    duty: Duty
    basis: str
    title_zh: str
    title_en: str
    trigger_zh: str

    @property
    def is_bureau_duty(self) -> bool:
        """Bureau duties are reminded and must be met; the rest are only watched."""
        return self.duty is Duty.BUREAU

    def as_dict(self) -> dict[str, str | int | bool]:
        """A JSON-ready description of the rule (for the API's rule list)."""
        return {
            "code": self.code,
            "length": self.length,
            "unit": self.unit.value,
            "trigger": self.trigger,
            "trigger_zh": self.trigger_zh,
            "duty": self.duty.value,
            "is_bureau_duty": self.is_bureau_duty,
            "basis": self.basis,
            "title_zh": self.title_zh,
            "title_en": self.title_en,
        }


_WD, _DAYS, _MONTHS = Unit.WORKING_DAYS, Unit.DAYS, Unit.MONTHS

_RULE_LIST: Final[tuple[Rule, ...]] = (
    Rule("reconsideration_reply", 10, _WD, "the bureau receives the application copy",
         Duty.BUREAU, "ARL 48, 88", "行政复议书面答复", "Written reply in reconsideration",
         "收到行政复议申请书副本"),
    Rule("reconsideration_reply_simplified", 5, _WD, "the bureau receives the application copy",
         Duty.BUREAU, "ARL 54, 88", "行政复议书面答复(简易程序)",
         "Written reply in reconsideration (simplified procedure)", "收到行政复议申请书副本"),
    Rule("reconsideration_decision", 60, _DAYS, "acceptance",
         Duty.REVIEWING_BODY, "ARL 62", "行政复议决定期限", "Reconsideration decision",
         "受理行政复议申请"),
    Rule("reconsideration_decision_extended", 90, _DAYS, "acceptance",
         Duty.REVIEWING_BODY, "ARL 62 (60 + 30)", "行政复议决定期限(延长)",
         "Reconsideration decision (extended)", "受理行政复议申请"),
    Rule("reconsideration_decision_simplified", 30, _DAYS, "acceptance",
         Duty.REVIEWING_BODY, "ARL 62", "行政复议决定期限(简易程序)",
         "Reconsideration decision (simplified procedure)", "受理行政复议申请"),
    Rule("opinion_letter_correction", 60, _DAYS, "the bureau receives an opinion letter",
         Duty.BUREAU, "ARL 76", "报送行政复议意见书纠正情况",
         "Report on corrections after an opinion letter", "收到行政复议意见书"),
    Rule("lawsuit_after_reconsideration", 15, _DAYS,
         "the decision is served on the applicant", Duty.APPLICANT, "ALL 45",
         "复议决定后起诉期限", "Time to sue after reconsideration", "行政复议决定书送达申请人"),
    Rule("litigation_defence", 15, _DAYS, "the bureau receives the complaint copy",
         Duty.BUREAU, "ALL 67", "提交答辩状及证据", "Defence and evidence", "收到起诉状副本"),
    Rule("appellee_answer", 15, _DAYS, "the bureau receives the appeal petition",
         Duty.BUREAU, "CPL 174 via ALL 101", "被上诉人答辩", "Appellee's answer",
         "收到上诉状副本"),
    Rule("appeal_judgment", 15, _DAYS, "a judgment is served", Duty.PARTIES, "ALL 85",
         "不服判决上诉期限", "Appeal against a judgment", "判决书送达"),
    Rule("appeal_ruling", 10, _DAYS, "a ruling is served", Duty.PARTIES, "ALL 85",
         "不服裁定上诉期限", "Appeal against a ruling", "裁定书送达"),
    Rule("first_instance_trial", 6, _MONTHS, "filing", Duty.COURT, "ALL 81",
         "一审审理期限", "First-instance trial limit", "立案"),
    Rule("first_instance_simplified", 45, _DAYS, "filing", Duty.COURT, "ALL 83",
         "一审简易程序审理期限", "First-instance trial limit (simplified procedure)", "立案"),
    Rule("second_instance_trial", 3, _MONTHS, "the appeal is filed", Duty.COURT, "ALL 88",
         "二审审理期限", "Second-instance trial limit", "上诉案件立案"),
    Rule("retrial_application", 6, _MONTHS, "the judgment takes effect", Duty.PARTIES,
         "CPL 216", "申请再审期限", "Retrial application", "裁判发生法律效力"),
)  # fmt: skip

#: Every statutory rule of D9 by code, in the order of the D9 table.
RULES: Final[dict[str, Rule]] = {rule.code: rule for rule in _RULE_LIST}


def get_rule(code: str) -> Rule:
    """The rule with this code, or UnknownRule naming the valid codes."""
    try:
        return RULES[code]
    except KeyError:
        valid = ", ".join(RULES)
        raise UnknownRule(f"Unknown deadline rule {code!r}; valid rules: {valid}.") from None


@dataclass(frozen=True, slots=True)
class Period:
    """A computed deadline: which rule, from which trigger day, due when, how sure."""

    rule: Rule
    trigger: date
    due: date
    provisional: bool

    def as_dict(self) -> dict[str, str | bool]:
        """The public shape shared by the CLI and the API."""
        return {
            "rule": self.rule.code,
            "trigger": self.trigger.isoformat(),
            "due": self.due.isoformat(),
            "provisional": self.provisional,
            "basis": self.rule.basis,
        }


def add_months(d: date, months: int) -> date:
    """The same day number ``months`` later, clamped to the month's last day."""
    index = d.month - 1 + months
    year, month = d.year + index // 12, index % 12 + 1
    if year > date.max.year:
        raise CalendarError(f"{d.isoformat()} + {months} months is past the last representable date.")
    last_day = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(d.day, last_day))


def _period_end(rule: Rule, trigger: date) -> date:
    """The last day of a calendar-day or month period, before any roll."""
    if rule.unit is Unit.MONTHS:
        return add_months(trigger, rule.length)
    try:
        return trigger + timedelta(days=rule.length)
    except OverflowError:
        raise CalendarError(f"{trigger.isoformat()} is too late to compute a deadline from.") from None


def compute_due(
    rule_or_code: Rule | str,
    trigger: date,
    calendar: WorkdayCalendar | None = None,
) -> Period:
    """Compute a deadline exactly per D5 on the D6 calendar (package calendar by default)."""
    rule = rule_or_code if isinstance(rule_or_code, Rule) else get_rule(rule_or_code)
    if isinstance(trigger, datetime) or not isinstance(trigger, date):
        raise TypeError(f"trigger must be a date, got {type(trigger).__name__}.")
    check_supported(trigger)
    cal = calendar if calendar is not None else WorkdayCalendar()
    if rule.unit is Unit.WORKING_DAYS:
        due, provisional = cal.nth_working_day_after(trigger, rule.length)
    else:
        due, provisional = cal.first_working_day_on_or_after(_period_end(rule, trigger))
    return Period(rule=rule, trigger=trigger, due=due, provisional=provisional)


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
