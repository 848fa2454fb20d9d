"""State changes of a hearing: schedule, reschedule, record attendance (D7), postpone, cancel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Set
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from cases.choices import AbsenceReason, HearingKind, HearingStatus, Kind
from cases.models import Case, Hearing, Membership
from cases.services.common import ensure_can_write, lock, require_reason, save_with_history
from cases.services.dates import window_error
from cases.services.lookups import AgencyLookups
from cases.uploads import validate_upload
from cases.users import Actor, acting_user

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _is_responsible(user: User, case: Case, lookups: AgencyLookups | None) -> bool:
    if lookups is not None:
        return user.pk in lookups.responsible
    return Membership.objects.responsible_persons().filter(user=user, agency_id=case.agency_id).exists()


def _check_expected_leader(leader: Any, case: Case, lookups: AgencyLookups | None = None) -> None:
    if leader is not None and not _is_responsible(leader, case, lookups):
        raise ValidationError({"expected_leader": _("拟出庭负责人必须是本机关计入负责人的领导(出庭应诉规定第2条)。")})


# D11: a court hearing (庭审) belongs to a lawsuit, a 听证 to a reconsideration; "other"
# (a mediation talk, an evidence exchange) can happen in either.
HEARING_KINDS_OF: dict[str, frozenset[str]] = {
    Kind.LITIGATION: frozenset({HearingKind.COURT, HearingKind.OTHER}),
    Kind.RECONSIDERATION: frozenset({HearingKind.RECONSIDERATION, HearingKind.OTHER}),
}


def hearing_kinds_for(case: Case) -> list[str]:
    """The hearing kinds the case's kind allows, in the order of the choices (forms offer only these)."""
    allowed = HEARING_KINDS_OF.get(case.kind, frozenset(HearingKind.values))
    return [kind for kind in HearingKind.values if kind in allowed]


def _kind_error(kind: str, case: Case) -> str | None:
    if kind in hearing_kinds_for(case):
        return None
    return _("“%(h)s”不适用于%(c)s案件：行政诉讼开庭为“庭审”，行政复议为“复议听证”。") % {
        "h": HearingKind(kind).label if kind in HearingKind.values else kind, "c": case.get_kind_display(),
    }


def _time_error(scheduled_at: dt.datetime, case: Case) -> str | None:
    """A hearing lies in the sane window and not before the bureau received the case (D11)."""
    label = str(Hearing._meta.get_field("scheduled_at").verbose_name)
    problem = window_error(scheduled_at, label)
    if problem:
        return problem
    day = timezone.localtime(scheduled_at).date()
    if day < case.received_on:
        return _("%(f)s（%(d)s）不能早于收到案件的日期（%(r)s）。") % {
            "f": label, "d": day.isoformat(), "r": case.received_on.isoformat(),
        }
    return None


def _check_schedule(case: Case, kind: str, scheduled_at: dt.datetime) -> None:
    errors = {field: [message] for field, message in (
        ("kind", _kind_error(kind, case)), ("scheduled_at", _time_error(scheduled_at, case)),
    ) if message}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def hearing_schedule(
    *, case: Case, scheduled_at: dt.datetime, by: Actor, kind: str = HearingKind.COURT,
    place: str = "", expected_leader: Any = None, notes: str = "",
) -> Hearing:
    """Put a hearing on the calendar; reminders and leader arrangements follow it."""
    ensure_can_write(by, case.agency_id)
    hearing = hearing_new(case=case, scheduled_at=scheduled_at, kind=kind, place=place,
                          expected_leader=expected_leader, notes=notes)
    save_with_history(hearing, by=by, reason=str(SCHEDULED_REASON))
    return hearing


SCHEDULED_REASON = _lazy("安排开庭/听证")
RECORDED_REASON = _lazy("记录出庭情况")


def hearing_new(
    *, case: Case, scheduled_at: dt.datetime, kind: str = HearingKind.COURT, place: str = "",
    expected_leader: Any = None, notes: str = "", lookups: AgencyLookups | None = None,
) -> Hearing:
    """A hearing to put on the calendar, checked and not saved (hearing_schedule and a batch save it)."""
    _check_schedule(case, kind, scheduled_at)
    _check_expected_leader(expected_leader, case, lookups)
    return Hearing(
        case=case, kind=kind, scheduled_at=scheduled_at, place=place,
        expected_leader=expected_leader, notes=notes,
    )


