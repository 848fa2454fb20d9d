"""Writing yearly report snapshots (cases.models.reports.YearlyReport).

    yearly_report_generate(agency=bureau, year=2021, by=user)  # a new on-demand version
    yearly_reports_generate_year_end(year=2021)                 # 1 January: one year-end row per agency, once
    yearly_figures_refresh(year=2022)                           # nightly: the running row per agency
    report_diff(old, new)                                       # [{"key", "before", "after"}, ...]

A snapshot covers the agency's own proceedings (not its sub-agencies: each agency
is its own respondent/defendant and reports its own figures). Numbered versions
are never changed; a new version is added instead.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Agency, ReportKind, YearlyReport
from cases.querysets.statistics import REPORT_TIMEZONE, case_rows, validate_year, year_figures
from cases.services.common import SYSTEM, ensure_can_write
from cases.users import Actor, acting_user
from casetracker.report import figures_diff, text_en, text_zh

YEAR_END_JOB = "cases.tasks.yearly_reports_generate"
RUNNING_JOB = "cases.tasks.yearly_figures_refresh"


def local_today() -> dt.date:
    """Today in Beijing time: the year of a report turns at midnight Asia/Shanghai, not UTC."""
    return timezone.now().astimezone(REPORT_TIMEZONE).date()


def _checked_year(year: Any) -> int:
    checked = validate_year(year)
    if checked > local_today().year:
        raise ValidationError({"year": _("不能为尚未开始的年度生成报告。")})
    return checked


def _contents(agency: Agency, year: int) -> dict[str, Any]:
    figures = year_figures(year=year, ids={agency.pk}, label=agency.code)
    return {
        "figures": figures.as_dict(),
        "text_zh": text_zh(figures),
        "text_en": text_en(figures),
        "case_list": case_rows(year=year, ids={agency.pk}),
        "generated_at": timezone.now(),
    }


def _create_version(*, agency: Agency, year: int, kind: str, by: Actor, job: str) -> YearlyReport:
    # Lock the agency row so two concurrent generations cannot both pick the same next version.
    Agency.objects.select_for_update().filter(pk=agency.pk).first()
    last = YearlyReport.objects.filter(agency=agency, year=year).aggregate(v=Max("version"))["v"] or 0
    report = YearlyReport(
        agency=agency, year=year, version=last + 1, kind=kind,
        generated_by=acting_user(by), generated_by_job=job[:100],
        **_contents(agency, year),
    )
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def yearly_report_generate(*, agency: Agency, year: int, by: Actor, job: str = "") -> YearlyReport:
    """Add a new on-demand version of the agency's report for the year; never changes an older one."""
    ensure_can_write(by, agency.pk)
    year = _checked_year(year)
    return _create_version(agency=agency, year=year, kind=ReportKind.ON_DEMAND, by=by, job=job)


def _year_end_for(agency: Agency, year: int) -> YearlyReport | None:
    try:
        with transaction.atomic():
            Agency.objects.select_for_update().filter(pk=agency.pk).first()
            if YearlyReport.objects.filter(agency=agency, year=year, kind=ReportKind.YEAR_END).exists():
                return None
            return _create_version(agency=agency, year=year, kind=ReportKind.YEAR_END, by=SYSTEM, job=YEAR_END_JOB)
    except IntegrityError:
        # Another worker froze this agency's year between our check and insert: nothing left to do.
        return None


def yearly_reports_generate_year_end(*, year: int) -> list[YearlyReport]:
    """Freeze the year for every active agency that has no year-end report for it yet (idempotent)."""
    year = _checked_year(year)
    created = []
    for agency in Agency.objects.filter(archived_at__isnull=True).order_by("id"):
        report = _year_end_for(agency, year)
        if report is not None:
            created.append(report)
    return created


@transaction.atomic
def yearly_figures_refresh(*, year: int) -> int:
    """Rewrite the running (version 0) row of every active agency for the year; returns how many."""
    year = _checked_year(year)
    agencies = list(Agency.objects.filter(archived_at__isnull=True).order_by("id"))
    for agency in agencies:
        YearlyReport.objects.update_or_create(
            agency=agency, year=year, version=0,
            defaults={"kind": ReportKind.RUNNING, "generated_by": None, "generated_by_job": RUNNING_JOB,
                      **_contents(agency, year)},
        )
    return len(agencies)


def report_diff(a: YearlyReport, b: YearlyReport) -> list[dict[str, Any]]:
    """The figures that changed from version a to version b, as dotted keys (e.g. "buckets.pending")."""
    if (a.agency_id, a.year) != (b.agency_id, b.year):
        raise ValidationError({"against": _("只能比较同一机关同一年度的报告版本。")})
    return figures_diff(a.figures, b.figures)
