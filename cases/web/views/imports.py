"""The 导入台账 page: upload -> preview (counts and row errors) -> confirm, and the empty template."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.choices import LedgerImportStatus
from cases.ledger.workbook import XLSX_CONTENT_TYPE, ledger_template
from cases.models import Agency, LedgerImport
from cases.permissions import can_import
from cases.services.ledger_jobs import ledger_confirm, ledger_progress, ledger_upload
from cases.web.views.common import is_htmx, run_service


class LedgerUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("台账文件(.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))


def _import_agency(request: HttpRequest) -> Agency:
    """The agency the user imports into: their own; nobody else may import (403)."""
    membership = getattr(request.user, "membership", None)
    if membership is None or not can_import(request.user, membership.agency):
        raise PermissionDenied(_("只有本机关的法制工作人员和管理员可以导入台账。"))
    return membership.agency


def _job(request: HttpRequest, pk: int) -> LedgerImport:
    agency = _import_agency(request)
    return get_object_or_404(LedgerImport.objects.writable_by(request.user).select_related("agency"), pk=pk, agency=agency)


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    agency = _import_agency(request)
    form = LedgerUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = run_service(request, form, lambda: ledger_upload(agency=agency, by=request.user,
                                                               file=form.cleaned_data["file"]))
        if job is not None:
            return redirect("ledger-import-detail", pk=job.pk)
    recent = LedgerImport.objects.filter(agency=agency).select_related("created_by")[:10]
    return render(request, "imports/start.html", {"form": form, "agency": agency, "recent": recent})


@login_required
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    context: dict[str, Any] = {"job": job, "progress": ledger_progress(job), "Status": LedgerImportStatus}
    summary = job.result if job.result is not None else job.check_result
    context["summary"] = summary
    template = "imports/_status.html" if is_htmx(request) else "imports/detail.html"
    return render(request, template, context)


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    try:
        ledger_confirm(job=job, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("ledger-import-detail", pk=job.pk)


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(ledger_template(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="ledger-template.xlsx"'
    return response