@transaction.atomic
def hearing_reschedule(
    *, hearing: Hearing, by: Actor, scheduled_at: dt.datetime | None = None, place: str | None = None,
    expected_leader: Any = ..., reason: str = "", expected_version: int | None = None,
) -> Hearing:
    """Change time, place or the leader arranged to attend of a scheduled hearing."""
    ensure_can_write(by, hearing.case.agency_id)
    hearing = lock(hearing, expected_version=expected_version)
    if hearing.status not in (HearingStatus.SCHEDULED, HearingStatus.POSTPONED):
        raise ValidationError({"status": _("已开庭或已取消的庭审不能改期。")})
    fields: list[str] = []
    if scheduled_at is not None and (scheduled_at != hearing.scheduled_at or hearing.status == HearingStatus.POSTPONED):
        problem = _time_error(scheduled_at, hearing.case)
        if problem:
            raise ValidationError({"scheduled_at": problem})
        hearing.scheduled_at, hearing.status = scheduled_at, HearingStatus.SCHEDULED
        fields += ["scheduled_at", "status"]
    if place is not None and place != hearing.place:
        hearing.place = place
        fields.append("place")
    if expected_leader is not ... and expected_leader != hearing.expected_leader:
        _check_expected_leader(expected_leader, hearing.case)
        hearing.expected_leader = expected_leader
        fields.append("expected_leader")
    if fields:
        save_with_history(hearing, by=by, reason=reason or _("调整开庭安排"), update_fields=fields)
    return hearing


@transaction.atomic
def hearing_record(
    *,
    hearing: Hearing,
    by: Actor,
    responsible_person: Any = None,
    staff: Iterable[Any] = (),
    lawyer_names: str = "",
    absence_reason: str = "",
    absence_detail: str = "",
    absence_proof: UploadedFile[bytes] | None = None,
    notes: str = "",
    expected_version: int | None = None,
    allow_missing_proof: bool = False,
) -> Hearing:
    """Record that a hearing was held and who of the bureau attended it (D7).

    The responsible person must be a leader of the defending agency itself of a
    rank SPC20 Art. 2 counts; without one, the reason (Art. 8) and the proof
    (Art. 9) are required. The bureau appeared if a leader or any of its own
    staff attended; a lawyer alone does not count and is flagged. When nobody of
    the bureau attended (我局无人出庭, Hearing.nobody_attended), ``absence_detail``
    must say why.
    ``allow_missing_proof`` is for past hearings brought in from a ledger, whose
    proof and reasons are on paper: the record is kept and flagged (Hearing.proof_missing).
    """
    ensure_can_write(by, hearing.case.agency_id)
    hearing = lock(hearing, expected_version=expected_version)
    staff = list(staff)
    fields = attendance_apply(
        hearing, by=by, responsible_person=responsible_person, staff=staff, lawyer_names=lawyer_names,
        absence_reason=absence_reason, absence_detail=absence_detail, absence_proof=absence_proof, notes=notes,
        allow_missing_proof=allow_missing_proof,
    )
    save_with_history(hearing, by=by, reason=str(RECORDED_REASON), update_fields=fields)
    hearing.attending_staff.set(staff)
    return hearing


