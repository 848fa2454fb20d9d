"""The leaders' dashboard, the printable year-end report and their XLSX / DOCX downloads."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cases.exports import (
    DOCX_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    export_filename,
    report_docx,
    report_title,
    statistics_xlsx,
)
from cases.models import Agency, ReminderDelivery
from cases.permissions import is_admin, visible_agency_ids
from cases.querysets.statistics import case_rows, validate_year
from cases.services.calendar import workday_calendar
from cases.services.reminder_failures import FAILED_LIST_URL
from cases.web import dashboard as board
from cases.web.views.common import user_agency_id

AGENCY_CODE = re.compile(r"[-a-zA-Z0-9_]{1,60}")
AGENCY_MENU_LIMIT = 100


def _year(request: HttpRequest) -> tuple[int, str]:
    raw = request.GET.get("year", "")
    this_year = timezone.localdate().year
    if not raw:
        return this_year, ""
    try:
        return validate_year(raw), ""
    except ValidationError as error:
        return this_year, " ".join(error.messages)


def _scope(request: HttpRequest) -> tuple[board.Scope, Any, str]:
    """The agency the figures are for: ?agency=<code> among the visible ones, else the user's own."""
    agencies = Agency.objects.for_user(request.user).filter(archived_at__isnull=True)
    visible = visible_agency_ids(request.user)
    code = request.GET.get("agency", "")
    problem = ""
    agency = None
    if code and code != "all":
        # Only a well-formed code reaches the database (PostgreSQL refuses NUL bytes in text).
        agency = agencies.filter(code=code).first() if AGENCY_CODE.fullmatch(code) else None
        if agency is None:
            problem = _("没有机关“%(c)s”,已显示本机关。") % {"c": code.replace("\x00", "")[:60]}
    if agency is None and code != "all":
        own = user_agency_id(request)
        agency = agencies.filter(pk=own).first() if own else None
    with_children = request.GET.get("children") == "1"
    return board.Scope(agency=agency, with_children=with_children, visible_ids=visible), agencies, problem


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    year, year_problem = _year(request)
    scope, agencies, scope_problem = _scope(request)
    today = timezone.localdate()
    trend = board.trend(scope, year)
    figures = trend[-1]
    overdue_count, overdue = board.overdue_deadlines(request.user, scope, today=today)
    follow_up_count, follow_ups = board.open_follow_ups(request.user, scope)
    hearings_count, hearings = board.upcoming_hearings(request.user, scope)
    nobody_count, nobody = board.nobody_attended(request.user, scope, year)
    # A menu of agencies up to AGENCY_MENU_LIMIT; a national administrator types a code instead.
    menu = list(agencies.only("id", "code", "name")[: AGENCY_MENU_LIMIT + 1])
    context = {
        "follow_up_count": follow_up_count,
        "follow_ups": follow_ups,
        "grounds": board.ground_rows(figures),
        "grounds_missing": board.grounds_missing(request.user, scope),  # (count, the first few)
        "today": today,
        "year": year,
        # A past year's page still shows today's live panels: they are titled 今日 (today's).
        "past_year": year < today.year,
        "years": list(range(today.year, today.year - 10, -1)),
        "scope": scope,
        "agencies": menu if len(menu) <= AGENCY_MENU_LIMIT else [],
        "agency_typed": len(menu) > AGENCY_MENU_LIMIT,
        "problems": [p for p in (year_problem, scope_problem) if p],
        "figures": figures,
        "equation": board.equation(figures),
        "court_rates": [board.rate_card(key, figures["rates"][key]) for key in ("court_appearance", "leader_appearance")],
        "other_rates": [board.rate_card(key, figures["rates"][key])
                        for key in ("correction", "loss", "hearing_appearance", "hearing_leader_appearance")],
        "urgency": board.open_by_urgency(request.user, scope, today=today, calendar=workday_calendar()),
        "overdue_count": overdue_count,
        "overdue": overdue,
        "hearings_count": hearings_count,
        "hearings": hearings,
        "nobody_attended_count": nobody_count,
        "nobody_attended": nobody,
        "agency_table": board.agency_table(scope, year, request.GET.get("agencies_page")),
        "paragraph": board.paragraph(figures),
        "chart_data": board.charts(figures, trend),
        "query": request.GET.urlencode(),
        # Administrators see reminders that could not be delivered (docs/reminders.md).
        "failed_reminders": ReminderDelivery.objects.failed_for(request.user).count() if is_admin(request.user) else None,
        "failed_reminders_url": FAILED_LIST_URL,
    }
    return render(request, "dashboard/dashboard.html", context)


def _export_inputs(request: HttpRequest) -> tuple[int, board.Scope, dict[str, Any], str]:
    year, _problem = _year(request)
    scope, _agencies, _p = _scope(request)
    figures = scope.statistics(year)
    name = scope.agency.name if scope.agency is not None else None
    return year, scope, figures, report_title(year, name)


@login_required
@require_GET
def year_report(request: HttpRequest) -> HttpResponse:
    """The year-end section as a page to read and print."""
    year, scope, figures, title = _export_inputs(request)
    rows = [
        {"label": board.bucket_label(key), "total": figures["buckets"][key],
         "reconsideration": figures["by_kind"]["reconsideration"][key],
         "litigation": figures["by_kind"]["litigation"][key]}
        for key in ("upheld", "corrected", "withdrawn", "withdrawn_after_act_changed", "mediated", "other", "pending")
    ]
    context = {
        "year": year, "title": title, "figures": figures, "rows": rows,
        "rates": [board.rate_card(key, value) for key, value in figures["rates"].items()],
        "paragraph": board.paragraph(figures), "query": request.GET.urlencode(),
        "generated_at": timezone.localtime(),
    }
    return render(request, "dashboard/report.html", context)


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def export_xlsx(request: HttpRequest) -> HttpResponse:
    year, scope, figures, title = _export_inputs(request)
    cases = case_rows(year=year, ids=scope.ids())
    code = scope.agency.code if scope.agency is not None else None
    return _download(statistics_xlsx(figures, cases, title=title), XLSX_CONTENT_TYPE, export_filename(year, code, "xlsx"))


@login_required
@require_GET
def export_docx(request: HttpRequest) -> HttpResponse:
    year, scope, figures, title = _export_inputs(request)
    code = scope.agency.code if scope.agency is not None else None
    text = board.paragraph(figures)["zh"]
    return _download(report_docx(figures, text, title=title), DOCX_CONTENT_TYPE, export_filename(year, code, "docx"))
