"""The filtered 跟进事项 list as an .xlsx workbook (openpyxl, write-only)."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from cases.models import FollowUp


def _headers() -> list[str]:
    return [_("类型"), _("发出机关"), _("文号"), _("收到日期"), _("关联案件"), _("主要内容"), _("答复期限"),
            _("答复日期"), _("答复文号"), _("状态"), _("机关")]


def _row(f: FollowUp) -> list[object]:
    return [f.get_type_display(), f.issuing_body, f.document_number, f.received_on, f.case.number if f.case else "",
            f.summary, f.due_on, f.answered_on, f.reply_document_number, f.get_status_display(), f.agency.name]


def _cell(sheet: object, value: object) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if cell.data_type == "f":
        cell.data_type = "s"  # text typed as "=..." stays text: no formula injection into Excel
    if hasattr(value, "isoformat"):
        cell.number_format = "yyyy-mm-dd"
    return cell


def follow_ups_workbook(rows: Iterable[FollowUp]) -> bytes:
    """One sheet: a bold header row, then one row per letter; dates stay real dates."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("跟进事项"))
    sheet.freeze_panes = "A2"
    header = [_cell(sheet, title) for title in _headers()]
    for cell in header:
        cell.font = Font(bold=True)
    sheet.append(header)
    for follow_up in rows:
        sheet.append([_cell(sheet, value) for value in _row(follow_up)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
