"""Workbooks for the ledger tests, written the way people fill them in Excel."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from python_calamine import CalamineWorkbook

CASE_HEADERS = ["案号", "类型", "审级", "审理机关", "申请人/原告", "案由", "收到日期", "立案日期", "结果", "结案日期", "承办人"]


def lawsuit(number: str = "(2021)桂0403行初12号", **cells: Any) -> dict[str, Any]:
    row = {
        "案号": number, "类型": "行政诉讼", "审级": "一审", "审理机关": "梧州市万秀区人民法院",
        "申请人/原告": "黄某", "案由": "工伤认定", "收到日期": "2021-03-01",
    }
    row.update(cells)
    return row


def reconsideration(number: str = "梧政复〔2021〕5号", **cells: Any) -> dict[str, Any]:
    row = {
        "案号": number, "类型": "行政复议", "审理机关": "梧州市人民政府",
        "申请人/原告": "陈某", "案由": "工伤认定", "收到日期": "2021-02-01",
    }
    row.update(cells)
    return row


def book(
    cases: Sequence[dict[str, Any]], hearings: Sequence[dict[str, Any]] = (), *,
    title: str | None = None, case_sheet: str = "台账",
) -> bytes:
    """Sheet 1 with the union of the rows' headers (title row above when given), sheet 开庭 when any hearing."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = case_sheet
    _fill(sheet, cases, title)
    if hearings:
        _fill(workbook.create_sheet("开庭"), hearings, None)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _fill(sheet: Any, rows: Sequence[dict[str, Any]], title: str | None) -> None:
    headers: list[str] = []
    for row in rows:
        headers += [key for key in row if key not in headers]
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(len(headers), 2))
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(header) for header in headers])


def sheets(content: bytes) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet's rows as sorted tuples: two exports hold the same facts when these are equal."""
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return {
        name: sorted((tuple(row) for row in workbook.get_sheet_by_name(name).to_python()), key=repr)
        for name in workbook.sheet_names
    }
