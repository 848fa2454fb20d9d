"""Admin for yearly report snapshots: read-only rows, XLSX/DOCX downloads, a regenerate action.

A numbered version is never edited:
"regenerate" adds a new version through cases.services.reports.
"""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cases.admin.common import ReadOnlyAdmin, person_column
from cases.admin.site import site
from cases.exports import (
    DOCX_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    export_filename,
    yearly_report_docx,
    yearly_report_xlsx,
)
from cases.models import YearlyReport
from cases.services.reports import yearly_report_generate

_EXPORTS = {
    "xlsx": (yearly_report_xlsx, XLSX_CONTENT_TYPE),
    "docx": (yearly_report_docx, DOCX_CONTENT_TYPE),
}


@admin.register(YearlyReport, site=site)
class YearlyReportAdmin(ReadOnlyAdmin):
    list_display = ("agency", "year", "version", "kind", "generated_at", person_column("generated_by", _("生成人")), "generated_by_job", "downloads")
    list_filter = ("year", "kind", "agency")
    list_select_related = ("agency", "generated_by")
    search_fields = ("agency__name", "agency__code")
    fields = (
        "agency", "year", "version", "kind", "generated_at", "generated_by", "generated_by_job",
        "text_zh", "text_en", "figures_pretty", "downloads",
    )
    readonly_fields = fields
    actions = ["regenerate"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[YearlyReport]:
        return YearlyReport.objects.for_user(request.user).select_related("agency", "generated_by")

    @admin.display(description=_("统计数据"))
    def figures_pretty(self, obj: YearlyReport) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.figures, ensure_ascii=False, indent=2))

    @admin.display(description=_("导出"))
    def downloads(self, obj: YearlyReport) -> str:
        return format_html(
            '<a href="{}">XLSX</a> | <a href="{}">DOCX</a>',
            reverse("admin:cases_yearlyreport_export", args=[obj.pk, "xlsx"]),
            reverse("admin:cases_yearlyreport_export", args=[obj.pk, "docx"]),
        )

    def get_urls(self) -> list[URLPattern]:
        export = path(
            "<int:pk>/export/<str:fmt>/", self.admin_site.admin_view(self.export_view),
            name="cases_yearlyreport_export",
        )
        return [export, *super().get_urls()]

    def export_view(self, request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
        report = self.get_queryset(request).filter(pk=pk).first()
        if report is None or fmt not in _EXPORTS or not self.has_view_permission(request, report):
            raise Http404
        build, content_type = _EXPORTS[fmt]
        response = HttpResponse(build(report), content_type=content_type)
        name = export_filename(report.year, report.agency.code, fmt, report.version)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @admin.action(description=_("重新生成所选机关年度的报告(新增版本)"))
    def regenerate(self, request: HttpRequest, queryset: QuerySet[YearlyReport]) -> None:
        pairs = {(report.agency, report.year) for report in queryset.select_related("agency")}
        for agency, year in sorted(pairs, key=lambda pair: (pair[0].pk, pair[1])):
            try:
                report = yearly_report_generate(agency=agency, year=year, by=request.user, job="admin")
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(request, f"{agency} {year}: {'; '.join(getattr(exc, 'messages', [str(exc)]))}",
                                  messages.ERROR)
            else:
                self.message_user(request, _("已生成 %(r)s") % {"r": report}, messages.SUCCESS)
