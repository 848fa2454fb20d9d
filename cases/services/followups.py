"""Follow-up letters (检察建议, 司法建议, 行政复议意见书) and their reply deadlines (D11, D12).

A follow-up's reply deadline is computed from the received date by its type's rule
(``reply_period``) unless the letter sets its own (``due_on`` given). While the
follow-up is open and linked to a case, the deadline is also an ordinary bureau
deadline of that case (``Deadline.follow_up``), so the reminder sweep reminds it
like any other; answering closes it (met, or missed when late), archiving or
unlinking waives it. A follow-up of the agency alone keeps its deadline on the
record and in the 跟进事项 list, where the overdue filter finds it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import DeadlineStatus, FollowUpStatus, FollowUpType, Kind
from cases.models import Agency, Deadline, FollowUp
from cases.services.common import ensure_can_write, lock, require_reason, save_with_history
from cases.services.deadlines import deadline_compute
from casetracker.followups import REPLY_RULE, follow_up_status
from casetracker.followups import FollowUpType as LawFollowUpType
from casetracker.periods import Period

__all__ = [
    "FOLLOW_UP_FIELDS",
    "close_deadline",
    "follow_up_answer",
    "follow_up_archive",
    "follow_up_create",
    "follow_up_update",
    "follow_ups_follow_deadlines",
    "reply_period",
]

#: Facts a user may set on create or edit; ``status`` follows from ``answered_on``.
FOLLOW_UP_FIELDS: Final = (
    "type", "issuing_body", "document_number", "received_on", "case", "summary", "due_on", "answered_on",
    "reply_document_number",
)  # fmt: skip

# Which kind of proceeding a letter can belong to: a 意见书 is issued in a reconsideration
# (ARL 76), a 司法建议 by a court; a 检察建议 may concern either, or no case at all.
_CASE_KIND: Final[dict[str, str]] = {
    FollowUpType.OPINION_LETTER.value: Kind.RECONSIDERATION.value,
    FollowUpType.JUDICIAL_RECOMMENDATION.value: Kind.LITIGATION.value,
}


def reply_period(type: str, received_on: dt.date) -> Period:
    """The statutory reply deadline of a letter of this type received on this day (D5 on the D6 calendar)."""
    if type not in FollowUpType.values:
        raise ValidationError({"type": _("未知的跟进事项类型“%(t)s”;可选:%(v)s。") % {
            "t": type, "v": ", ".join(FollowUpType.values)}})
    code, variant = REPLY_RULE[LawFollowUpType(type)]
    try:
        return deadline_compute(code, received_on, variant=variant)
    except ValidationError as error:
        raise ValidationError({"received_on": error.messages}) from None


def _check(follow_up: FollowUp) -> None:
    """Cross-row rules: the case is the agency's own and of the letter's kind; no dates in the future."""
    errors: dict[str, str] = {}
    case = follow_up.case
    if case is not None and case.agency_id != follow_up.agency_id:
        errors["case"] = _("关联案件必须属于同一机关。")
    elif case is not None and _CASE_KIND.get(follow_up.type, case.kind) != case.kind:
        errors["case"] = _("%(t)s只能关联%(k)s案件。") % {
            "t": follow_up.get_type_display(), "k": Kind(_CASE_KIND[follow_up.type]).label}
    today = timezone.localdate()
    if follow_up.received_on and follow_up.received_on > today:
        errors["received_on"] = _("收到日期不能晚于今天。")
    if follow_up.answered_on and follow_up.answered_on > today:
        errors["answered_on"] = _("答复日期不能晚于今天。")
    if errors:
        raise ValidationError(errors)


def _set_due(follow_up: FollowUp, due_on: dt.date | None) -> None:
    """The letter's own deadline when given, else the statutory one from the received date."""
    if due_on is not None:
        try:
            follow_up.rule_version = reply_period(follow_up.type, follow_up.received_on).version.code
        except ValidationError:
            follow_up.rule_version = ""  # the letter's own period stands even where no statutory rule applied
        follow_up.due_on, follow_up.due_given, follow_up.provisional = due_on, True, False
        return
    period = reply_period(follow_up.type, follow_up.received_on)  # refuses a rule not yet in force (D10)
    follow_up.rule_version = period.version.code
    follow_up.due_on, follow_up.due_given, follow_up.provisional = period.due, False, period.provisional


