"""Recompute open deadlines under the law in force on their trigger date (D10).

Until 0002 every deadline was computed under the 2023 reconsideration law and the
2014 litigation law, whatever its trigger date: a reply to a copy received on
2021-09-28 showed 2021-10-18 instead of 2021-10-08. This migration records the
version each computed deadline follows, and moves the open, not overridden ones
whose due date changes, leaving a history row with the reason (simple_history's
history_change_reason). Closed and overridden deadlines keep their dates: they
are the record of what happened; they only learn their version. A deadline whose
rule was not in force on its trigger (a simplified reconsideration before 2024)
is left as it is: it needs a person to correct the case.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.utils import timezone

REASON = "法律版本更正(D10):按起算日当日施行的法律重新计算,届满日 {old}→{new}({version})"


def recompute_under_law_in_force(apps: Any, schema_editor: Any, reason: str = REASON) -> int:
    """Set rule_version everywhere; move the open computed deadlines that change. Returns how many moved."""
    from casetracker.calendar import WorkdayCalendar
    from casetracker.periods import MANUAL, RULES, RuleError, compute_due

    Deadline = apps.get_model("cases", "Deadline")
    History = apps.get_model("cases", "HistoricalDeadline")
    HolidayOverride = apps.get_model("cases", "HolidayOverride")
    CalendarYear = apps.get_model("cases", "CalendarYear")
    calendar = WorkdayCalendar(
        dict(HolidayOverride.objects.values_list("date", "is_working")),
        loaded_years=set(CalendarYear.objects.values_list("year", flat=True)),
    )
    moved = 0
    for deadline in Deadline.objects.exclude(rule=MANUAL).filter(trigger_on__isnull=False).iterator():
        rule = RULES.get(deadline.rule)
        if rule is None:
            continue
        try:
            period = compute_due(rule, deadline.trigger_on, calendar)
        except (RuleError, ValueError):
            continue
        movable = deadline.status == "open" and not deadline.overridden
        if movable and (deadline.due_on, deadline.provisional) != (period.due, period.provisional):
            old = deadline.due_on
            deadline.due_on, deadline.provisional = period.due, period.provisional
            deadline.rule_version = period.version.code
            deadline.save(update_fields=["due_on", "provisional", "rule_version", "updated_at"])
            _history(History, deadline, reason.format(old=old, new=period.due, version=period.version.code))
            moved += 1
        elif deadline.rule_version != period.version.code:
            Deadline.objects.filter(pk=deadline.pk).update(rule_version=period.version.code)
    return moved


def _history(History: Any, deadline: Any, reason: str) -> None:
    """A history row as simple_history would write it (signals do not run on migration models)."""
    values = {
        field.attname: getattr(deadline, field.attname)
        for field in deadline._meta.concrete_fields
    }
    History.objects.create(
        **values, history_date=timezone.now(), history_type="~", history_change_reason=reason
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_deadline_rule_versions")]

    operations = [migrations.RunPython(recompute_under_law_in_force, migrations.RunPython.noop, elidable=True)]
