"""Corrective actions (整改措施, D12): what the bureau does after a loss or a follow-up letter.

Each action with a case is also a manual bureau deadline of that case
(``CorrectiveAction.deadline``), so the reminder sweep reminds it like any other;
marking it done closes the deadline (met, or missed when done after its due day),
archiving it waives the deadline. An action of a follow-up without a case is
tracked on its own row (the 跟进事项 page lists it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import DeadlineStatus
from cases.models import Case, CorrectiveAction, Deadline, FollowUp
from cases.services.common import ensure_can_write, lock, require_reason, save_with_history
from cases.services.followups import close_deadline

__all__ = [
    "CORRECTIVE_ACTION_FIELDS",
    "corrective_action_archive",
    "corrective_action_create",
    "corrective_action_done",
    "corrective_action_update",
]

CORRECTIVE_ACTION_FIELDS: Final = ("description", "responsible_unit", "due_on", "done_on", "note")


def _check(action: CorrectiveAction) -> None:
    errors: dict[str, str] = {}
    for name in ("description", "responsible_unit"):
        setattr(action, name, (getattr(action, name) or "").strip())
    if action.done_on and action.done_on > timezone.localdate():
        errors["done_on"] = _("完成日期不能晚于今天。")
    if errors:
        raise ValidationError(errors)


def _deadline_values(action: CorrectiveAction) -> dict[str, Any]:
    return {"title": (_("整改:%(d)s") % {"d": action.description})[:200], "due_on": action.due_on}


def _deadline_sync(action: CorrectiveAction, by: Any) -> None:
    deadline = action.deadline
    if deadline is not None and deadline.status != DeadlineStatus.OPEN:
        deadline = None  # settled; a reopened action gets a new deadline
    if deadline is not None and action.archived_at is not None:
        close_deadline(deadline, DeadlineStatus.WAIVED, _("整改措施已归档"), by)
    elif deadline is not None and action.done_on is not None:
        late = action.done_on > action.due_on
        status = DeadlineStatus.MISSED if late else DeadlineStatus.MET
        close_deadline(deadline, status, _("整改已于 %(d)s 完成") % {"d": action.done_on}, by)
    elif deadline is not None:
        values = _deadline_values(action)
        changed = [name for name, value in values.items() if getattr(deadline, name) != value]
        for name in changed:
            setattr(deadline, name, values[name])
        if changed:
            save_with_history(deadline, by=by, reason=_("整改措施变更"), update_fields=[*changed, "updated_at"])
    elif action.case_id and action.archived_at is None and action.done_on is None:
        deadline = Deadline(case_id=action.case_id, rule="manual", is_bureau_duty=True, **_deadline_values(action))
        save_with_history(deadline, by=by, reason=_("整改措施完成期限"))
        action.deadline = deadline


def _save(action: CorrectiveAction, *, by: Any, reason: str, update_fields: list[str] | None = None) -> CorrectiveAction:
    _check(action)
    before = action.deadline_id
    _deadline_sync(action, by)
    if update_fields is not None and action.deadline_id != before:
        update_fields = [*update_fields, "deadline"]
    save_with_history(action, by=by, reason=reason, update_fields=update_fields)
    return action


@transaction.atomic
def corrective_action_create(
    *, by: Any, description: str, responsible_unit: str, due_on: dt.date, case: Case | None = None,
    follow_up: FollowUp | None = None, done_on: dt.date | None = None, note: str = "",
) -> CorrectiveAction:
    """Add a corrective action to a case or to a follow-up letter (of the same agency)."""
    if case is None and follow_up is None:
        raise ValidationError({"case": _("整改措施必须关联案件或跟进事项。")})
    if follow_up is not None and case is not None and follow_up.case_id not in (None, case.pk):
        raise ValidationError({"follow_up": _("跟进事项关联的是另一案件。")})
    if follow_up is not None and case is None:
        case = follow_up.case
    agency_id = case.agency_id if case is not None else follow_up.agency_id  # type: ignore[union-attr]
    ensure_can_write(by, agency_id)
    if follow_up is not None and follow_up.agency_id != agency_id:
        raise ValidationError({"follow_up": _("跟进事项必须属于同一机关。")})
    action = CorrectiveAction(
        agency_id=agency_id, case=case, follow_up=follow_up, description=description,
        responsible_unit=responsible_unit, due_on=due_on, done_on=done_on, note=note,
    )  # fmt: skip
    return _save(action, by=by, reason=_("添加整改措施"))


@transaction.atomic
def corrective_action_update(
    *, action: CorrectiveAction, by: Any, data: Mapping[str, Any], expected_version: int | None = None
) -> CorrectiveAction:
    """Correct what, who, by when, or when it was done; its deadline follows."""
    ensure_can_write(by, action.agency_id)
    action = lock(action, expected_version=expected_version)
    if action.archived_at is not None:
        raise ValidationError(_("该整改措施已归档。"))
    unknown = set(data) - set(CORRECTIVE_ACTION_FIELDS)
    if unknown:
        raise ValidationError(_("未知字段:%(f)s") % {"f": ", ".join(sorted(unknown))})
    changed = [name for name, value in data.items() if getattr(action, name) != value]
    for name in changed:
        setattr(action, name, data[name])
    if not changed:
        return action
    return _save(action, by=by, reason=_("修改整改措施"), update_fields=changed)


@transaction.atomic
def corrective_action_done(
    *, action: CorrectiveAction, done_on: dt.date, by: Any, note: str = "", expected_version: int | None = None
) -> CorrectiveAction:
    """The action was carried out on ``done_on``."""
    data: dict[str, Any] = {"done_on": done_on}
    if note.strip():
        data["note"] = note.strip()
    return corrective_action_update(action=action, by=by, data=data, expected_version=expected_version)


@transaction.atomic
def corrective_action_archive(*, action: CorrectiveAction, by: Any, reason: str) -> CorrectiveAction:
    """Archive instead of delete: the action leaves lists and figures; its deadline is waived."""
    ensure_can_write(by, action.agency_id)
    reason = require_reason(reason)
    action = lock(action)
    if action.archived_at is not None:
        raise ValidationError(_("该整改措施已归档。"))
    action.archived_at = timezone.now()
    return _save(action, by=by, reason=_("归档:%(r)s") % {"r": reason}, update_fields=["archived_at"])
