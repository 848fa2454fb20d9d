"""How a deadline is worded wherever it is shown: its basis in words and the days left.

One place for the case page, the ledger, reminders, the iCal feed and the API:
- the basis is the law, the article and the period in words, from the version of
  the rule the deadline was computed under (D10), e.g. 《行政诉讼法》第六十七条：
  收到起诉状副本之日起十五日内提交答辩状; English when English is active. Never a
  bare code like "ALL 67".
- the days left count in the deadline's own unit: working days for a working-day
  period ("还剩3个工作日"), calendar days otherwise ("还剩12天"). Once overdue it
  counts calendar days for every deadline ("已逾期2天"): the time lost runs on
  weekends too, and a deadline due on Friday is not "0 working days" late on Sunday.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from casetracker.calendar import WorkdayCalendar
from casetracker.periods import RULES, RuleVersion, Unit

__all__ = ["basis_text", "days_left", "days_left_text", "rule_version"]


def rule_version(rule: str | None, version: str | None) -> RuleVersion | None:
    """The version a deadline was computed under (the rule's current one when not recorded)."""
    found = RULES.get(rule or "")
    if found is None:
        return None
    return found.version(version or "") or found.current


def basis_text(rule: str | None, version: str | None) -> str:
    """The basis in words in the active language; "" for a manual deadline."""
    found = rule_version(rule, version)
    if found is None:
        return ""
    return found.basis_en if (get_language() or "").startswith("en") else found.basis_zh


def _counts_working_days(rule: str | None, version: str | None) -> bool:
    found = rule_version(rule, version)
    return found is not None and found.unit is Unit.WORKING_DAYS


def days_left(
    rule: str | None, version: str | None, due: dt.date, today: dt.date, calendar: WorkdayCalendar
) -> int:
    """Days left to the due day (working days for a working-day period); minus the calendar days overdue."""
    if due < today or not _counts_working_days(rule, version):
        return (due - today).days
    return calendar.working_days_between(today, due)


def days_left_text(
    rule: str | None, version: str | None, due: dt.date, today: dt.date, calendar: WorkdayCalendar
) -> str:
    """还剩3个工作日 / 今日到期 / 已逾期2天, in the deadline's own unit."""
    if due == today:
        return _("今日到期")
    n = days_left(rule, version, due, today, calendar)
    if n < 0:
        return ngettext("已逾期%(n)d天", "已逾期%(n)d天", -n) % {"n": -n}
    if _counts_working_days(rule, version):
        return ngettext("还剩%(n)d个工作日", "还剩%(n)d个工作日", n) % {"n": n}
    return ngettext("还剩%(n)d天", "还剩%(n)d天", n) % {"n": n}
