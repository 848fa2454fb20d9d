"""`manage.py send_reminders [--now ISO-DATETIME]`: one reminder sweep in the foreground.

Sends inline (no broker needed) and prints, last, one JSON line
``{"due": n, "created": n, "sent": n, "failed": n}``. Safe to run next to the
Celery beat or another copy of itself: each reminder is created and sent once.
"""

from __future__ import annotations

import datetime as dt
import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cases.services.reminders import reminders_sweep
from casetracker.calendar import FIRST_YEAR


class Command(BaseCommand):
    help = (
        "Run one reminder sweep now, sending inline; print a JSON line "
        '{"due","created","sent","failed"} last. "failed" counts sends that failed in this run '
        "(they are retried by later sweeps until REMINDER_MAX_ATTEMPTS)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--now",
            help="sweep as if it were this moment (ISO 8601, e.g. 2025-10-09T09:00+08:00; "
            "without an offset, local time in TIME_ZONE)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = _parse_now(options["now"]) if options["now"] is not None else None
        result = reminders_sweep(now=now)
        self.stdout.write(json.dumps(result.as_dict()))


def _parse_now(text: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(
            f"Invalid --now {text!r}: expected an ISO 8601 date-time such as 2025-10-09T09:00+08:00."
        ) from None
    if not FIRST_YEAR <= moment.year <= 9000:
        raise CommandError(f"Invalid --now {text!r}: the working-day calendar starts in {FIRST_YEAR}.")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment
