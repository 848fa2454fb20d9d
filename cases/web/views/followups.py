"""The 跟进事项 pages: the list (filters, XLSX export), log, edit and answer a letter, corrective actions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.filtersets import FollowUpFilterSet
from cases.models import CorrectiveAction, FollowUp
from cases.permissions import can_write, writable_agency_ids
from cases.services import corrective_actions as action_services
from cases.services import followups as follow_up_services
from cases.web.followups_export import follow_ups_workbook
from cases.web.forms_followups import (
    CorrectiveActionDoneForm,
    CorrectiveActionForm,
    FollowUpAnswerForm,
    FollowUpFilterForm,
    FollowUpForm,
)
from cases.web.views.common import ensure_writer, run_service, user_agency_id, writable_case

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 50


def _filtered(request: HttpRequest) -> QuerySet[FollowUp]:
    base = FollowUp.objects.for_user(request.user).active().select_related("agency", "case").order_by(
        "status", "due_on", "id")
    filterset = FollowUpFilterSet(request.GET, queryset=base, request=request)
    return filterset.qs if filterset.is_valid() else base.none()


def _visible(request: HttpRequest, pk: int) -> FollowUp:
    """A letter the user may read; another agency's is a 404."""
    return get_object_or_404(FollowUp.objects.for_user(request.user).active().select_related("case"), pk=pk)


def _writable(request: HttpRequest, pk: int) -> FollowUp:
    follow_up = _visible(request, pk)
    ensure_writer(request, follow_up.agency_id)
    return follow_up


def _form_page(request: HttpRequest, form: Any, title: str, status: int = 200) -> HttpResponse:
    return render(request, "followups/form.html", {"form": form, "title": title}, status=status)


@login_required
@require_GET
def follow_up_list(request: HttpRequest) -> HttpResponse:
    rows = _filtered(request)
    writable = writable_agency_ids(request.user)
    context = {
        "form": FollowUpFilterForm(request.GET or None),
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "today": timezone.localdate(),
        "can_create": writable is None or bool(writable),
        "export_query": request.GET.urlencode(),
        "actions": CorrectiveAction.objects.for_user(request.user).active().open().filter(case__isnull=True)
        .select_related("follow_up").order_by("due_on"),
    }
    return render(request, "followups/list.html", context)


@login_required
@require_GET
def follow_up_export(request: HttpRequest) -> HttpResponse:
    """The filtered list, every page of it, as a workbook."""
    response = HttpResponse(follow_ups_workbook(_filtered(request).iterator(chunk_size=500)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="follow-ups-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_create(request: HttpRequest) -> HttpResponse:
    agency_id = user_agency_id(request)
    if agency_id is None or not can_write(request.user, agency_id):
        raise PermissionDenied(_("只有法制工作人员可以登记跟进事项。"))
    form = FollowUpForm(request.POST or None, agency_id=agency_id)
    if request.method == "POST" and form.is_valid():
        agency = request.user.membership.agency  # type: ignore[union-attr]
        created = run_service(request, form, lambda: follow_up_services.follow_up_create(
            agency=agency, by=request.user, **form.service_fields()), success=_("跟进事项已登记。"))
        if created is not None:
            return redirect("follow-up-list")
    return _form_page(request, form, _("登记跟进事项"))


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_edit(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = _writable(request, pk)
    form = FollowUpForm(request.POST or None, agency_id=follow_up.agency_id, follow_up=follow_up)
    if request.method == "POST" and form.is_valid():
        saved = run_service(request, form, lambda: follow_up_services.follow_up_update(
            follow_up=follow_up, by=request.user, data=form.service_fields(),
            expected_version=form.cleaned_data.get("version")), success=_("跟进事项已保存。"))
        if saved is not None:
            return redirect("follow-up-list")
    return _form_page(request, form, _("修改跟进事项"))


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_answer(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = _writable(request, pk)
    form = FollowUpAnswerForm(request.POST or None, initial={"version": follow_up.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(request, form, lambda: follow_up_services.follow_up_answer(
            follow_up=follow_up, by=request.user, answered_on=data["answered_on"],
            reply_document_number=data["reply_document_number"], expected_version=data.get("version")),
            success=_("答复已记录。"))
        if saved is not None:
            return redirect("follow-up-list")
    return _form_page(request, form, _("记录答复"))


def _add_action(request: HttpRequest, form: CorrectiveActionForm, back: Any, **subject: Any) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        added = run_service(request, form, lambda: action_services.corrective_action_create(
            by=request.user, **subject, **form.cleaned_data), success=_("整改措施已添加。"))
        if added is not None:
            return back
    return _form_page(request, form, _("添加整改措施"))


@login_required
@require_http_methods(["GET", "POST"])
def case_action_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = writable_case(request, pk)
    form = CorrectiveActionForm(request.POST or None)
    return _add_action(request, form, redirect("case-detail-page", pk=case.pk), case=case)


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_action_create(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = _writable(request, pk)
    form = CorrectiveActionForm(request.POST or None)
    return _add_action(request, form, redirect("follow-up-list"), follow_up=follow_up)


@login_required
@require_http_methods(["GET", "POST"])
def corrective_action_done(request: HttpRequest, pk: int) -> HttpResponse:
    queryset = CorrectiveAction.objects.for_user(request.user).active()
    action = get_object_or_404(queryset, pk=pk)
    ensure_writer(request, action.agency_id)
    form = CorrectiveActionDoneForm(request.POST or None, initial={"version": action.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(request, form, lambda: action_services.corrective_action_done(
            action=action, done_on=data["done_on"], note=data["note"], by=request.user,
            expected_version=data.get("version")), success=_("整改措施已完成。"))
        if done is not None:
            return redirect("case-detail-page", pk=action.case_id) if action.case_id else redirect("follow-up-list")
    return _form_page(request, form, _("整改完成"))
