"""Import an Excel ledger (台账): every row through the case and hearing services, all or nothing.

    ledger_import(agency=..., by=..., file=..., filename=..., dry_run=False) -> ImportResult

The key of a case is agency + 案号 + 审理机关 (the case's uniqueness rule), with 案号
brackets and spaces compared loosely. New rows are created 500 at a time by the batch
form of the services (cases/services/case_batch.py: case_create's, case_conclude's and
the hearing services' checks on in-memory rows, then bulk writes); a row whose cells
differ is updated with case_update and a history reason naming the file; a row that
matches is left alone, so importing the same file twice changes nothing. A suspended
new case, and a batch the database refuses, take the single-row services.

The whole file runs in one transaction; every row is checked (single-row writes each in
a savepoint), so one row's error does not hide the next row's. Any error, or a dry run,
rolls everything back: the dry run is the real import, undone, so it reports exactly
what the import would. The sheets are streamed and what is remembered across the file
(keys, chain links, hearings) is kept in a temporary SQLite index outside the Python heap
(cases/services/ledger_index.py): memory holds a chunk of rows, whatever the file's size
(docs/ledger-import.md).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import DeadlineStatus, Kind, Status
from cases.ledger.columns import CASE_COLUMNS, HEARING_SHEET, Column
from cases.ledger.parse import ParsedRow, People, RowError, parse_row
from cases.ledger.reader import Sheet, WorkbookRefused, read_ledger
from cases.models import Agency, Case
from cases.permissions import can_import
from cases.services import cases as case_services
from cases.services.case_batch import NewCase, cases_create_many
from cases.services.deadlines import deadline_complete
from cases.services.ledger_hearings import CHUNK, HearingRows
from cases.services.ledger_index import CaseKey, LedgerIndex, case_key, number_key
from cases.services.lookups import AgencyLookups

Progress = Callable[[int, int], None]

_CASE_COLUMN = {column.key: column for column in CASE_COLUMNS}
# Service error keys that are not a column of their own -> the column people should look at.
_CASE_FIELD_COLUMN = {
    "status": "outcome", "number_year": "number", "litigation_instance": "litigation_instance",
    "handlers": "handlers", "reason": "notes",
}
_STATUS_KEYS = ("outcome", "concluded_on", "act_changed", "suspended_on")


@dataclass
class ImportResult:
    """What the import did (or, in a dry run, would do): rows created, updated, unchanged; errors."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        """The public answer of the CLI's last line and the API (docs/ledger-import.md)."""
        return {
            "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "errors": [error.as_dict() for error in sorted(self.errors)],
        }


class _Abort(Exception):
    """Leave the import's transaction (rolling it back) once the result is complete."""


def _reason(filename: str) -> str:
    return _("台账导入:%(f)s") % {"f": filename}


def ledger_import(
    *, agency: Agency, by: Any, file: IO[bytes], filename: str, dry_run: bool = False,
    size: int | None = None, progress: Progress | None = None,
) -> ImportResult:
    """Import the workbook into the agency; nothing is saved when there is any error or on a dry run."""
    if not can_import(by, agency):
        raise PermissionDenied(_("只有本机关的法制工作人员和管理员可以导入台账。"))
    result = ImportResult(dry_run=dry_run)
    filename = os.path.basename(filename or "") or "ledger.xlsx"
    try:
        ledger = read_ledger(file, size=size, name=filename)
    except WorkbookRefused as refused:
        result.errors.append(RowError("", 0, "", str(refused)))
        return result
    for sheet in filter(None, (ledger.cases, ledger.hearings)):
        _check_headers(sheet, result)
    if result.errors:
        return result
    total = ledger.cases.row_count + (ledger.hearings.row_count if ledger.hearings else 0)
    with LedgerIndex() as index:
        try:
            with transaction.atomic():
                run = _Run(agency=agency, by=by, reason=_reason(filename), result=result, progress=progress,
                           total=total, index=index)
                run.cases(ledger.cases)
                if ledger.hearings is not None:
                    run.hearings(ledger.hearings)
                if result.errors or dry_run:
                    raise _Abort
        except _Abort:
            pass
    if result.errors and not dry_run:
        result.created = result.updated = result.unchanged = 0  # nothing was saved
    return result


def _check_headers(sheet: Sheet, result: ImportResult) -> None:
    label = "" if sheet.name != HEARING_SHEET else HEARING_SHEET
    for column in sheet.missing:
        result.errors.append(RowError(label, sheet.header_row, column.header, _("缺少必填列。")))
    for header in sheet.unknown:
        result.warnings.append(
            _("工作表“%(s)s”的列“%(c)s”无法识别,已忽略。") % {"s": sheet.name, "c": header}
        )


