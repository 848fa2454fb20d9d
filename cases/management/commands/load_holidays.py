"""`manage.py load_holidays FILE.csv [--year YYYY]`: load days of the official holiday arrangement (D6)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cases.services.calendar import holiday_rows_from_csv, workday_calendar
from cases.services.common import SYSTEM
from cases.services.holidays import holidays_load


class Command(BaseCommand):
    help = (
        "Load holiday days from a CSV of date,type,note rows (type: work/rest or 上班/休息). "
        "With --year YYYY the file is that year's complete State Council notice: rows of other "
        "years are refused, it replaces the year's overrides and the year stops being provisional. "
        "Without it the rows are plain overrides and every year stays provisional or covered as it "
        "was. Open deadlines they move are recomputed; nothing is saved if any row is bad. "
        "See docs/deadlines.md."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="CSV file, UTF-8 (a BOM from Excel is fine)")
        parser.add_argument("--source", default="", help="the notice it comes from, e.g. 国办发明电〔2026〕1号")
        parser.add_argument(
            "--year", type=int, default=None, help="declare the file the complete official arrangement of this year"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from None
        try:
            rows = holiday_rows_from_csv(text.splitlines())
            result = holidays_load(rows=rows, by=SYSTEM, source=options["source"], full_year=options["year"])
        except ValidationError as exc:
            raise CommandError(f"Nothing was loaded from {path}:\n  " + "\n  ".join(exc.messages)) from None
        years = ", ".join(str(year) for year in result.years)
        what = f"the full notice of {years}" if result.covered else f"overrides in {years}"
        self.stdout.write(
            f"Loaded {what}: {result.rest_days} rest days, {result.working_days} adjusted working days"
            + (f"; {result.removed} earlier overrides of that year removed" if result.removed else "")
            + "."
        )
        provisional = [year for year in result.years if not workday_calendar().covers(year)]
        if provisional:
            names = ", ".join(str(year) for year in provisional)
            self.stdout.write(
                f"Still provisional: {names} (load the whole notice with --year to cover a year)."
            )
        self.stdout.write(f"Recomputed {len(result.recomputed)} open deadlines.")
        for deadline in result.recomputed:
            self.stdout.write(f"  {deadline.case.number} {deadline.rule}: due {deadline.due_on.isoformat()}")
