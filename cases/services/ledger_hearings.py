"""The 开庭 sheet of a ledger import: each hearing row keyed to its case, through the hearing services.

Mixed into the import's run (cases/services/ledger_import.py), which holds the index of
the agency's cases and hearings by key (cases/services/ledger_index.py), the row errors
and the progress. New scheduled or held hearings go 500 at
a time through the batch form of hearing_schedule + hearing_record
(cases/services/case_batch.py); a stored hearing (an update), a postponed or cancelled
one, or a batch the database refuses goes through the single-row services in a savepoint.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import HearingKind, HearingStatus, Kind
from cases.ledger.columns import HEARING_COLUMNS, HEARING_SHEET, Column
from cases.ledger.parse import ParsedRow, People, parse_row
from cases.ledger.reader import Sheet
from cases.models import Agency, Case, Hearing
from cases.services import hearings as hearing_services
from cases.services.case_batch import NewHearing, hearings_create_many
from cases.services.ledger_index import LedgerIndex, case_key, hearing_key, number_key
from cases.services.lookups import AgencyLookups

# Rows read, checked and written together: bounds the memory of a pass, whatever the file's size.
CHUNK = 500

_HEARING_COLUMN = {column.key: column for column in HEARING_COLUMNS}
# Service error keys that are not a column of their own -> the column people should look at.
_HEARING_FIELD_COLUMN = {
    "bureau_appeared": "staff", "absence_proof": "absence_reason", "case": "number",
}



class HearingRows:
    """The hearing half of an import run; the run provides the attributes below."""

    agency: Agency
    by: Any
    reason: str
    people: People
    lookups: AgencyLookups
    index: LedgerIndex

    def _tick(self) -> None:
        raise NotImplementedError

    def _error(self, sheet: str, row: int, column: Column | None, message: str) -> None:
        raise NotImplementedError

    def _service_errors(self, sheet: str, row: int, error: ValidationError, columns: dict[str, Column],
                        aliases: dict[str, str], default: str) -> None:
        raise NotImplementedError

    def _created(self) -> None:
        raise NotImplementedError

    def _changed(self, changed: bool) -> None:
        raise NotImplementedError

    def hearings(self, sheet: Sheet) -> None:
        present = {column.key for column in sheet.columns.values()}
        stored = Hearing.objects.filter(case__agency=self.agency, archived_at__isnull=True)
        self.index.remember_hearings(
            (pk, hearing_key(case_id, kind, when))
            for pk, case_id, kind, when in stored.values_list("pk", "case_id", "kind", "scheduled_at").iterator(chunk_size=2000)
        )
        chunk: list[ParsedRow] = []
        for number, cells in sheet.rows():
            parsed = parse_row(number, cells, self.people)
            for column, message in parsed.errors:
                self._error(HEARING_SHEET, number, column, message)
            if parsed.errors:
                self._tick()
                continue
            chunk.append(parsed)
            if len(chunk) >= CHUNK:
                self._apply_hearings(chunk, present)
                chunk = []
        self._apply_hearings(chunk, present)

    def _hearing_refused(self, row: int, error: ValidationError) -> None:
        self._service_errors(HEARING_SHEET, row, error, _HEARING_COLUMN, _HEARING_FIELD_COLUMN, "scheduled_at")

    def _apply_hearings(self, chunk: list[ParsedRow], present: set[str]) -> None:
        """Stored hearings and postponed or cancelled ones one by one; new ones through the batch."""
        cases = Case.objects.in_bulk({pk for parsed in chunk if (pk := self._hearing_case_pk(parsed.values))})
        batch: list[NewHearing] = []
        single: dict[int, tuple[ParsedRow, Case, str, dt.datetime]] = {}
        for parsed in chunk:
            try:
                case, kind, when = self._hearing_target(parsed, cases)
            except ValidationError as error:
                self._hearing_refused(parsed.row, error)
                self._tick()
                continue
            new = self._new_hearing(parsed, case, kind, when)
            if new is None:
                self._apply_one_hearing(parsed, present, case, kind, when)
            else:
                batch.append(new)
                single[parsed.row] = (parsed, case, kind, when)
        if not batch:
            return
        try:
            with transaction.atomic():
                result = hearings_create_many(by=self.by, rows=batch, lookups=self.lookups)
        except DatabaseError:
            for item in batch:
                self._apply_one_hearing(*((single[item.ref][0], present) + single[item.ref][1:]))
            return
        for ref, refusal in result.refused.items():
            self._hearing_refused(ref, refusal)
            self._tick()
        self.index.remember_hearings(
            (hearing.pk, hearing_key(hearing.case_id, hearing.kind, hearing.scheduled_at))
            for hearing in result.created.values()
        )
        for _hearing in result.created.values():
            self._created()
            self._tick()

    def _hearing_case_pk(self, values: dict[str, Any]) -> int | None:
        body = values.get("reviewing_body") or ""
        if body:
            pk = self.index.case_pk(case_key(body, values["number"]))
            candidates = {pk} if pk else set()
        else:
            candidates = self.index.pks_of_number(number_key(values["number"]))
        return next(iter(candidates)) if len(candidates) == 1 else None

    def _hearing_target(self, parsed: ParsedRow, cases: dict[int, Case]) -> tuple[Case, str, dt.datetime]:
        """The row's case, kind and time; a row naming no case, or the same hearing twice, is refused."""
        values = parsed.values
        pk = self._hearing_case_pk(values)
        if pk is None:
            body = values.get("reviewing_body") or ""
            several = not body and len(self.index.pks_of_number(number_key(values["number"]))) > 1
            if several:
                raise ValidationError({"number": _("案号“%(n)s”对应多个案件,请填写审理机关。") % {"n": values["number"]}})
            raise ValidationError({"number": _("案号“%(n)s”在文件和系统中都不存在。") % {"n": values["number"]}})
        case = cases[pk]
        kind = values.get("kind") or (HearingKind.COURT if case.kind == Kind.LITIGATION else HearingKind.RECONSIDERATION)
        when = timezone.make_aware(values["scheduled_at"])
        earlier = self.index.add_hearing_row(hearing_key(case.pk, kind, when), parsed.row)
        if earlier is not None:
            raise ValidationError({"scheduled_at": _("与开庭第%(n)d行重复(同一案件同一时间)。") % {"n": earlier}})
        return case, kind, when

    def _new_hearing(self, parsed: ParsedRow, case: Case, kind: str, when: dt.datetime) -> NewHearing | None:
        """A new scheduled or held hearing for the batch; None for a stored, postponed or cancelled one."""
        values = parsed.values
        status = values.get("status") or HearingStatus.SCHEDULED
        if self.index.hearing_pk(hearing_key(case.pk, kind, when)) is not None or status not in (HearingStatus.SCHEDULED, HearingStatus.HELD):
            return None
        return NewHearing(
            ref=parsed.row, case=case, scheduled_at=when, kind=kind, place=values.get("place", ""),
            expected_leader=self._expected_leader(values), notes=values.get("notes", ""),
            held=status == HearingStatus.HELD, responsible_person=values.get("responsible_person"),
            staff=values.get("staff") or (), lawyer_names=values.get("lawyer_names", ""),
            absence_reason=values.get("absence_reason", ""), absence_detail=values.get("absence_detail", ""),
        )

    def _apply_one_hearing(self, parsed: ParsedRow, present: set[str], case: Case, kind: str,
                           when: dt.datetime) -> None:
        try:
            with transaction.atomic():
                self._apply_hearing(parsed, present, case, kind, when)
        except ValidationError as error:
            self._hearing_refused(parsed.row, error)
        self._tick()

    def _apply_hearing(self, parsed: ParsedRow, present: set[str], case: Case, kind: str,
                       when: dt.datetime) -> None:
        values = parsed.values
        key = hearing_key(case.pk, kind, when)
        pk = self.index.hearing_pk(key)
        if pk is None:
            hearing = hearing_services.hearing_schedule(
                case=case, scheduled_at=when, kind=kind, by=self.by, place=values.get("place", ""),
                expected_leader=self._expected_leader(values), notes=values.get("notes", ""),
            )
            self._hearing_status(hearing, values)
            self.index.remember_hearings([(hearing.pk, key)])
            self._created()
            return
        hearing = Hearing.objects.select_related("case").get(pk=pk)
        if self._hearing_update(hearing, values, present):
            self._changed(True)
        else:
            self._changed(False)

    @staticmethod
    def _expected_leader(values: dict[str, Any]) -> Any:
        leader = values.get("expected_leader")
        if leader is None and (values.get("status") or HearingStatus.SCHEDULED) == HearingStatus.SCHEDULED:
            leader = values.get("responsible_person")  # a ledger's 出庭负责人 before the hearing is the one arranged
        return leader

    def _hearing_status(self, hearing: Hearing, values: dict[str, Any]) -> Hearing:
        status = values.get("status") or HearingStatus.SCHEDULED
        if status == HearingStatus.HELD:
            return hearing_services.hearing_record(
                hearing=hearing, by=self.by, responsible_person=values.get("responsible_person"),
                staff=values.get("staff") or (), lawyer_names=values.get("lawyer_names", ""),
                absence_reason=values.get("absence_reason", ""), absence_detail=values.get("absence_detail", ""),
                notes=values.get("notes", ""), allow_missing_proof=True,
            )
        if status == HearingStatus.POSTPONED:
            return hearing_services.hearing_postpone(hearing=hearing, by=self.by, reason=self.reason)
        if status == HearingStatus.CANCELLED:
            return hearing_services.hearing_cancel(hearing=hearing, by=self.by, reason=self.reason)
        return hearing

    def _hearing_update(self, hearing: Hearing, values: dict[str, Any], present: set[str]) -> bool:
        status = (values.get("status") or hearing.status) if "status" in present else hearing.status
        fields = {
            "place": values.get("place", hearing.place) if "place" in present else hearing.place,
            "expected_leader_id": getattr(self._expected_leader(values), "pk", None)
            if {"expected_leader", "responsible_person"} & present else hearing.expected_leader_id,
        }
        attendance_same = (
            getattr(values.get("responsible_person"), "pk", None) == hearing.responsible_person_id
            and {u.pk for u in values.get("staff") or ()} == set(hearing.attending_staff.values_list("pk", flat=True))
            and values.get("lawyer_names", "") == hearing.lawyer_names
            and values.get("absence_reason", "") == hearing.absence_reason
            and values.get("absence_detail", "") == hearing.absence_detail
        )
        arrangement_same = fields["place"] == hearing.place and fields["expected_leader_id"] == hearing.expected_leader_id
        if status == hearing.status and arrangement_same and (status != HearingStatus.HELD or attendance_same):
            return False
        if not arrangement_same and hearing.status in (HearingStatus.SCHEDULED, HearingStatus.POSTPONED):
            hearing = hearing_services.hearing_reschedule(
                hearing=hearing, by=self.by, place=None if fields["place"] is None else str(fields["place"]),
                expected_leader=self._expected_leader(values), reason=self.reason,
            )
        if status != hearing.status or (status == HearingStatus.HELD and not attendance_same):
            self._hearing_status(hearing, {**values, "status": status})
        return True
