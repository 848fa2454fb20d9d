"""Deadlines on the case page: add a manual one, mark one met, waive one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.models import Deadline
from cases.permissions import can_write
from cases.services import deadlines as deadline_services
from cases.services.calendar import workday_calendar
from cases.web.forms import DeadlineCompleteForm, DeadlineForm, DeadlineWaiveForm
from cases.web.views.common import ensure_writer, is_htmx, run_service, writable_case


@login_required
@require_http_methods(["GET", "POST"])
def deadline_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = writable_case(request, pk)
    form = DeadlineForm(request.POST or None, prefix="deadline")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        deadline = run_service(
            request, form,
            lambda: deadline_services.deadline_add_manual(
                case=case, title=data["title"], due_on=data["due_on"], by=request.user,
                is_bureau_duty=data["is_bureau_duty"],
            ),
            success=_("期限已添加。"),
        )
        if deadline is not None:
            return redirect("case-detail-page", pk=case.pk)
    return render(request, "cases/action_form.html", {"form": form, "case": case, "title": _("添加期限")})


def _writable_deadline(request: HttpRequest, pk: int) -> Deadline:
    queryset = Deadline.objects.for_user(request.user).filter(case__archived_at__isnull=True).select_related("case")
    deadline = get_object_or_404(queryset, pk=pk)
    ensure_writer(request, deadline.case.agency_id)
    return deadline


def _deadline_rows(request: HttpRequest, deadline: Deadline, form: Any = None) -> HttpResponse:
    """The case page's deadline table, for htmx to swap in place."""
    case = deadline.case
    rows = (
        Deadline.objects.filter(case=case).with_urgency(today=timezone.localdate(), calendar=workday_calendar())
        .select_related("closed_by").order_by("status", "due_on", "id")
    )
    context = {"case": case, "deadlines": rows, "can_write": can_write(request.user, case.agency_id),
               "failed_form": form, "failed_id": deadline.pk if form is not None else None, "oob": True}
    # 200 even for a refused change: htmx swaps only 2xx answers, and the errors are in the fragment.
    return render(request, "cases/_deadlines.html", context)


def _close(request: HttpRequest, pk: int, form_class: Any, call: Any, success: str, title: str) -> HttpResponse:
    deadline = _writable_deadline(request, pk)
    form = form_class(request.POST)
    done = form.is_valid() and run_service(request, form, lambda: call(deadline, form.cleaned_data)) is not None
    if done:
        messages.success(request, success)
    if is_htmx(request):
        return _deadline_rows(request, deadline, None if done else form)
    if done:
        return redirect("case-detail-page", pk=deadline.case_id)
    context = {"form": form, "case": deadline.case, "title": title}
    return render(request, "cases/action_form.html", context, status=422)


@login_required
@require_POST
def deadline_complete(request: HttpRequest, pk: int) -> HttpResponse:
    def call(deadline: Deadline, data: dict[str, Any]) -> Deadline:
        return deadline_services.deadline_complete(deadline=deadline, by=request.user, note=data["note"])

    return _close(request, pk, DeadlineCompleteForm, call, _("期限已标记为完成。"), _("完成期限"))


@login_required
@require_POST
def deadline_waive(request: HttpRequest, pk: int) -> HttpResponse:
    def call(deadline: Deadline, data: dict[str, Any]) -> Deadline:
        return deadline_services.deadline_waive(deadline=deadline, by=request.user, reason=data["reason"])

    return _close(request, pk, DeadlineWaiveForm, call, _("期限已免除。"), _("免除期限"))
