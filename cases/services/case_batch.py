"""Many new cases and hearings of one agency at once (a ledger import): the single-row services' checks, bulk writes.

Each row goes through the same steps as ``case_create`` (+ ``deadline_complete`` of its
past deadlines and ``case_conclude`` for an old concluded record) or ``hearing_schedule``
(+ ``hearing_record``): the same validation functions, run on in-memory rows with the
agency's members, leaders, taken case numbers and calendar loaded once
(``AgencyLookups``); deadlines planned as ``deadlines_sync`` would. Rows that pass are
written in multi-row INSERTs with the history each step would have left
(cases/services/batch.py). A refused row is returned with its ValidationError and
nothing of it is written; the caller decides what a refusal means (the import rolls
back the whole file).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from cases.choices import DeadlineStatus
from cases.models import Agency, Case, Deadline, Hearing
from cases.models.constraints import check_constraints_on_fields, full_clean_in_memory
from cases.services.batch import Staged, bulk_save_with_history
from cases.services.cases import CREATED_REASON, case_new, conclusion_apply, conclusion_check
from cases.services.common import ensure_can_write
from cases.services.dates import one_day
from cases.services.deadlines import deadline_set_status, deadlines_plan
from cases.services.hearings import RECORDED_REASON, SCHEDULED_REASON, attendance_apply, hearing_new
from cases.services.lookups import AgencyLookups
from cases.users import Actor


@dataclass
class NewCase:
    """One case to create: its facts, handlers, and the conclusion of an old record (if any)."""

    ref: int  # the caller's handle for errors (a ledger row number)
    fields: dict[str, Any]
    handlers: Sequence[Any] = ()
    outcome: str = ""
    concluded_on: dt.date | None = None
    act_changed: bool = False


@dataclass
class NewHearing:
    """One hearing to put on the calendar and, when ``held``, its attendance (D7)."""

    ref: int
    case: Case
    scheduled_at: dt.datetime
    kind: str
    place: str = ""
    expected_leader: Any = None
    notes: str = ""
    held: bool = False
    responsible_person: Any = None
    staff: Sequence[Any] = ()
    lawyer_names: str = ""
    absence_reason: str = ""
    absence_detail: str = ""


@dataclass
class BatchResult:
    """The rows written (by ref) and the rows refused (by ref, with the services' error)."""

    created: dict[int, Any] = field(default_factory=dict)
    refused: dict[int, ValidationError] = field(default_factory=dict)


def cases_create_many(
    *, agency: Agency, by: Actor, rows: Sequence[NewCase], lookups: AgencyLookups, past_met_note: str,
) -> BatchResult:
    """Create the cases (pending, or concluded with their past deadlines met under ``past_met_note``)."""
    ensure_can_write(by, agency.pk)
    result = BatchResult()
    cases: list[Staged] = []
    deadlines: list[Staged] = []
    with one_day() as today:  # every row of the batch is checked against the same today
        created = str(CREATED_REASON)
        for row in rows:
            try:
                case, own = _stage_case(agency, by, row, lookups, past_met_note, today, created)
            except ValidationError as error:
                result.refused[row.ref] = error
                continue
            lookups.taken.add((case.obj.reviewing_body, case.obj.number))  # type: ignore[attr-defined]
            cases.append(case)
            deadlines += own
            result.created[row.ref] = case.obj
    with transaction.atomic():
        bulk_save_with_history(Case, cases, by=by)
        for item in deadlines:
            item.obj.case_id = item.obj.case.pk  # type: ignore[attr-defined]  # set now that the case has its pk
        bulk_save_with_history(Deadline, deadlines, by=by)
    return result


def _stage_case(
    agency: Agency, by: Actor, row: NewCase, lookups: AgencyLookups, past_met_note: str, today: dt.date,
    created: str,
) -> tuple[Staged, list[Staged]]:
    case, handlers = case_new(agency=agency, by=by, handlers=row.handlers, fields=row.fields, lookups=lookups)
    staged = Staged(case, m2m={"handlers": [user.pk for user in handlers]}).record(created)
    deadlines: list[Staged] = []
    deadlines_plan(case, deadlines, lookups.calendar, by)
    if row.outcome and row.concluded_on is not None:
        codes = conclusion_check(case, outcome=row.outcome, concluded_on=row.concluded_on,
                                 act_changed=row.act_changed, grounds=None)  # an old record has no grounds
        for item in deadlines:
            deadline = item.obj
            assert isinstance(deadline, Deadline)
            if deadline.status == DeadlineStatus.OPEN and deadline.due_on < today:
                item.record(deadline_set_status(deadline, DeadlineStatus.MET, by=by, note=past_met_note.strip()))
        _fields, reason = conclusion_apply(case, outcome=row.outcome, concluded_on=row.concluded_on,
                                           act_changed=row.act_changed, decision_number="", codes=codes)
        # As save_with_history before the conclusion is saved; the fields' own values were
        # cleaned on creation, the conclusion's by conclusion_check, so the named rules remain.
        check_constraints_on_fields(case)
        case.version += 1
        staged.record(reason)
        deadlines_plan(case, deadlines, lookups.calendar, by)
    # The deadlines are computed, not typed: their one-row rules are the table's CHECK
    # constraints, which the insert enforces (a refusal sends the rows one by one).
    return staged, deadlines


def hearings_create_many(*, by: Actor, rows: Sequence[NewHearing], lookups: AgencyLookups) -> BatchResult:
    """Schedule the hearings and record the attendance of those held (past hearings of a ledger)."""
    result = BatchResult()
    staged: list[Staged] = []
    with one_day():  # every row of the batch is checked against the same today
        reasons = str(SCHEDULED_REASON), str(RECORDED_REASON)
        for row in rows:
            try:
                ensure_can_write(by, row.case.agency_id)
                staged.append(_stage_hearing(by, row, lookups, reasons))
            except ValidationError as error:
                result.refused[row.ref] = error
                continue
            result.created[row.ref] = staged[-1].obj
    bulk_save_with_history(Hearing, staged, by=by)
    return result


def _stage_hearing(by: Actor, row: NewHearing, lookups: AgencyLookups, reasons: tuple[str, str]) -> Staged:
    hearing = hearing_new(case=row.case, scheduled_at=row.scheduled_at, kind=row.kind, place=row.place,
                          expected_leader=row.expected_leader, notes=row.notes, lookups=lookups)
    full_clean_in_memory(hearing)
    staged = Staged(hearing).record(reasons[0])
    if row.held:
        staff = list(row.staff)
        attendance_apply(
            hearing, by=by, responsible_person=row.responsible_person, staff=staff, lawyer_names=row.lawyer_names,
            absence_reason=row.absence_reason, absence_detail=row.absence_detail, absence_proof=None,
            notes=row.notes, allow_missing_proof=True, lookups=lookups,
        )
        check_constraints_on_fields(hearing)
        hearing.version += 1
        staged.m2m["attending_staff"] = [user.pk for user in staff]
        staged.record(reasons[1])
    return staged
