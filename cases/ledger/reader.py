"""Reading a ledger workbook with python-calamine: headers found, rows streamed, limits enforced.

calamine (Rust) reads an .xlsx several times faster than openpyxl and gives formulas as
their cached values. The header row is the one among the first rows that names the most
known columns, so a title row above it (often merged across the sheet) is skipped; a
header merged down over two rows is read from its top cell.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import IO, Any, Final

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook, PasswordError

from cases.ledger.columns import CASE_COLUMNS, HEARING_COLUMNS, HEARING_SHEET, LABEL_SHEET, Column, column_for
from cases.uploads import IMPORT_TYPES, validate_upload

MAX_ROWS: Final = 50_000
_HEADER_SEARCH: Final = 10  # a title block above the header is at most this many rows
_OLE2_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class WorkbookRefused(ValueError):
    """The file as a whole cannot be imported (type, size, password, damage, too many rows)."""


def _stream(sheet: CalamineSheet) -> Iterator[list[Any]]:
    """The sheet's rows from row 1 and column A (calamine starts its columns at the first used one)."""
    pad = [""] * sheet.start[1] if sheet.start else []
    for values in sheet.iter_rows():
        yield pad + values if pad else values


@dataclass
class Sheet:
    """One sheet's columns and rows; ``rows`` yields (Excel row number, {Column: cell value}).

    The rows are streamed from the workbook on every call (each pass holds one row
    at a time), so a caller may read the sheet more than once in constant memory.
    """

    name: str
    header_row: int
    columns: dict[int, Column]
    unknown: list[str]
    missing: list[Column]
    row_count: int
    _source: CalamineSheet | None = field(repr=False, default=None)

    def rows(self) -> Iterator[tuple[int, dict[Column, Any]]]:
        if self._source is None:
            return
        for number, values in enumerate(_stream(self._source), start=1):
            if number <= self.header_row:
                continue
            cells = {column: values[index] for index, column in self.columns.items() if index < len(values)}
            if any(_filled(value) for value in cells.values()):
                yield number, cells


@dataclass
class Ledger:
    cases: Sheet
    hearings: Sheet | None


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def check_file(file: IO[bytes], size: int | None, name: str = "ledger.xlsx") -> None:
    """Refuse what is not a readable .xlsx before reading it, with the reason people can act on.

    The size limit (UPLOAD_MAX_BYTES, 20 MB) and the content-sniffed type are the one
    upload check every file passes (cases/uploads.py); an encrypted workbook is told
    apart first, because its OLE2 container would otherwise only be "not an .xlsx".
    """
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head == _OLE2_MAGIC:
        raise WorkbookRefused(_("文件设置了密码或为旧版 .xls 格式:请在 Excel 中取消密码并另存为 .xlsx 后再导入。"))
    upload = File(file, name=name)
    if size is not None:
        upload.size = size
    try:
        validate_upload(upload, allowed=IMPORT_TYPES)
    except ValidationError as refused:
        raise WorkbookRefused(refused.messages[0]) from None
    finally:
        file.seek(0)


def read_ledger(
    file: IO[bytes], *, size: int | None = None, name: str = "ledger.xlsx", max_rows: int | None = None
) -> Ledger:
    """Open the workbook and find both sheets' headers; WorkbookRefused if it cannot be read."""
    check_file(file, size, name)
    max_rows = max_rows or MAX_ROWS
    try:
        book = CalamineWorkbook.from_filelike(file)
        names = list(book.sheet_names)
        first = next((name for name in names if name not in (HEARING_SHEET, LABEL_SHEET)), None)
        if first is None:
            raise WorkbookRefused(_("工作簿中没有案件工作表。"))
        cases = _sheet(book.get_sheet_by_name(first), CASE_COLUMNS, max_rows)
        hearings = _sheet(book.get_sheet_by_name(HEARING_SHEET), HEARING_COLUMNS, max_rows) if HEARING_SHEET in names else None
    except PasswordError:
        raise WorkbookRefused(_("文件设置了密码:请在 Excel 中取消密码后再导入。")) from None
    except (CalamineError, OSError, ValueError) as exc:
        if isinstance(exc, WorkbookRefused):
            raise
        raise WorkbookRefused(_("文件已损坏或不是有效的 Excel 工作簿,无法读取。")) from None
    return Ledger(cases=cases, hearings=hearings)


def _sheet(sheet: CalamineSheet, columns: tuple[Column, ...], max_rows: int) -> Sheet:
    if sheet.total_height > max_rows + _HEADER_SEARCH:
        raise WorkbookRefused(
            _("工作表“%(s)s”超过 %(n)s 行,请拆分为多个文件导入。") % {"s": sheet.name, "n": f"{max_rows:,}"}
        )
    values = list(islice(_stream(sheet), _HEADER_SEARCH))
    header_row = _header_row(values, columns)
    header = values[header_row - 1] if values else []
    above = values[header_row - 2] if header_row >= 2 else []
    found: dict[int, Column] = {}
    unknown: list[str] = []
    for index, cell in enumerate(header):
        text = str(cell).strip() if _filled(cell) else ""
        if not text and index < len(above) and _filled(above[index]):
            text = str(above[index]).strip()  # a header merged down over two rows
        if not text:
            continue
        column = column_for(text, columns)
        if column is None or column in found.values():
            unknown.append(text)
        else:
            found[index] = column
    missing = [column for column in columns if column.required and column not in found.values()]
    data_rows = sum(1 for row in islice(_stream(sheet), header_row, None) if any(_filled(v) for v in row))
    if data_rows > max_rows:
        raise WorkbookRefused(
            _("工作表“%(s)s”超过 %(n)s 行,请拆分为多个文件导入。") % {"s": sheet.name, "n": f"{max_rows:,}"}
        )
    return Sheet(sheet.name, header_row, found, unknown, missing, data_rows, sheet)


def _header_row(values: list[list[Any]], columns: tuple[Column, ...]) -> int:
    """The 1-based row among the first few that names the most known columns (1 if none does)."""
    best, best_count = 1, 0
    for number, row in enumerate(values[:_HEADER_SEARCH], start=1):
        count = sum(1 for cell in row if isinstance(cell, str) and column_for(cell, columns) is not None)
        if count > best_count:
            best, best_count = number, count
    return best
