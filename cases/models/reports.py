"""Yearly report snapshots: the figures of D2-D4 frozen per agency and year.

One row per version: the 1 January job freezes last year (kind `year_end`), staff may
add a version on demand (`on_demand`); a numbered version is never changed afterwards.
The nightly job keeps one `running` row per agency for the current year (version 0),
the only row that is rewritten. Rows are written only by cases/services/reports.py.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.choices import ReportKind
from cases.querysets.reports import YearlyReportQuerySet


class YearlyReport(models.Model):
    """One version of an agency's figures and report paragraph for a year (年度行政复议应诉统计)."""

    agency = models.ForeignKey(
        "cases.Agency", verbose_name=_("机关"), on_delete=models.PROTECT, related_name="yearly_reports"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    version = models.PositiveIntegerField(_("版本"), help_text=_("1, 2, ...;本年实时统计为 0。"))
    kind = models.CharField(_("类型"), max_length=12, choices=ReportKind.choices)
    figures = models.JSONField(_("统计数据"))
    # The same numbers as one flat list, for adding up thousands of agencies' rows (issue 17;
    # cases.querysets.statistics.frozen_year_figures). Derived from `figures` by save().
    counts = models.JSONField(_("计数"), default=list, blank=True, editable=False)
    counts_layout = models.CharField(_("计数格式"), max_length=16, blank=True, editable=False)
    case_list = models.JSONField(_("案件清单"), default=list, blank=True)
    text_zh = models.TextField(_("报告段落(中文)"))
    text_en = models.TextField(_("报告段落(英文)"))
    generated_at = models.DateTimeField(_("生成时间"))
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("生成人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    generated_by_job = models.CharField(_("生成任务"), max_length=100, blank=True)

    objects = YearlyReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("年度统计报告")
        verbose_name_plural = _("年度统计报告")
        ordering = ["-year", "agency_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "version"],
                name="yearly_report_unique_version",
                violation_error_message=_("该机关该年度已有此版本的报告。"),
            ),
            # The 1 January job relies on this to stay idempotent under retries and double beats.
            models.UniqueConstraint(
                fields=["agency", "year"],
                condition=Q(kind="year_end"),
                name="yearly_report_one_year_end",
                violation_error_message=_("该机关该年度已有年终报告。"),
            ),
            models.CheckConstraint(
                condition=(Q(kind="running") & Q(version=0)) | (~Q(kind="running") & Q(version__gte=1)),
                name="yearly_report_version_matches_kind",
                violation_error_message=_("实时统计的版本为 0,其他报告的版本从 1 起。"),
            ),
        ]

    def __str__(self) -> str:
        if self.kind == ReportKind.RUNNING:
            return f"{self.agency} {self.year} ({self.get_kind_display()})"
        return f"{self.agency} {self.year} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A numbered version is a published figure: it is never rewritten (add a new version instead).
        if not self._state.adding and self.kind != ReportKind.RUNNING:
            raise ValidationError(_("已生成的报告版本不能修改,请重新生成新版本。"))
        from cases.querysets.statistics import frozen_counts

        self.counts_layout, self.counts = frozen_counts(self.figures)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "figures" in update_fields:  # e.g. update_or_create
            kwargs["update_fields"] = {*update_fields, "counts", "counts_layout"}
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError(_("年度统计报告不能删除。"))
