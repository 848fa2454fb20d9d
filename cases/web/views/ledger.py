"""The ledger (台账) page and its XLSX export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cases.api.pagination import CappedCountPaginator, reads_several_agencies
from cases.ledger.workbook import ledger_export
from cases.permissions import can_import, writable_agency_ids
from cases.services.calendar import workday_calendar
from cases.web.ledger import PAGE_SIZE, LedgerFilterForm, default_sort, ledger_heading, ledger_queryset
from cases.web.views.common import is_htmx
from casetracker.calendar import WorkdayCalendar

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filtered(
    request: HttpRequest, calendar: WorkdayCalendar | None = None, wide: bool = False
) -> tuple[LedgerFilterForm, object]:
    form = LedgerFilterForm(request.GET or None, user=request.user)
    filters = form.filters() if request.GET else {}
    calendar = calendar or workday_calendar()
    cases = ledger_queryset(request.user, filters, today=timezone.localdate(), calendar=calendar, wide=wide)
    return form, cases


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    # One calendar for the urgency levels and the days-left tags (no per-row fingerprint queries).
    calendar = workday_calendar()
    # Several agencies (a city, a province, the nation): newest first and a count capped at
    # 10,000 (cases/api/pagination.py), so the first page does not cost a million rows.
    wide = reads_several_agencies(request.user)
    form, cases = _filtered(request, calendar, wide)
    page = CappedCountPaginator(cases, PAGE_SIZE, wide=lambda: wide).get_page(request.GET.get("page"))
    writable = writable_agency_ids(request.user)
    context = {
        "form": form,
        "page": page,
        "default_sort": default_sort(wide),
        "can_create": writable is None or bool(writable),
        "can_import": _can_import(request),
        "export_query": request.GET.urlencode(),
        "workday_calendar": calendar,
        "print_heading": ledger_heading(form, request.user, today=timezone.localdate()).lines(printed=True),
    }
    template = "cases/_ledger_results.html" if is_htmx(request) else "cases/ledger.html"
    return render(request, template, context)


@login_required
@require_GET
def case_export(request: HttpRequest) -> HttpResponse:
    """The filtered ledger, every page of it, as the workbook the import reads (docs/ledger-import.md)."""
    form, cases = _filtered(request)
    heading = ledger_heading(form, request.user, today=timezone.localdate()).lines(printed=False)
    response = HttpResponse(ledger_export(cases, heading=heading), content_type=XLSX)
    filename = f"ledger-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _can_import(request: HttpRequest) -> bool:
    membership = getattr(request.user, "membership", None)
    return membership is not None and can_import(request.user, membership.agency)
