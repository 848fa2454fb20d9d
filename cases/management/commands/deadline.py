"""`manage.py deadline RULE YYYY-MM-DD [--json]`: compute one statutory deadline."""

from __future__ import annotations

import datetime as dt
import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cases.services.calendar import workday_calendar
from casetracker.calendar import CalendarError
from casetracker.periods import RuleError, compute_due, get_rule


class Command(BaseCommand):
    # A read-only lookup: it must answer even while an unrelated part of the project fails its checks.
    requires_system_checks: list[str] = []
    help = (
        "Print the due date of a statutory period (first line), then its legal basis and whether "
        "it is provisional (the period reaches a year with no official calendar loaded)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("rule", help="rule code, e.g. reconsideration_reply (see docs/deadlines.md)")
        parser.add_argument("trigger", help="the trigger day, YYYY-MM-DD (not counted)")
        parser.add_argument("--json", action="store_true", help='print {"rule","version","trigger","due","provisional","basis"}')

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rule = get_rule(options["rule"])
            trigger = _parse_day(options["trigger"])
            period = compute_due(rule, trigger, workday_calendar())
        except (RuleError, CalendarError) as exc:
            raise CommandError(str(exc)) from None
        if options["json"]:
            self.stdout.write(json.dumps(period.as_dict(), ensure_ascii=False))
            return
        self.stdout.write(period.due.isoformat())
        version = period.version
        unit = version.unit.value.replace("_", " ")
        self.stdout.write(f"basis: {version.basis_zh}")
        self.stdout.write(
            f"version: {version.code} ({rule.title_en}; {period.length} {unit} from {rule.trigger}; "
            f"{version.basis_en})"
        )
        if period.provisional:
            self.stdout.write(
                "provisional: yes (computed on weekends only for a year with no official calendar; "
                "load that year with `manage.py load_holidays`)"
            )
        else:
            self.stdout.write("provisional: no")


def _parse_day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(f"Invalid date {text!r}: expected an existing day as YYYY-MM-DD.") from None
