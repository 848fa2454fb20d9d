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

from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.api.errors import ErrorSerializer
from cases.api.serializers.reports import (
    ReportDiffQuerySerializer,
    ReportDiffSerializer,
    ReportGenerateSerializer,
    StatisticsQuerySerializer,
    YearlyReportSerializer,
    YearlyStatisticsSerializer,
)
from cases.api.views.common import ScopedViewSet
from cases.exports import (
    DOCX_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    export_filename,
    yearly_report_docx,
    yearly_report_xlsx,
)
from cases.filtersets import ReportFilterSet
from cases.models import Agency, YearlyReport
from cases.permissions import visible_agency_ids
from cases.querysets.statistics import yearly_statistics
from cases.services.reports import local_today, report_diff, yearly_report_generate


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


class YearlyReportViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Report snapshots of the agencies the user may see; generating one goes through the service."""

    queryset = YearlyReport.objects.select_related("agency", "generated_by")
    serializer_class = YearlyReportSerializer
    filterset_class = ReportFilterSet
    ordering_fields = ["year", "version", "generated_at"]

    def get_queryset(self) -> Any:
        return super().get_queryset().for_user(self.request.user)

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