def _title(follow_up: FollowUp) -> str:
    return _("答复%(t)s %(n)s") % {"t": follow_up.get_type_display(), "n": follow_up.document_number or
                                   follow_up.issuing_body}


def _deadline_values(follow_up: FollowUp) -> dict[str, Any]:
    return {
        "title": _title(follow_up)[:200], "trigger_on": follow_up.received_on, "due_on": follow_up.due_on,
        "provisional": follow_up.provisional, "overridden": follow_up.due_given,
        "rule_version": follow_up.rule_version,
        "override_reason": _("文书另定答复期限") if follow_up.due_given else "",
    }


def close_deadline(deadline: Deadline, status: DeadlineStatus, note: str, by: Any) -> None:
    """Settle a follow-up's or corrective action's deadline because its record moved (no permission check)."""
    deadline.status, deadline.close_note, deadline.auto_closed = status, note, True
    deadline.closed_at = timezone.now()
    deadline.closed_by = by if getattr(by, "is_authenticated", False) else None
    fields = ["status", "close_note", "auto_closed", "closed_at", "closed_by", "updated_at"]
    save_with_history(deadline, by=by, reason=note, update_fields=fields)


def _reply_deadline_sync(follow_up: FollowUp, by: Any) -> None:
    """Keep the case's reply deadline in line with the follow-up (see the module docstring)."""
    current = Deadline.objects.select_for_update().filter(follow_up=follow_up, status=DeadlineStatus.OPEN).first()
    if current is not None and current.case_id != follow_up.case_id:
        close_deadline(current, DeadlineStatus.WAIVED, _("跟进事项已不再关联该案件"), by)
        current = None
    if current is not None and follow_up.archived_at is not None:
        close_deadline(current, DeadlineStatus.WAIVED, _("跟进事项已归档"), by)
    elif current is not None and follow_up.status == FollowUpStatus.ANSWERED:
        close_deadline(current, DeadlineStatus.MET, _("已于 %(d)s 答复") % {"d": follow_up.answered_on}, by)
    elif current is not None and follow_up.status == FollowUpStatus.ANSWERED_LATE:
        close_deadline(current, DeadlineStatus.MISSED, _("逾期答复(%(d)s)") % {"d": follow_up.answered_on}, by)
    elif current is not None:
        values = _deadline_values(follow_up)
        changed = [name for name, value in values.items() if getattr(current, name) != value]
        for name in changed:
            setattr(current, name, values[name])
        if changed:
            save_with_history(current, by=by, reason=_("跟进事项信息变更"), update_fields=[*changed, "updated_at"])
    elif follow_up.case_id and follow_up.archived_at is None and follow_up.status == FollowUpStatus.OPEN:
        deadline = Deadline(
            case_id=follow_up.case_id, follow_up=follow_up, rule=REPLY_RULE[LawFollowUpType(follow_up.type)][0],
            is_bureau_duty=True, **_deadline_values(follow_up),
        )
        save_with_history(deadline, by=by, reason=_("跟进事项答复期限"))


def _save(follow_up: FollowUp, *, by: Any, reason: str, update_fields: list[str] | None = None) -> FollowUp:
    _check(follow_up)
    follow_up.status = follow_up_status(follow_up.due_on, follow_up.answered_on)
    if update_fields is not None:
        update_fields = sorted(set(update_fields) | {"status"})
    save_with_history(follow_up, by=by, reason=reason, update_fields=update_fields)
    _reply_deadline_sync(follow_up, by)
    return follow_up


def _unknown(data: Mapping[str, Any]) -> None:
    unknown = set(data) - set(FOLLOW_UP_FIELDS)
    if unknown:
        raise ValidationError(_("未知字段:%(f)s") % {"f": ", ".join(sorted(unknown))})


