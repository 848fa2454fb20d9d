"""The yearly statistics and report snapshots in the API (issue 5).

    GET  /api/statistics/yearly/?year=2021&agency=wuzhou-hrss[&with_children=true]
         -> the object of `manage.py yearly_stats --format json` (agency defaults to the user's own)
    GET  /api/reports/[?year=&agency=&kind=]   snapshots the user may see, with their export links
    GET  /api/reports/{id}/                     one snapshot (figures, paragraphs)
    GET  /api/reports/{id}/xlsx/ | /docx/       its exports
    GET  /api/reports/{id}/diff/?against={id}   the figures that changed between two versions
    POST /api/reports/generate/ {"agency", "year"}  legal staff of the agency (or an admin): a new version

An agency the user may not see is a 404, like any object of another agency.
"""

from __future__ import annotations

import json
from typing import Any

import django_filters
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.viewsets import ReadOnlyModelViewSet

from cases.api.errors import ErrorSerializer
from cases.exports import (
    DOCX_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    export_filename,
    yearly_report_docx,
    yearly_report_xlsx,
)
from cases.models import Agency, YearlyReport
from cases.permissions import visible_agency_ids
from cases.querysets.statistics import MAX_YEAR, MIN_YEAR, yearly_statistics
from cases.services.reports import local_today, report_diff, yearly_report_generate
from casetracker.report import BUCKET_KEYS, RATE_KEYS

# --- Serializers: they describe the figures' JSON for the schema; the roll-up builds it. ----


class RateSerializer(serializers.Serializer):
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True, help_text=_("分子/分母,0-1 的小数(4 位);分母为 0 时为 null"))


class BucketsSerializer(serializers.Serializer):
    def get_fields(self) -> dict[str, serializers.Field]:
        return {key: serializers.IntegerField() for key in BUCKET_KEYS}


class KindBucketsSerializer(BucketsSerializer):
    def get_fields(self) -> dict[str, serializers.Field]:
        return {"total": serializers.IntegerField(), **super().get_fields()}


class ByKindSerializer(serializers.Serializer):
    reconsideration = KindBucketsSerializer()
    litigation = KindBucketsSerializer()


class RatesSerializer(serializers.Serializer):
    def get_fields(self) -> dict[str, serializers.Field]:
        return {key: RateSerializer() for key in RATE_KEYS}


class YearlyStatisticsSerializer(serializers.Serializer):
    """DOMAIN.md D2-D4 for one year; the same object as `manage.py yearly_stats --format json`."""

    year = serializers.IntegerField()
    agency = serializers.CharField(allow_null=True, help_text=_("机关代码;全部机关时为 null"))
    total = serializers.IntegerField()
    buckets = BucketsSerializer()
    by_kind = ByKindSerializer()
    by_subject = serializers.DictField(child=KindBucketsSerializer(), help_text=_("按案由代码(D8)"))
    rates = RatesSerializer()


class StatisticsQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR, required=False)
    agency = serializers.SlugField(required=False, help_text=_("机关代码,默认为本人所在机关"))
    with_children = serializers.BooleanField(required=False, default=False)


class ReportLinksSerializer(serializers.Serializer):
    xlsx = serializers.URLField()
    docx = serializers.URLField()


class YearlyReportSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    generated_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    figures = YearlyStatisticsSerializer(read_only=True)
    links = serializers.SerializerMethodField()

    class Meta:
        model = YearlyReport
        fields = [
            "id", "agency", "agency_name", "year", "version", "kind", "figures", "text_zh", "text_en",
            "generated_at", "generated_by", "generated_by_job", "links",
        ]
        read_only_fields = fields

    @extend_schema(responses=ReportLinksSerializer)
    def get_links(self, report: YearlyReport) -> dict[str, str]:
        request = self.context.get("request")
        links = {ext: reverse(f"api:yearly-report-{ext}", args=[report.pk]) for ext in ("xlsx", "docx")}
        return {k: request.build_absolute_uri(v) if request else v for k, v in links.items()}


class ReportGenerateSerializer(serializers.Serializer):
    agency = serializers.SlugField()
    year = serializers.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR)


class ReportChangeSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_("如 buckets.pending、rates.loss.numerator"))
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)


class ReportDiffQuerySerializer(serializers.Serializer):
    against = serializers.IntegerField(min_value=1, help_text=_("另一版本报告的 id"))


