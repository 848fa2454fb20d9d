"""Documents of a case: upload, download (permission-checked), archive."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.models import Document
from cases.services.documents import document_archive, document_upload
from cases.web.forms import DeadlineWaiveForm, DocumentForm
from cases.web.views.common import ensure_writer, run_service, writable_case


@login_required
@require_http_methods(["GET", "POST"])
def document_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = writable_case(request, pk)
    form = DocumentForm(request.POST or None, request.FILES or None, prefix="document")
    if request.method == "POST" and form.is_valid():
        document = run_service(
            request, form,
            lambda: document_upload(case=case, title=form.cleaned_data["title"], kind=form.cleaned_data["kind"],
                                    dated_on=form.cleaned_data["dated_on"], file=form.cleaned_data["file"],
                                    by=request.user),
            success=_("文书已上传。"),
        )
        if document is not None:
            return redirect("case-detail-page", pk=case.pk)
    return render(request, "cases/action_form.html",
                  {"form": form, "case": case, "title": _("上传文书"), "multipart": True})


def _visible_document(request: HttpRequest, pk: int) -> Document:
    queryset = Document.objects.for_user(request.user).active().select_related("case")
    return get_object_or_404(queryset, pk=pk)


@login_required
@require_GET
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = _visible_document(request, pk)
    return FileResponse(document.file.open("rb"), as_attachment=True,
                        filename=document.file.name.rsplit("/", 1)[-1])


@login_required
@require_http_methods(["GET", "POST"])
def document_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Archive, never delete: the file stays on disk and in the history."""
    document = _visible_document(request, pk)
    ensure_writer(request, document.case.agency_id)
    form = DeadlineWaiveForm(request.POST or None)
    form.fields["reason"].label = _("归档原因")
    if request.method == "POST" and form.is_valid():
        done = run_service(request, form,
                           lambda: document_archive(document=document, by=request.user,
                                                    reason=form.cleaned_data["reason"]),
                           success=_("文书已归档。"))
        if done is not None:
            return redirect("case-detail-page", pk=document.case_id)
    return render(request, "cases/action_form.html",
                  {"form": form, "case": document.case, "title": _("归档文书:%(t)s") % {"t": document.title}})
