"""The filtered ledger as an .xlsx workbook (openpyxl, write-only: constant memory)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from cases.deadline_text import basis_text, days_left_text
from cases.models import Case
from cases.services.calendar import workday_calendar
from cases.text import without_control_characters
from cases.web.templatetags.casetracker_web import deadline_title, outcome_label, person, urgency_label
from casetracker.calendar import WorkdayCalendar


def _headers() -> list[str]:
    return [
        _("案号"), _("类型"), _("审级"), _("案由"), _("申请人/原告"), _("审理机关"), _("机关"),
        _("收到日期"), _("状态"), _("结果"), _("结案日期"), _("承办人"),
        _("下一期限"), _("届满日"), _("紧急程度"), _("剩余期限"), _("法律依据"),
    ]


def _row(case: Case, today: dt.date, calendar: WorkdayCalendar) -> list[object]:
    next_due = getattr(case, "next_due", None)
    next_rule, next_version = getattr(case, "next_rule", ""), getattr(case, "next_rule_version", "")
    return [
        case.number, case.get_kind_display(), case.get_litigation_instance_display(), case.get_subject_display(),
        case.applicant, case.reviewing_body, case.agency.name, case.received_on,
        case.get_status_display(), outcome_label(case.outcome), case.concluded_on,
        "、".join(person(u) for u in case.handlers.all()),
        deadline_title(next_rule, getattr(case, "next_title", "")) if next_due else "",
        next_due, urgency_label(getattr(case, "next_urgency", None)),
        days_left_text(next_rule, next_version, next_due, today, calendar) if next_due else "",
        basis_text(next_rule, next_version) if next_due else "",
    ]


def ledger_workbook(cases: Iterable[Case]) -> bytes:
    """One sheet: a bold header row, then one row per case; dates stay real dates."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("案件台账"))
    widths = [24, 10, 6, 16, 20, 24, 24, 12, 8, 18, 12, 16, 24, 12, 14, 14, 48]
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for title in _headers():
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    today, calendar = timezone.localdate(), workday_calendar()
    for case in cases:
        row = []
        for value in _row(case, today, calendar):
            # Control characters stored before they were refused: XML cannot hold them.
            cell = WriteOnlyCell(sheet, value=without_control_characters(value))
            if cell.data_type == "f":
                # Text typed as "=HYPERLINK(...)" stays text: no formula injection into Excel.
                cell.data_type = "s"
            if hasattr(value, "isoformat"):
                cell.number_format = "yyyy-mm-dd"
            row.append(cell)
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
