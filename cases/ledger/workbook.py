"""Writing the ledger workbook: the export of cases and hearings, and the empty import template.

openpyxl in write-only mode keeps memory flat however many cases are written; text that
starts with "=" stays text (no formula injection into the reader's Excel).
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from cases.ledger.columns import (
    CASE_COLUMNS,
    CASE_SHEET,
    HEARING_COLUMNS,
    HEARING_SHEET,
    LABEL_SHEET,
    NO,
    YES,
    Column,
    label_of,
)
from cases.models import Case, Hearing, Membership
from cases.people import person_name
from cases.text import without_control_characters

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_CHUNK = 500
_REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")


class PersonNames:
    """How the export names people: surname + given name, or the username when two members share a name."""

    def __init__(self, agency_ids: Iterable[int]) -> None:
        users = [m.user for m in Membership.objects.filter(agency_id__in=set(agency_ids)).select_related("user")]
        counts = Counter(self._full(user) for user in users)
        self._ambiguous = {name for name, count in counts.items() if count > 1}

    @staticmethod
    def _full(user: Any) -> str:
        return person_name(user)

    def __call__(self, user: Any) -> str:
        if user is None:
            return ""
        full = self._full(user)
        return user.get_username() if full in self._ambiguous else full

    def many(self, users: Iterable[Any]) -> str:
        return "、".join(sorted(self(user) for user in users))


def _flag(value: bool) -> str:
    return YES if value else NO


def case_cells(case: Case, names: PersonNames) -> dict[str, Any]:
    """Every editable fact of a case under its column key (the import reads the same keys)."""
    values: dict[str, Any] = {}
    for column in CASE_COLUMNS:
        if column.key == "previous":
            values[column.key] = case.previous.number if case.previous_id else ""
        elif column.key == "handlers":
            values[column.key] = names.many(case.handlers.all())
        elif column.kind == "choice":
            assert column.choices is not None
            values[column.key] = label_of(column.choices, getattr(case, column.key))
        elif column.kind == "flag":
            values[column.key] = _flag(getattr(case, column.key))
        else:
            values[column.key] = getattr(case, column.key)
    return values


def hearing_cells(hearing: Hearing, names: PersonNames) -> dict[str, Any]:
    moment = timezone.localtime(hearing.scheduled_at).replace(tzinfo=None)
    return {
        "number": hearing.case.number,
        "reviewing_body": hearing.case.reviewing_body,
        "scheduled_at": moment,
        "kind": label_of(HEARING_COLUMNS[3].choices, hearing.kind),  # type: ignore[arg-type]
        "place": hearing.place,
        "status": label_of(HEARING_COLUMNS[5].choices, hearing.status),  # type: ignore[arg-type]
        "expected_leader": names(hearing.expected_leader),
        "responsible_person": names(hearing.responsible_person),
        "staff": names.many(hearing.attending_staff.all()),
        "lawyer_names": hearing.lawyer_names,
        "absence_reason": label_of(HEARING_COLUMNS[10].choices, hearing.absence_reason),  # type: ignore[arg-type]
        "absence_detail": hearing.absence_detail,
        "notes": hearing.notes,
    }


def _cell(sheet: WriteOnlyWorksheet, value: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=without_control_characters(value))
    if cell.data_type == "f":
        cell.data_type = "s"  # text typed as "=HYPERLINK(...)" stays text
    if isinstance(value, dt.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def _start(
    book: Workbook, title: str, columns: tuple[Column, ...], heading: Sequence[str] = ()
) -> WriteOnlyWorksheet:
    """A sheet with the column headers; ``heading`` lines (title, agency, filters, date) go above them,
    then a blank row: the import finds the header row below such a block (cases/ledger/reader.py)."""
    sheet = book.create_sheet(title)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    above = len(heading) + 1 if heading else 0
    sheet.freeze_panes = f"B{above + 2}"
    for number, line in enumerate(heading):
        cell = _cell(sheet, line)
        cell.font = Font(bold=True, size=14) if number == 0 else Font(color="555555")
        sheet.append([cell])
    if heading:
        sheet.append([])
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = Font(bold=True)
        if column.required:
            cell.fill = _REQUIRED_FILL
        header.append(cell)
    sheet.append(header)
    return sheet


def _chunks(cases: Iterable[Case]) -> Iterator[list[Case]]:
    chunk: list[Case] = []
    for case in cases:
        chunk.append(case)
        if len(chunk) == _CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def ledger_export(cases: QuerySet[Case], *, heading: Sequence[str] = ()) -> bytes:
    """The cases (and their hearings) as the ledger workbook the import reads back.

    ``heading``: lines written above the case sheet's header (the page's export passes the
    title, agency, filters and date); the import skips them.
    """
    User = get_user_model()
    names = PersonNames(cases.order_by().values_list("agency_id", flat=True).distinct())
    # The ledger page's queryset prefetches handlers in its own order; the export names them sorted.
    cases = cases.select_related("previous").prefetch_related(None).prefetch_related("handlers")
    book = Workbook(write_only=True)
    case_sheet = _start(book, CASE_SHEET, CASE_COLUMNS, heading)
    ids: list[int] = []
    for chunk in _chunks(cases.iterator(chunk_size=_CHUNK)):
        for case in chunk:
            cells = case_cells(case, names)
            case_sheet.append([_cell(case_sheet, cells[column.key]) for column in CASE_COLUMNS])
            ids.append(case.pk)
    hearing_sheet = _start(book, HEARING_SHEET, HEARING_COLUMNS)
    hearings = (
        Hearing.objects.filter(archived_at__isnull=True)
        .select_related("case", "expected_leader", "responsible_person")
        .prefetch_related(Prefetch("attending_staff", queryset=User.objects.all()))
        .order_by("scheduled_at", "id")
    )
    for start in range(0, len(ids), _CHUNK):
        for hearing in hearings.filter(case_id__in=ids[start:start + _CHUNK]):
            cells = hearing_cells(hearing, names)
            hearing_sheet.append([_cell(hearing_sheet, cells[column.key]) for column in HEARING_COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ledger_template() -> bytes:
    """The empty workbook: both sheets' headers (required ones shaded) and a sheet of allowed labels."""
    book = Workbook(write_only=True)
    _start(book, CASE_SHEET, CASE_COLUMNS)
    _start(book, HEARING_SHEET, HEARING_COLUMNS)
    labels = book.create_sheet(LABEL_SHEET)
    labels.append([_cell(labels, text) for text in ("工作表", "列名", "必填", "可填写的值")])
    for sheet_name, columns in ((CASE_SHEET, CASE_COLUMNS), (HEARING_SHEET, HEARING_COLUMNS)):
        for column in columns:
            labels.append([_cell(labels, text) for text in (
                sheet_name, column.header, YES if column.required else "", _allowed(column),
            )])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _allowed(column: Column) -> str:
    if column.choices is not None:
        return "、".join(label_of(column.choices, code) for code in column.choices.values)
    return {
        "day": "日期,如 2021-03-01、2021/3/1、2021.3.1、2021年3月1日",
        "moment": "日期和时间,如 2021-03-01 09:30",
        "flag": "是、否",
        "people": "本机关人员姓名,多人用、分隔",
        "person": "本机关负责人姓名",
        "number": "案号,全角或半角括号均可",
    }.get(column.kind, "文字")