class ReportDiffSerializer(serializers.Serializer):
    before = serializers.IntegerField(help_text=_("旧版本报告 id"))
    after = serializers.IntegerField(help_text=_("新版本报告 id"))
    changes = ReportChangeSerializer(many=True)


# --- Views ------------------------------------------------------------------------------


def _visible_agency(user: Any, code: str | None) -> Agency | None:
    """The agency asked for (default: the user's own), or None for all (administrators only); 404 if hidden."""
    if not code:
        member = getattr(user, "membership", None)
        if member is not None:
            return member.agency
        if visible_agency_ids(user) is None:
            return None
        raise Http404
    agency = Agency.objects.for_user(user).filter(code=code).first()
    if agency is None:
        raise Http404
    return agency


class YearlyStatisticsView(APIView):
    @extend_schema(
        summary="A year's figures (D2-D4)",
        parameters=[StatisticsQuerySerializer],
        responses={200: YearlyStatisticsSerializer, 404: ErrorSerializer},
    )
    def get(self, request: Request) -> Response:
        query = StatisticsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        agency = _visible_agency(request.user, query.validated_data.get("agency"))
        with_children = query.validated_data["with_children"] and agency is not None
        if with_children:
            visible = visible_agency_ids(request.user)
            if visible is not None and not agency.descendant_ids() <= visible:  # type: ignore[union-attr]
                raise PermissionDenied(_("您无权查看该机关的下级机关。"))
        year = query.validated_data.get("year") or local_today().year
        return Response(yearly_statistics(year=year, agency=agency, with_children=with_children))


class ReportFilterSet(django_filters.FilterSet):
    agency = django_filters.CharFilter(field_name="agency__code")

    class Meta:
        model = YearlyReport
        fields = ["agency", "year", "kind"]


class _FileRenderer(BaseRenderer):
    """Lets a client Accept the file's type; errors on these routes still come out as JSON."""

    charset = None

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        return data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode()


class XlsxRenderer(_FileRenderer):
    media_type, format = XLSX_CONTENT_TYPE, "xlsx"


class DocxRenderer(_FileRenderer):
    media_type, format = DOCX_CONTENT_TYPE, "docx"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class YearlyReportViewSet(ReadOnlyModelViewSet):
    serializer_class = YearlyReportSerializer
    filterset_class = ReportFilterSet
    ordering_fields = ["year", "version", "generated_at"]

    def get_queryset(self) -> Any:
        return YearlyReport.objects.for_user(self.request.user).select_related("agency", "generated_by")

    @extend_schema(responses={(200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="xlsx", url_name="xlsx", renderer_classes=[JSONRenderer, XlsxRenderer])
    def xlsx(self, request: Request, pk: str | None = None) -> HttpResponse:
        report = self.get_object()
        name = export_filename(report.year, report.agency.code, "xlsx", report.version)
        return _download(yearly_report_xlsx(report), XLSX_CONTENT_TYPE, name)

    @extend_schema(responses={(200, DOCX_CONTENT_TYPE): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="docx", url_name="docx", renderer_classes=[JSONRenderer, DocxRenderer])
    def docx(self, request: Request, pk: str | None = None) -> HttpResponse:
        report = self.get_object()
        name = export_filename(report.year, report.agency.code, "docx", report.version)
        return _download(yearly_report_docx(report), DOCX_CONTENT_TYPE, name)

    @extend_schema(
        parameters=[ReportDiffQuerySerializer],
        responses={200: ReportDiffSerializer},
    )
    @action(detail=True, methods=["get"])
    def diff(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        query = ReportDiffQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        other = self.get_queryset().filter(pk=query.validated_data["against"]).first()
        if other is None:
            raise Http404
        older, newer = sorted([other, report], key=lambda r: r.version)
        return Response({"before": older.pk, "after": newer.pk, "changes": report_diff(older, newer)})

    @extend_schema(request=ReportGenerateSerializer, responses={201: YearlyReportSerializer, 404: ErrorSerializer})
    @action(detail=False, methods=["post"])
    def generate(self, request: Request) -> Response:
        data = ReportGenerateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        agency = _visible_agency(request.user, data.validated_data["agency"])
        report = yearly_report_generate(
            agency=agency, year=data.validated_data["year"], by=request.user, job="api"  # type: ignore[arg-type]
        )
        serializer = self.get_serializer(report)
        return Response(serializer.data, status=status.HTTP_201_CREATED)

