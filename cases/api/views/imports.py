"""GET /api/cases/export.xlsx (the ledger workbook, the list's filters) and POST /api/imports/ (import it)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.api.errors import ErrorSerializer
from cases.filtersets import CaseFilterSet
from cases.ledger.parse import RowError
from cases.ledger.workbook import XLSX_CONTENT_TYPE, ledger_export
from cases.models import Agency, Case
from cases.services.ledger_import import ImportResult, ledger_import

_ERRORS = inline_serializer("LedgerImportError", many=True, fields={
    "sheet": serializers.CharField(help_text="'' for the cases sheet, '开庭' for hearings"),
    "row": serializers.IntegerField(help_text="the Excel row number (0: the file as a whole)"),
    "column": serializers.CharField(),
    "message": serializers.CharField(),
    "text": serializers.CharField(help_text="第N行 [列名] message"),
}, help_text="every error, sorted by sheet, row and column")
_RESULT = inline_serializer("LedgerImportResult", {
    "created": serializers.IntegerField(), "updated": serializers.IntegerField(),
    "unchanged": serializers.IntegerField(), "errors": _ERRORS, "warnings": serializers.ListField(child=serializers.CharField()),
    "dry_run": serializers.BooleanField(),
    "detail": serializers.CharField(required=False, help_text="with errors: how many, and that nothing was saved"),
    "code": serializers.CharField(required=False, help_text="with errors: ledger_invalid"),
})


class CaseExportView(APIView):
    """The cases the list would show (same filters), as the ledger workbook the import reads back."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("kind", str), OpenApiParameter("status", str), OpenApiParameter("year", int),
                    OpenApiParameter("q", str)],
        responses={(200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY},
    )
    def get(self, request: Request) -> HttpResponse:
        queryset = Case.objects.for_user(request.user).active()
        filterset = CaseFilterSet(request.query_params, queryset=queryset, request=request)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        response = HttpResponse(ledger_export(filterset.qs), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="ledger-{timezone.localdate():%Y%m%d}.xlsx"'
        return response


class LedgerImportView(APIView):
    """Import a ledger workbook (multipart ``file``) into the caller's agency; ``?dry_run=true`` saves nothing.

    200 with the counts when it was imported (or checked); 400 with the same shape when
    any row has an error, and then nothing was saved. Legal staff and administrators of
    the agency only (403 otherwise); ``agency`` (a code) defaults to the caller's own.
    """

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": inline_serializer("LedgerImportUpload", {
            "file": serializers.FileField(), "agency": serializers.CharField(required=False),
        })},
        parameters=[OpenApiParameter("dry_run", bool, description="check and count, save nothing")],
        responses={200: _RESULT, 400: _RESULT, 404: ErrorSerializer},
    )
    def post(self, request: Request) -> Response:
        upload = request.FILES.get("file")
        dry_run = str(request.query_params.get("dry_run", "")).lower() in ("1", "true", "yes")
        agency = self._agency(request)
        if upload is None:
            result = ImportResult(dry_run=dry_run)
            result.errors.append(RowError("", 0, "file", _("请上传台账文件(.xlsx)。")))
        else:
            result = ledger_import(agency=agency, by=request.user, file=upload, filename=upload.name or "",
                                   dry_run=dry_run, size=upload.size)
        body: dict[str, Any] = {**result.as_dict(), "warnings": result.warnings, "dry_run": dry_run}
        if not result.errors:
            return Response(body)
        # The API's error shape (detail, code, errors), with errors as the import's list of row errors.
        body["detail"] = _("台账有 %(n)d 处错误,未保存任何数据。") % {"n": len(result.errors)}
        body["code"] = "ledger_invalid"
        return Response(body, status=status.HTTP_400_BAD_REQUEST)

    @staticmethod
    def _agency(request: Request) -> Agency:
        code = (request.data.get("agency") or "").strip()
        if code:
            agency = Agency.objects.for_user(request.user).filter(code=code).first()
            if agency is None:
                raise NotFound(_("未知的机关代码。"))  # another agency's code: 404, as everywhere
            return agency
        membership = getattr(request.user, "membership", None)
        if membership is None:
            raise ValidationError({"agency": [_("请填写机关代码。")]})
        return membership.agency
