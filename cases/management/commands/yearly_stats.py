"""`manage.py yearly_stats --year Y [--agency CODE] [--with-children] [--format json|text] [--xlsx P] [--docx P]`.

json prints exactly the object of GET /api/statistics/yearly/ (docs/statistics.md);
text prints the figures and the paragraph for the annual report. Without --agency
the figures cover every agency ("agency": null).
"""

from __future__ import annotations

import json
import unicodedata
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cases.exports import live_exports, report_docx, report_title, statistics_xlsx
from cases.models import Agency
from cases.querysets.statistics import validate_year
from casetracker.report import BUCKET_KEYS, BUCKET_LABELS, RATE_KEYS, RATE_LABELS, Rate


class Command(BaseCommand):
    help = "Print a year's figures per DOMAIN.md D2-D4 (JSON or text) and optionally write XLSX/DOCX exports."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--year", required=True, help="the year, e.g. 2021")
        parser.add_argument("--agency", help="agency code, e.g. wuzhou-hrss (default: every agency)")
        parser.add_argument("--with-children", action="store_true", help="include the agency's sub-agencies")
        parser.add_argument("--format", choices=["json", "text"], default="text")
        parser.add_argument("--xlsx", type=Path, help="also write the statistics table and case list here")
        parser.add_argument("--docx", type=Path, help="also write the report section here")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            year = validate_year(options["year"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.message_dict["year"])) from None
        agency = self._agency(options["agency"], options["with_children"])
        figures, cases, text = live_exports(year=year, agency=agency, with_children=options["with_children"])
        title = report_title(year, agency.name if agency else None)
        if options["xlsx"]:
            self._write(options["xlsx"], statistics_xlsx(figures, cases, title=title))
        if options["docx"]:
            self._write(options["docx"], report_docx(figures, text, title=title))
        if options["format"] == "json":
            self.stdout.write(json.dumps(figures, ensure_ascii=False))
        else:
            self.stdout.write(_as_text(figures, text, title))

    def _agency(self, code: str | None, with_children: bool) -> Agency | None:
        if code is None:
            if with_children:
                raise CommandError("--with-children needs --agency CODE.")
            return None
        agency = Agency.objects.filter(code=code.strip()).first()
        if agency is None:
            known = ", ".join(Agency.objects.values_list("code", flat=True)[:20]) or "none"
            raise CommandError(f"Unknown agency {code!r}; known codes: {known}.")
        return agency

    def _write(self, path: Path, content: bytes) -> None:
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc.strerror or exc}.") from None
        self.stderr.write(f"wrote {path}")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _left(text: str, width: int) -> str:
    """Pad to a terminal width: a Chinese character takes two columns."""
    return text + " " * max(width - _width(text), 0)


def _right(text: object, width: int) -> str:
    return " " * max(width - _width(str(text)), 0) + str(text)


def _as_text(figures: dict[str, Any], paragraph: str, title: str) -> str:
    kinds = figures["by_kind"]
    lines = [title, "", _left("", 26) + _right("合计", 8) + _right("复议", 8) + _right("诉讼", 8)]
    rows = [("办理案件总数", figures["total"], kinds["reconsideration"]["total"], kinds["litigation"]["total"])]
    rows += [
        (BUCKET_LABELS[key][0], figures["buckets"][key], kinds["reconsideration"][key], kinds["litigation"][key])
        for key in BUCKET_KEYS
    ]
    lines += [_left(label, 26) + _right(total, 8) + _right(recon, 8) + _right(lit, 8) for label, total, recon, lit in rows]
    lines.append("")
    for key in RATE_KEYS:
        rate = Rate(figures["rates"][key]["numerator"], figures["rates"][key]["denominator"])
        lines.append(_left(RATE_LABELS[key][0], 26) + _right(rate.percent, 8) + f"  ({rate.fraction})")
    lines += ["", paragraph]
    return "\n".join(lines)