@transaction.atomic
def follow_up_create(*, agency: Agency, by: Any, due_on: dt.date | None = None, **fields: Any) -> FollowUp:
    """Log a letter received; its reply deadline is computed unless the letter sets one (``due_on``)."""
    ensure_can_write(by, agency.pk)
    _unknown(fields)
    follow_up = FollowUp(agency=agency, **fields)
    for name in ("type", "received_on"):
        if not getattr(follow_up, name):
            raise ValidationError({name: _("此项为必填项。")})
    _set_due(follow_up, due_on)
    return _save(follow_up, by=by, reason=_("登记%(t)s") % {"t": follow_up.get_type_display()})


@transaction.atomic
def follow_up_update(
    *, follow_up: FollowUp, by: Any, data: Mapping[str, Any], expected_version: int | None = None
) -> FollowUp:
    """Correct a follow-up's facts. ``due_on`` given sets the letter's own deadline; ``due_on: None``
    goes back to the statutory one; a changed type or received date recomputes a statutory deadline."""
    ensure_can_write(by, follow_up.agency_id)
    follow_up = lock(follow_up, expected_version=expected_version)
    if follow_up.archived_at is not None:
        raise ValidationError(_("该跟进事项已归档。"))
    _unknown(data)
    facts = {name: value for name, value in data.items() if name != "due_on"}
    changed = [name for name, value in facts.items() if getattr(follow_up, name) != value]
    for name in changed:
        setattr(follow_up, name, facts[name])
    before = (follow_up.due_on, follow_up.due_given, follow_up.provisional, follow_up.rule_version)
    if "due_on" in data:
        _set_due(follow_up, data["due_on"])
    elif not follow_up.due_given and {"type", "received_on"} & set(changed):
        _set_due(follow_up, None)
    if (follow_up.due_on, follow_up.due_given, follow_up.provisional, follow_up.rule_version) != before:
        changed += ["due_on", "due_given", "provisional", "rule_version"]
    if not changed:
        return follow_up
    return _save(follow_up, by=by, reason=_("修改跟进事项"), update_fields=changed)


@transaction.atomic
def follow_up_answer(
    *, follow_up: FollowUp, answered_on: dt.date, by: Any, reply_document_number: str = "",
    expected_version: int | None = None,
) -> FollowUp:
    """Record the reply: answered, or answered late when after the reply deadline."""
    ensure_can_write(by, follow_up.agency_id)
    follow_up = lock(follow_up, expected_version=expected_version)
    if follow_up.archived_at is not None:
        raise ValidationError(_("该跟进事项已归档。"))
    if follow_up.status != FollowUpStatus.OPEN:
        raise ValidationError({"answered_on": _("该事项已于 %(d)s 答复;如需更正,请修改答复日期。") % {
            "d": follow_up.answered_on}})
    follow_up.answered_on = answered_on
    fields = ["answered_on"]
    if reply_document_number:
        follow_up.reply_document_number = reply_document_number.strip()
        fields.append("reply_document_number")
    return _save(follow_up, by=by, reason=_("答复:%(d)s") % {"d": answered_on}, update_fields=fields)


@transaction.atomic
def follow_up_archive(*, follow_up: FollowUp, by: Any, reason: str) -> FollowUp:
    """Archive instead of delete (entered by mistake): it leaves lists and figures, its deadline is waived."""
    ensure_can_write(by, follow_up.agency_id)
    reason = require_reason(reason)
    follow_up = lock(follow_up)
    if follow_up.archived_at is not None:
        raise ValidationError(_("该跟进事项已归档。"))
    follow_up.archived_at = timezone.now()
    return _save(follow_up, by=by, reason=_("归档:%(r)s") % {"r": reason}, update_fields=["archived_at"])



def follow_ups_follow_deadlines(deadlines: list[Deadline], *, by: Any, why: str) -> None:
    """A calendar change recomputed these reply deadlines (deadlines_recompute): their letters follow."""
    for deadline in deadlines:
        follow_up = FollowUp.objects.select_for_update().get(pk=deadline.follow_up_id)
        follow_up.due_on, follow_up.provisional = deadline.due_on, deadline.provisional
        save_with_history(follow_up, by=by, reason=why, update_fields=["due_on", "provisional"])
