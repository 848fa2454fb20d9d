"""Exports of a year's figures: the statistics table and case list (XLSX), the report section (DOCX).

    statistics_xlsx(figures, cases, title=...) -> bytes   # sheets 统计表 and 案件清单
    report_docx(figures, text_zh, title=...) -> bytes     # heading, the paragraph, the tables
    yearly_report_xlsx(report) / yearly_report_docx(report) -> bytes   # from a frozen YearlyReport
    live_exports(year=..., agency=..., with_children=...) -> (figures, cases, text_zh)

`figures` is the object of cases.querysets.statistics.yearly_statistics (or a report's
frozen `figures`); `cases` is `case_rows(...)` (or a report's frozen `case_list`).
Used by the admin, `manage.py yearly_stats --xlsx/--docx` and the API.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from docx import Document as DocxDocument
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from cases.choices import Instance, Kind, Outcome, Subject
from cases.filings import layout
from cases.querysets.statistics import case_rows, scope_ids, year_figures
from cases.text import without_control_characters
from casetracker.report import BUCKET_KEYS, BUCKET_LABELS, RATE_KEYS, RATE_LABELS, Rate, YearFigures, text_zh

if TYPE_CHECKING:
    from cases.models import Agency, YearlyReport

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

CASE_COLUMNS: list[tuple[str, str]] = [
    ("agency__code", "机关"), ("kind", "类型"), ("litigation_instance", "审级"), ("number", "案号"),
    ("reviewing_body", "审理机关"), ("applicant", "申请人/原告"), ("subject", "案由"),
    ("act_description", "被诉（被申请）行政行为"), ("received_on", "收到日期"), ("concluded_on", "结案日期"),
    ("outcome", "结果"), ("bucket", "年度归类"), ("act_changed", "我局自行纠正后撤回"),
]


def _label(choices: Any, value: str) -> str:
    return str(dict(choices.choices).get(value, value)) if value else ""


def _bucket_label(bucket: str, kind: str) -> str:
    if bucket == "corrected":
        return "纠错" if kind == Kind.RECONSIDERATION else "败诉"
    return BUCKET_LABELS[bucket][0]


def _append(sheet: Worksheet, row: Sequence[Any]) -> None:
    """Append a row of values; text is always text.

    openpyxl turns any string starting with "=" into a formula, so an applicant typed
    as =HYPERLINK(...) would run in the reader's Excel (formula injection). Control
    characters stored before they were refused are dropped: XML cannot hold them.
    """
    sheet.append([without_control_characters(value) for value in row])
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def _header(sheet: Worksheet, row: Sequence[str]) -> None:
    _append(sheet, row)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")


def _rate_cells(rate: Mapping[str, Any]) -> list[Any]:
    shown = Rate(rate["numerator"], rate["denominator"])
    return [rate["numerator"], rate["denominator"], rate["rate"] if rate["rate"] is not None else shown.percent]


def _statistics_sheet(sheet: Worksheet, figures: Mapping[str, Any], title: str) -> None:
    sheet.title = "统计表"
    _append(sheet, [title])
    sheet["A1"].font = Font(bold=True, size=14)
    _append(sheet, [])
    _header(sheet, ["项目", "合计", "行政复议", "行政诉讼"])
    kinds = figures["by_kind"]
    _append(sheet, ["办理案件总数", figures["total"], kinds["reconsideration"]["total"], kinds["litigation"]["total"]])
    for key in BUCKET_KEYS:
        _append(sheet, [BUCKET_LABELS[key][0], figures["buckets"][key],
                      kinds["reconsideration"][key], kinds["litigation"][key]])
    _append(sheet, [])
    _header(sheet, ["案由", "合计", *(BUCKET_LABELS[key][0] for key in BUCKET_KEYS)])
    for code, row in figures["by_subject"].items():
        _append(sheet, [_label(Subject, code), row["total"], *(row[key] for key in BUCKET_KEYS)])
    _append(sheet, [])
    _header(sheet, ["比率", "分子", "分母", "比率"])
    for key in RATE_KEYS:
        _append(sheet, [RATE_LABELS[key][0], *_rate_cells(figures["rates"][key])])
        cell = sheet.cell(row=sheet.max_row, column=4)
        if isinstance(cell.value, float):
            cell.number_format = "0.0%"
    sheet.column_dimensions["A"].width = 28


DATE_KEYS = ("received_on", "concluded_on")


def _day(value: Any) -> dt.date | None:
    """A list row's day (ISO text in a frozen snapshot, a date in a live one) as a date Excel can sort."""
    if not value:
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _agency_names(cases: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Agency code -> name for the rows (a frozen snapshot keeps the code; people read the name)."""
    from cases.models import Agency

    codes = {row["agency__code"] for row in cases if row.get("agency__code")}
    return dict(Agency.objects.filter(code__in=codes).values_list("code", "name"))


def _case_sheet(sheet: Worksheet, cases: Sequence[Mapping[str, Any]]) -> None:
    _header(sheet, ["序号", *(title for _, title in CASE_COLUMNS)])
    names = _agency_names(cases)
    date_columns = [2 + position for position, (key, _) in enumerate(CASE_COLUMNS) if key in DATE_KEYS]
    for index, row in enumerate(cases, start=1):
        values = {
            **row,
            "agency__code": names.get(row["agency__code"], row["agency__code"]),
            "received_on": _day(row["received_on"]),
            "concluded_on": _day(row["concluded_on"]),
            "kind": _label(Kind, row["kind"]),
            "litigation_instance": _label(Instance, row["litigation_instance"]),
            "subject": _label(Subject, row["subject"]),
            "outcome": _label(Outcome, row["outcome"]),
            "bucket": _bucket_label(row["bucket"], row["kind"]),
            "act_changed": "是" if row["act_changed"] else "",
        }
        _append(sheet, [index, *(values[key] or "" for key, _ in CASE_COLUMNS)])
        for column in date_columns:
            sheet.cell(row=sheet.max_row, column=column).number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "B2"
    for letter, width in (("B", 26), ("E", 24), ("F", 24), ("G", 20), ("I", 30), ("J", 12), ("K", 12)):
        sheet.column_dimensions[letter].width = width


def statistics_xlsx(figures: Mapping[str, Any], cases: Sequence[Mapping[str, Any]], *, title: str) -> bytes:
    """A workbook with the year's statistics table (统计表) and its case list (案件清单)."""
    book = Workbook()
    _statistics_sheet(book.active, figures, title)
    _case_sheet(book.create_sheet("案件清单"), cases)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report_docx(figures: Mapping[str, Any], text: str, *, title: str) -> bytes:
    """The report section on the 公文 page (cases/filings/layout.py): title, the paragraph, the two tables."""
    doc = layout.apply_layout(DocxDocument())
    layout.title(doc, without_control_characters(title))
    layout.body(doc, without_control_characters(text))
    kinds = figures["by_kind"]
    table = layout.table(doc, ["项目", "合计", "行政复议", "行政诉讼"], [64, 30, 30, 30])
    rows = [("办理案件总数", "total")] + [(BUCKET_LABELS[key][0], key) for key in BUCKET_KEYS]
    for label, key in rows:
        overall = figures["total"] if key == "total" else figures["buckets"][key]
        layout.table_row(doc, table, [str(v) for v in (label, overall, kinds["reconsideration"][key],
                                                        kinds["litigation"][key])])
    layout.body(doc, "")
    rates = layout.table(doc, ["比率", "分子/分母", "比率"], [64, 46, 44])
    for key in RATE_KEYS:
        rate = Rate(figures["rates"][key]["numerator"], figures["rates"][key]["denominator"])
        layout.table_row(doc, rates, [RATE_LABELS[key][0], rate.fraction, rate.percent])
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def report_title(year: int, agency_name: str | None) -> str:
    return f"{agency_name or '全部机关'}{year}年度行政复议和行政应诉情况"


def export_filename(year: int, code: str | None, ext: str, version: int | None = None) -> str:
    suffix = f"-v{version}" if version else ""
    return f"yearly-{code or 'all'}-{year}{suffix}.{ext}"


def yearly_report_xlsx(report: YearlyReport) -> bytes:
    """The frozen snapshot as XLSX: its figures and the case list frozen with it."""
    return statistics_xlsx(report.figures, report.case_list, title=report_title(report.year, report.agency.name))


def yearly_report_docx(report: YearlyReport) -> bytes:
    return report_docx(report.figures, report.text_zh, title=report_title(report.year, report.agency.name))


def live_exports(
    *, year: int, agency: Agency | None = None, with_children: bool = False
) -> tuple[dict[str, Any], list[dict[str, Any]], str]:
    """Today's figures, case list and Chinese paragraph for a year (not a frozen snapshot)."""
    ids = scope_ids(agency=agency, with_children=with_children)
    figures: YearFigures = year_figures(year=year, ids=ids, label=agency.code if agency else None)
    return figures.as_dict(), case_rows(year=year, ids=ids), text_zh(figures)
