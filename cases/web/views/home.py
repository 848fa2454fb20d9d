"""The landing page: legal staff and administrators get 今日待办 (their own work today),
leaders and viewers go to the dashboard."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cases.choices import Role
from cases.querysets.todo import HEARING_DAYS, ROWS_SHOWN, todays_work
from cases.services.calendar import workday_calendar


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Leaders and viewers land on the dashboard; everyone else on 今日待办."""
    member = getattr(request.user, "membership", None)
    if member is not None and member.role in (Role.LEADER, Role.VIEWER):
        return redirect("dashboard")
    calendar = workday_calendar()
    work = todays_work(request.user, today=timezone.localdate(), calendar=calendar)
    context = {"work": work, "workday_calendar": calendar, "rows_shown": ROWS_SHOWN, "hearing_days": HEARING_DAYS}
    return render(request, "home/todo.html", context)