@dataclass
class _CaseRow:
    parsed: ParsedRow
    key: CaseKey
    present: set[str]


class _Run(HearingRows):
    """One import: the agency's cases by key, the rows in chain order, the writes through the services."""

    def __init__(self, *, agency: Agency, by: Any, reason: str, result: ImportResult,
                 progress: Progress | None, total: int, index: LedgerIndex) -> None:
        self.agency, self.by, self.reason, self.result = agency, by, reason, result
        self.people = People(agency.pk)
        self.progress, self.total, self.done = progress, total, 0
        self.today = timezone.localdate()
        # The agency's cases by key, the rows' chain links, the hearings: in the index, not the heap.
        self.index = index
        stored = Case.objects.filter(agency=agency).values_list("pk", "number", "reviewing_body")
        index.load_stored(stored.iterator(chunk_size=2000))
        self.lookups = AgencyLookups.load(agency.pk, taken=index.taken)
        self.previous_cases: dict[int, Case] = {}

    # ------------------------------------------------------------------ bookkeeping

    def _tick(self) -> None:
        self.done += 1
        if self.progress is not None and (self.done % 200 == 0 or self.done == self.total):
            self.progress(self.done, self.total)

    def _created(self) -> None:
        self.result.created += 1

    def _changed(self, changed: bool) -> None:
        if changed:
            self.result.updated += 1
        else:
            self.result.unchanged += 1

    def _error(self, sheet: str, row: int, column: Column | None, message: str) -> None:
        self.result.errors.append(RowError(sheet, row, column.header if column else "", message))

    def _service_errors(self, sheet: str, row: int, error: ValidationError, columns: dict[str, Column],
                        aliases: dict[str, str], default: str) -> None:
        details = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
        for name, messages in details.items():
            key = aliases.get(name, name)
            column = columns.get(key) or columns[default]
            for message in dict.fromkeys(messages):
                self._error(sheet, row, column, message)

    # ------------------------------------------------------------------ cases

    def cases(self, sheet: Sheet) -> None:
        """Index the rows (keys and chain links only), then create and update them level by level.

        A row whose 前序案号 is another row of the file is one level below it, so its
        previous case exists when it is applied (chains are at most a few proceedings
        long). Each level is one more streamed pass over the sheet, in chunks, reading
        the level's rows from the index in the sheet's order.
        """
        present = {column.key for column in sheet.columns.values()}
        self._index_cases(sheet)
        self._chain_order(sheet)
        for depth in self.index.levels():
            wanted = self.index.rows_at(depth)
            want = next(wanted, None)
            chunk: list[_CaseRow] = []
            for number, cells in sheet.rows():
                if want is None:
                    break
                if number != want:
                    continue
                want = next(wanted, None)
                parsed = parse_row(number, cells, self.people)
                values = parsed.values
                chunk.append(_CaseRow(parsed, case_key(values["reviewing_body"], values["number"]), present))
                if len(chunk) >= CHUNK:
                    self._apply_cases(chunk)
                    chunk = []
            self._apply_cases(chunk)

    def _index_cases(self, sheet: Sheet) -> None:
        """Every row's cells read once: their errors reported; the key and 前序案号 of each row indexed."""
        for number, cells in sheet.rows():
            parsed = parse_row(number, cells, self.people)
            for column, message in parsed.errors:
                self._error("", number, column, message)
            values = parsed.values
            if not values.get("number") or not values.get("reviewing_body"):
                self._tick()
                continue
            key = case_key(values["reviewing_body"], values["number"])
            earlier = self.index.add_row(number, key, good=not parsed.errors, previous=values.get("previous") or "")
            if earlier is not None:
                self._error("", number, _CASE_COLUMN["number"],
                            _("与第%(n)d行重复(同一审理机关的同一案号)。") % {"n": earlier})
                self._tick()
            elif parsed.errors:
                self._tick()

    def _chain_order(self, sheet: Sheet) -> None:
        """Each good row's level (0, or one below the row its 前序案号 names), computed in the index.

        A 前序案号 found nowhere, or naming several cases, is an error on its row; a loop
        of links is one error, on its first row. Rows after any of those are not applied
        (the error already fails the import) and add no error of their own.
        """
        unresolved, cycles = self.index.resolve_chains()
        if unresolved:
            # The 前序案号 as typed, for the message: one more pass reads just those rows' cells.
            targets = dict(unresolved)
            for number, cells in sheet.rows():
                if number not in targets:
                    continue
                typed = parse_row(number, cells, self.people).values.get("previous") or ""
                if targets[number] > 1:
                    message = _("前序案号“%(n)s”对应多个案件,无法确定。") % {"n": typed}
                else:
                    message = _("前序案号“%(n)s”在文件和系统中都不存在。") % {"n": typed}
                self._error("", number, _CASE_COLUMN["previous"], message)
        for cycle in cycles:
            self._error("", cycle[0], _CASE_COLUMN["previous"], _("案件链接不能形成循环。"))
        for _row in range(self.index.unlinked()):
            self._tick()

    def _apply_cases(self, chunk: list[_CaseRow]) -> None:
        """Stored cases through the single-row services; new ones through the batch create."""
        self._load_previous(chunk)
        batch: list[NewCase] = []
        by_ref: dict[int, _CaseRow] = {}
        for row in chunk:
            if self.index.case_pk(row.key) is not None or not self._batchable(row):
                self._apply_one(row)
                continue
            try:
                batch.append(self._new_case(row))
                by_ref[row.parsed.row] = row
            except ValidationError as error:
                self._row_refused(row, error)
        if not batch:
            return
        try:
            result = cases_create_many(agency=self.agency, by=self.by, rows=batch, lookups=self.lookups,
                                       past_met_note=_("台账导入的已结案件:期限已届满,视为按期完成"))
        except DatabaseError:
            # The database refused what the checks let through: apply the rows one by one,
            # each in its savepoint, so the refusal lands on its row.
            for item in batch:
                self._apply_one(by_ref[item.ref])
            return
        for ref, refusal in result.refused.items():
            self._row_refused(by_ref[ref], refusal)
        self.index.remember((case.pk, by_ref[ref].key) for ref, case in result.created.items())
        for _ref in result.created:
            self.result.created += 1
            self._tick()

    def _apply_one(self, row: _CaseRow) -> None:
        try:
            with transaction.atomic():
                self._apply_case(row)
        except ValidationError as error:
            self._service_errors("", row.parsed.row, error, _CASE_COLUMN, _CASE_FIELD_COLUMN, "number")
        self._tick()

    def _row_refused(self, row: _CaseRow, error: ValidationError) -> None:
        self._service_errors("", row.parsed.row, error, _CASE_COLUMN, _CASE_FIELD_COLUMN, "number")
        self._tick()

    def _batchable(self, row: _CaseRow) -> bool:
        """A new pending or concluded case: the batch create; a suspended one takes the single-row path."""
        values = row.parsed.values
        return not (values.get("suspended_on") and not values.get("outcome"))

    def _new_case(self, row: _CaseRow) -> NewCase:
        status = self._target_status(row) or {}
        return NewCase(
            ref=row.parsed.row, fields=self._fields(row), handlers=row.parsed.values.get("handlers") or (),
            outcome=status.get("outcome") or "", concluded_on=status.get("concluded_on"),
            act_changed=bool(status.get("act_changed")),
        )

    def _load_previous(self, chunk: list[_CaseRow]) -> None:
        """The previous cases the chunk's rows name, in one query."""
        pks: set[int] = set()
        for row in chunk:
            number = row.parsed.values.get("previous") or ""
            if number:
                pks |= self.index.pks_of_number(number_key(number))
        self.previous_cases = Case.objects.in_bulk(pks) if pks else {}

    def _previous(self, values: dict[str, Any]) -> Case | None:
        number = values.get("previous") or ""
        if not number:
            return None
        found = self.index.pks_of_number(number_key(number))
        if len(found) != 1:  # the row it names was refused: that row's error says why
            raise ValidationError({"previous": _("前序案号“%(n)s”在文件和系统中都不存在。") % {"n": number}})
        (pk,) = found
        return self.previous_cases.get(pk) or Case.objects.get(pk=pk)

    def _fields(self, row: _CaseRow) -> dict[str, Any]:
        """The editable facts the row sets (a column missing from the sheet sets nothing)."""
        values = row.parsed.values
        fields: dict[str, Any] = {}
        for key in case_services.EDITABLE_FIELDS:
            if key == "previous":
                if "previous" in row.present:
                    fields["previous"] = self._previous(values)
            elif key in values:
                fields[key] = values[key]
        if fields.get("kind") == Kind.RECONSIDERATION:
            fields.setdefault("litigation_instance", "")
        if "procedure" in fields and not fields["procedure"]:
            fields.pop("procedure")  # empty: the default, 普通程序
        return fields

    def _apply_case(self, row: _CaseRow) -> None:
        values = row.parsed.values
        status = self._target_status(row)
        handlers = values.get("handlers") or None  # empty cell: leave the handlers as they are
        pk = self.index.case_pk(row.key)
        fields = self._fields(row)
        if pk is None:
            case = case_services.case_create(agency=self.agency, by=self.by, handlers=handlers or (), **fields)
            self._settle_history(case, status)
            self.index.remember([(case.pk, row.key)])
            self.result.created += 1
            return
        case = Case.objects.get(pk=pk)
        # The key matched: the stored spelling of 案号 and 审理机关 stays (brackets, spaces).
        fields.pop("number", None)
        fields.pop("reviewing_body", None)
        if self._update(case, fields, handlers, status):
            self.result.updated += 1
        else:
            self.result.unchanged += 1

    def _target_status(self, row: _CaseRow) -> dict[str, Any] | None:
        """The row's outcome facts, or None when the sheet has none of those columns."""
        values = row.parsed.values
        if not any(key in row.present for key in _STATUS_KEYS):
            return None
        target = {key: values.get(key) or None for key in _STATUS_KEYS}
        target["act_changed"] = bool(values.get("act_changed"))
        if bool(target["outcome"]) != bool(target["concluded_on"]):
            column = _CASE_COLUMN["concluded_on" if target["outcome"] else "outcome"]
            raise ValidationError({column.key: _("已结案件必须同时填写结果和结案日期。")})
        return target

    def _settle_history(self, case: Case, status: dict[str, Any] | None) -> None:
        """A concluded case from the ledger: its past deadlines were met; then it is concluded."""
        if not status:
            return
        if status["outcome"]:
            for deadline in case.deadlines.filter(status=DeadlineStatus.OPEN, due_on__lt=self.today):
                deadline_complete(deadline=deadline, by=self.by, note=_("台账导入的已结案件:期限已届满,视为按期完成"))
            case_services.case_conclude(
                case=case, by=self.by, outcome=status["outcome"], concluded_on=status["concluded_on"],
                act_changed=status["act_changed"], grounds=None,  # a ledger row has no grounds: listed as missing
            )
        elif status["suspended_on"]:
            case_services.case_suspend(case=case, by=self.by, reason=self.reason, suspended_on=status["suspended_on"])

    def _update(self, case: Case, fields: dict[str, Any], handlers: list[Any] | None,
                status: dict[str, Any] | None) -> bool:
        changed = {name: value for name, value in fields.items() if _differs(getattr(case, name), value)}
        new_handlers = None
        if handlers is not None and {u.pk for u in handlers} != set(case.handlers.values_list("pk", flat=True)):
            new_handlers = handlers
        moves = self._status_moves(case, status)
        if not changed and new_handlers is None and not moves:
            return False
        if "reopen" in moves:
            case = case_services.case_reopen(case=case, by=self.by, reason=self.reason)
        if changed or new_handlers is not None:
            case = case_services.case_update(case=case, by=self.by, data=changed, handlers=new_handlers,
                                             reason=self.reason)
        assert status is not None or not moves
        if "resume" in moves:
            case = case_services.case_resume(case=case, by=self.by, reason=self.reason)
        if "conclude" in moves and status is not None:
            case = case_services.case_conclude(case=case, by=self.by, outcome=status["outcome"],
                                               concluded_on=status["concluded_on"], act_changed=status["act_changed"],
                                               grounds=None)
        if "suspend" in moves and status is not None:
            case_services.case_suspend(case=case, by=self.by, reason=self.reason, suspended_on=status["suspended_on"])
        return True

    @staticmethod
    def _status_moves(case: Case, status: dict[str, Any] | None) -> list[str]:
        if status is None:
            return []
        now = (case.outcome or None, case.concluded_on, case.act_changed, case.suspended_on)
        want = (status["outcome"], status["concluded_on"], status["act_changed"], status["suspended_on"])
        if status["outcome"]:
            want = (*want[:3], None)
        if now == want:
            return []
        moves: list[str] = []
        if case.status == Status.CONCLUDED:
            moves.append("reopen")
        elif case.status == Status.SUSPENDED:
            moves.append("resume")
        if status["outcome"]:
            moves.append("conclude")
        elif status["suspended_on"]:
            moves.append("suspend")
        return moves


def _differs(current: Any, new: Any) -> bool:
    if isinstance(current, Case) or isinstance(new, Case):
        return getattr(current, "pk", None) != getattr(new, "pk", None)
    if isinstance(current, str) or isinstance(new, str):
        return bool((current or "").strip() != (new or "").strip())
    return bool(current != new)