def attendance_apply(
    hearing: Hearing, *, by: Actor, responsible_person: Any, staff: list[Any], lawyer_names: str,
    absence_reason: str, absence_detail: str, absence_proof: UploadedFile[bytes] | None, notes: str,
    allow_missing_proof: bool, lookups: AgencyLookups | None = None,
) -> list[str]:
    """Check the attendance record (D7) and set it on the hearing in memory; the fields changed.

    ``lookups`` answers who the agency's members and responsible leaders are (a batch);
    the staff themselves are set by the caller once the hearing is saved.
    """
    case = hearing.case
    errors: dict[str, list[str]] = {}
    if hearing.status == HearingStatus.CANCELLED:
        errors["status"] = [_("已取消的庭审不能记录出庭情况。")]
    elif hearing.status == HearingStatus.POSTPONED:
        errors["status"] = [_("该庭审已延期：请先改期（填写实际开庭时间），再记录为已开庭。")]
    elif hearing.scheduled_at > timezone.now():
        label = str(Hearing._meta.get_field("scheduled_at").verbose_name)
        at = timezone.localtime(hearing.scheduled_at)
        errors["scheduled_at"] = [_("%(f)s（%(at)s）尚未到来，不能记录为已开庭。") % {"f": label, "at": f"{at:%Y-%m-%d %H:%M}"}]
    if responsible_person is not None and not _is_responsible(responsible_person, case, lookups):
        errors["responsible_person"] = [_("出庭负责人必须是本机关的正职、副职、分管或参与分管的负责人(出庭应诉规定第2条)。")]
    if lookups is not None:
        own_staff: Set[int] = lookups.members
    else:
        own_staff = set(Membership.objects.filter(agency_id=case.agency_id, user__in=staff).values_list("user_id", flat=True))
    strangers = [u for u in staff if u.pk not in own_staff]
    if strangers:
        errors["staff"] = [_("出庭工作人员必须是本机关的工作人员:%(n)s") % {"n": ", ".join(str(u) for u in strangers)}]
    if responsible_person is None:
        if absence_reason not in AbsenceReason.values:
            errors["absence_reason"] = [_("负责人未出庭的,必须选择未出庭事由(出庭应诉规定第8条)。")]
        if not absence_proof and not hearing.absence_proof and not allow_missing_proof:
            errors["absence_proof"] = [_("负责人未出庭的,必须上传证明材料(出庭应诉规定第9条)。")]
    if responsible_person is None and not staff and not absence_detail.strip() and not allow_missing_proof:
        # 我局无人出庭: neither a leader nor any of the bureau's own staff (D7); the reason is kept in words.
        errors["absence_detail"] = [_("我局无人出庭的,必须在“事由说明”中写明原因。")]
    if absence_proof:
        try:
            validate_upload(absence_proof)
        except ValidationError as refused:
            errors["absence_proof"] = refused.messages
    if errors:
        raise ValidationError(errors)

    hearing.status = HearingStatus.HELD
    hearing.responsible_person = responsible_person
    hearing.bureau_appeared = responsible_person is not None or bool(staff)
    hearing.lawyer_names = lawyer_names.strip()
    hearing.absence_reason = "" if responsible_person else absence_reason
    hearing.absence_detail = "" if responsible_person else absence_detail.strip()
    if absence_proof:
        hearing.absence_proof = absence_proof
    hearing.notes = notes or hearing.notes
    hearing.recorded_by = acting_user(by)
    return [
        "status", "responsible_person", "bureau_appeared", "lawyer_names", "absence_reason",
        "absence_detail", "absence_proof", "notes", "recorded_by",
    ]


@transaction.atomic
def hearing_postpone(*, hearing: Hearing, by: Actor, reason: str, expected_version: int | None = None) -> Hearing:
    ensure_can_write(by, hearing.case.agency_id)
    reason = require_reason(reason)
    hearing = lock(hearing, expected_version=expected_version)
    if hearing.status != HearingStatus.SCHEDULED:
        raise ValidationError({"status": _("只有已排期的庭审可以延期。")})
    hearing.status = HearingStatus.POSTPONED
    save_with_history(hearing, by=by, reason=_("延期:%(r)s") % {"r": reason}, update_fields=["status"])
    return hearing


@transaction.atomic
def hearing_cancel(*, hearing: Hearing, by: Actor, reason: str, expected_version: int | None = None) -> Hearing:
    ensure_can_write(by, hearing.case.agency_id)
    reason = require_reason(reason)
    hearing = lock(hearing, expected_version=expected_version)
    if hearing.status == HearingStatus.HELD:
        raise ValidationError({"status": _("已开庭的庭审不能取消。")})
    if hearing.status == HearingStatus.CANCELLED:
        raise ValidationError({"status": _("该庭审已取消。")})
    hearing.status = HearingStatus.CANCELLED
    save_with_history(hearing, by=by, reason=_("取消:%(r)s") % {"r": reason}, update_fields=["status"])
    return hearing
