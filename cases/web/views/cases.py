"""The case page and the forms that change a case (log, edit, conclude, suspend, resume, reopen)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.choices import HearingStatus, Status
from cases.models import Case, Deadline, Hearing
from cases.permissions import can_write, writable_agency_ids
from cases.services import cases as case_services
from cases.services import grounds as grounds_services
from cases.services.calendar import workday_calendar
from cases.web.forms import (
    CaseForm,
    ConcludeForm,
    DeadlineForm,
    DocumentForm,
    GroundsForm,
    ReopenForm,
    ResumeForm,
    SuspendForm,
    status_actions,
)
from cases.web.timeline import case_history, case_timeline
from cases.web.views.common import run_service, visible_case, writable_case
from cases.web.views.defence import evidence_context
from casetracker.followups import needs_grounds


def _hearings(case: Case) -> list[Hearing]:
    return list(
        case.hearings.filter(archived_at__isnull=True)
        .select_related("expected_leader", "responsible_person")
        .prefetch_related("attending_staff")
        .order_by("scheduled_at", "id")
    )


def _deadlines(case: Case) -> list[Deadline]:
    calendar = workday_calendar()
    return list(
        Deadline.objects.filter(case=case).with_urgency(today=timezone.localdate(), calendar=calendar)
        .select_related("closed_by").order_by("status", "due_on", "id")
    )


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = visible_case(request, pk)
    case = Case.objects.prefetch_related("handlers").select_related("agency", "previous").get(pk=case.pk)
    hearings, deadlines = _hearings(case), _deadlines(case)
    history = case_history(case)
    writable = can_write(request.user, case.agency_id)
    documents = case.documents.filter(archived_at__isnull=True).select_related("uploaded_by")
    context: dict[str, Any] = {
        "case": case,
        "chain": case.chain(),
        "hearings": hearings,
        "deadlines": deadlines,
        "documents": documents,
        "history": history,
        "timeline": case_timeline(history, hearings, deadlines),
        "can_write": writable,
        "actions": status_actions(case) if writable else [],
        "deadline_form": DeadlineForm(prefix="deadline") if writable else None,
        "document_form": DocumentForm(prefix="document") if writable else None,
        "now": timezone.now(),
        "suspensions": list(case.suspensions.order_by("suspended_on", "id")),
        "open_hearings": [h for h in hearings if h.status in (HearingStatus.SCHEDULED, HearingStatus.POSTPONED)],
        **evidence_context(case, writable, request.user),
        **_aftermath(case),
    }
    return render(request, "cases/detail.html", context)


def _aftermath(case: Case) -> dict[str, Any]:
    """D12 on the case page: the grounds of a correction or loss, its corrective actions and letters."""
    return {
        "needs_grounds": case.status == Status.CONCLUDED and needs_grounds(case.outcome),
        "grounds": list(case.grounds.all()),
        "corrective_actions": list(case.corrective_actions.active()),
        "follow_ups": list(case.follow_ups.active()),
    }


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    writable = writable_agency_ids(request.user)
    if writable is not None and not writable:
        raise PermissionDenied(_("只有法制工作人员可以登记案件。"))
    form = CaseForm(request.POST or None, user=request.user, instance=Case())
    if request.method == "POST" and form.is_valid():
        case = run_service(
            request, form,
            lambda: case_services.case_create(
                agency=form.chosen_agency(), by=request.user,
                handlers=form.cleaned_data.get("handlers") or (), **form.service_fields(),
            ),
            success=_("案件已登记,法定期限已自动计算。"),
        )
        if case is not None:
            return redirect("case-detail-page", pk=case.pk)
    return render(request, "cases/case_form.html", {"form": form, "title": _("登记案件")})


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = writable_case(request, pk)
    form = CaseForm(request.POST or None, user=request.user, instance=case)
    if request.method == "POST" and form.is_valid():
        updated = run_service(
            request, form,
            lambda: case_services.case_update(
                case=case, by=request.user, data=form.service_fields(),
                handlers=form.cleaned_data.get("handlers"),
                expected_version=form.cleaned_data.get("version"),
            ),
            success=_("案件信息已保存。"),
        )
        if updated is not None:
            return redirect("case-detail-page", pk=case.pk)
    return render(request, "cases/case_form.html", {"form": form, "case": case, "title": _("修改案件信息")})


def _state_change(request: HttpRequest, pk: int, form_class: Any, title: str, call: Any, success: str,
                  **form_kwargs: Any) -> HttpResponse:
    case = writable_case(request, pk)
    kwargs = {"case": case} if form_class in (ConcludeForm, GroundsForm) else {}
    form = form_class(request.POST or None, **kwargs, **form_kwargs)
    if not kwargs and "version" in form.fields:
        form.fields["version"].initial = case.version
    if request.method == "POST" and form.is_valid():
        if run_service(request, form, lambda: call(case, form.cleaned_data), success=success) is not None:
            return redirect("case-detail-page", pk=case.pk)
    return render(request, "cases/action_form.html", {"form": form, "case": case, "title": title})


@login_required
@require_http_methods(["GET", "POST"])
def case_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    def call(case: Case, data: dict[str, Any]) -> Case:
        return case_services.case_conclude(
            case=case, outcome=data["outcome"], concluded_on=data["concluded_on"], by=request.user,
            act_changed=data["act_changed"], decision_number=data["decision_number"],
            cancel_hearings=data.get("cancel_hearings", False), expected_version=data.get("version"),
            grounds=data["grounds"],
        )

    return _state_change(request, pk, ConcludeForm, _("结案"), call, _("案件已结案。"))


@login_required
@require_http_methods(["GET", "POST"])
def case_grounds(request: HttpRequest, pk: int) -> HttpResponse:
    def call(case: Case, data: dict[str, Any]) -> Case:
        return grounds_services.case_grounds_record(
            case=case, grounds=data["grounds"], by=request.user, expected_version=data.get("version"),
        )

    return _state_change(request, pk, GroundsForm, _("纠错/败诉理由"), call, _("纠错/败诉理由已保存。"))


@login_required
@require_http_methods(["GET", "POST"])
def case_suspend(request: HttpRequest, pk: int) -> HttpResponse:
    def call(case: Case, data: dict[str, Any]) -> Case:
        return case_services.case_suspend(
            case=case, by=request.user, reason=data["reason"], suspended_on=data.get("suspended_on"),
            expected_version=data.get("version"),
        )

    return _state_change(request, pk, SuspendForm, _("中止案件"), call, _("案件已中止。"))


@login_required
@require_http_methods(["GET", "POST"])
def case_resume(request: HttpRequest, pk: int) -> HttpResponse:
    def call(case: Case, data: dict[str, Any]) -> Case:
        return case_services.case_resume(
            case=case, by=request.user, reason=data.get("reason", ""), resumed_on=data.get("resumed_on"),
            expected_version=data.get("version"),
        )

    return _state_change(request, pk, ResumeForm, _("恢复审理"), call, _("案件已恢复审理。"))


@login_required
@require_http_methods(["GET", "POST"])
def case_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    def call(case: Case, data: dict[str, Any]) -> Case:
        return case_services.case_reopen(
            case=case, by=request.user, reason=data["reason"], expected_version=data.get("version")
        )

    return _state_change(request, pk, ReopenForm, _("重新打开案件"), call, _("案件已重新打开。"))

