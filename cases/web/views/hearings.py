"""Hearings: schedule, reschedule, postpone or cancel one, record who of the bureau attended (D7),
fetch the absence proof."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.models import Hearing
from cases.services import hearings as hearing_services
from cases.services.calendar import rest_day_warning
from cases.web.forms import (
    HearingCancelForm,
    HearingPostponeForm,
    HearingRecordForm,
    HearingRescheduleForm,
    HearingScheduleForm,
)
from cases.web.views.common import ensure_writer, run_service, writable_case


def _warn_on_rest_day(request: HttpRequest, hearing: Hearing) -> None:
    """Allowed, but said: a hearing on a weekend or a holiday (the case page shows the message)."""
    warning = rest_day_warning(hearing.scheduled_at)
    if warning:
        messages.warning(request, warning)


def _visible_hearing(request: HttpRequest, pk: int) -> Hearing:
    queryset = Hearing.objects.for_user(request.user).active().select_related("case", "case__agency")
    return get_object_or_404(queryset, pk=pk)


def _writable_hearing(request: HttpRequest, pk: int) -> Hearing:
    hearing = _visible_hearing(request, pk)
    ensure_writer(request, hearing.case.agency_id)
    return hearing


@login_required
@require_http_methods(["GET", "POST"])
def hearing_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = writable_case(request, pk)
    form = HearingScheduleForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        hearing = run_service(
            request, form,
            lambda: hearing_services.hearing_schedule(
                case=case, scheduled_at=data["scheduled_at"], by=request.user, kind=data["kind"],
                place=data["place"], expected_leader=data["expected_leader"], notes=data["notes"],
            ),
            success=_("开庭/听证已安排。"),
        )
        if hearing is not None:
            _warn_on_rest_day(request, hearing)
            return redirect("case-detail-page", pk=case.pk)
    return render(request, "cases/action_form.html", {"form": form, "case": case, "title": _("安排开庭/听证")})


@login_required
@require_http_methods(["GET", "POST"])
def hearing_record(request: HttpRequest, pk: int) -> HttpResponse:
    hearing = _writable_hearing(request, pk)
    form = HearingRecordForm(request.POST or None, request.FILES or None, hearing=hearing)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        recorded = run_service(
            request, form,
            lambda: hearing_services.hearing_record(
                hearing=hearing, by=request.user, responsible_person=data["responsible_person"],
                staff=data["staff"], lawyer_names=data["lawyer_names"], absence_reason=data["absence_reason"],
                absence_detail=data["absence_detail"], absence_proof=data["absence_proof"],
                notes=data["notes"], expected_version=data.get("version"),
            ),
            success=_("出庭情况已记录。"),
            aliases={"scheduled_at": "__all__", "status": "__all__"},
        )
        if recorded is not None:
            return redirect("case-detail-page", pk=hearing.case_id)
    context = {"form": form, "case": hearing.case, "hearing": hearing, "title": _("记录出庭情况")}
    return render(request, "cases/hearing_record.html", context)


def _hearing_form_page(request: HttpRequest, hearing: Hearing, form: Any, title: str) -> HttpResponse:
    context = {"form": form, "case": hearing.case, "hearing": hearing, "title": title}
    return render(request, "cases/hearing_action.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def hearing_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    """改期: a new time, place or leader arranged (a postponed hearing gets its new date here)."""
    hearing = _writable_hearing(request, pk)
    form = HearingRescheduleForm(request.POST or None, hearing=hearing)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            request, form,
            lambda: hearing_services.hearing_reschedule(
                hearing=hearing, by=request.user, scheduled_at=data["scheduled_at"], place=data["place"],
                expected_leader=data["expected_leader"], reason=data["reason"],
                expected_version=data.get("version"),
            ),
            success=_("开庭安排已调整。"),
            aliases={"status": "__all__"},
        )
        if done is not None:
            _warn_on_rest_day(request, done)
            return redirect("case-detail-page", pk=hearing.case_id)
    return _hearing_form_page(request, hearing, form, _("调整开庭安排"))


def _reason_action(
    request: HttpRequest, pk: int, form_class: type, service: Any, *, success: str, title: str
) -> HttpResponse:
    """A hearing action that only needs a reason (postpone, cancel), through its service."""
    hearing = _writable_hearing(request, pk)
    form = form_class(request.POST or None, hearing=hearing)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            request, form,
            lambda: service(
                hearing=hearing, by=request.user, reason=data["reason"], expected_version=data.get("version"),
            ),
            success=success,
            aliases={"status": "__all__"},
        )
        if done is not None:
            return redirect("case-detail-page", pk=hearing.case_id)
    return _hearing_form_page(request, hearing, form, title)


@login_required
@require_http_methods(["GET", "POST"])
def hearing_postpone(request: HttpRequest, pk: int) -> HttpResponse:
    return _reason_action(
        request, pk, HearingPostponeForm, hearing_services.hearing_postpone,
        success=_("开庭已延期。"), title=_("开庭延期"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def hearing_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _reason_action(
        request, pk, HearingCancelForm, hearing_services.hearing_cancel,
        success=_("开庭已取消。"), title=_("取消开庭"),
    )


@login_required
@require_GET
def hearing_proof(request: HttpRequest, pk: int) -> FileResponse:
    """The absence proof, only to users who may see the case (media is never served publicly)."""
    hearing = _visible_hearing(request, pk)
    if not hearing.absence_proof:
        raise Http404(_("没有证明材料。"))
    return FileResponse(hearing.absence_proof.open("rb"), as_attachment=True,
                        filename=hearing.absence_proof.name.rsplit("/", 1)[-1])
