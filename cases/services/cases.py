"""State changes of a case: create, edit, conclude, suspend, resume, reopen, archive."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import Kind, Status
from cases.models import Agency, Case
from cases.services.common import ensure_can_write, lock, require_reason, save_with_history
from cases.services.deadlines import deadlines_check, deadlines_sync
from cases.users import Actor
from casetracker.outcomes import WITHDRAWAL_OUTCOMES, outcome_fits

# Fields a user may set on create or edit; status and outcome move only through
# the services below, so a form or serializer can never conclude a case by accident.
EDITABLE_FIELDS = (
    "kind", "litigation_instance", "procedure", "number", "number_year", "reviewing_body", "applicant",
    "third_parties", "subject", "act_description", "act_document_number", "act_date",
    "received_on", "accepted_on", "appeal_received_on", "judgment_form", "judgment_served_on",
    "decision_served_on", "effective_on", "opinion_letter_received_on", "decision_extended", "co_defendant",
    "retrial_application_received_on", "decision_received_on", "redo_due_on",
    "previous", "decision_number", "notes",
)


def _check_previous(case: Case) -> None:
    previous = case.previous
    if previous is None:
        return
    if previous.pk == case.pk:
        raise ValidationError({"previous": _("不能把案件链接到它自己。")})
    if previous.agency_id != case.agency_id:
        raise ValidationError({"previous": _("前一程序必须属于同一机关。")})
    seen = {case.pk}
    node: Case | None = previous
    while node is not None:
        if node.pk in seen:
            raise ValidationError({"previous": _("案件链接不能形成循环。")})
        seen.add(node.pk)
        node = node.previous


def _check_facts(case: Case) -> None:
    """Facts a deadline needs together: a served decision needs its form (ALL 85: 15 or 10 days)."""
    if case.kind == Kind.LITIGATION and case.judgment_served_on and not case.judgment_form:
        raise ValidationError(
            {"judgment_form": _("填写了裁判文书送达日期的,请选择是判决还是裁定(上诉期分别为15日、10日)。")}
        )


def case_validate(case: Case) -> None:
    """Every check a case's facts must pass before a service saves them (saves nothing).

    The record's own rules (field values, the named constraints), the chain link, and
    facts a statutory period can be computed from. Forms (the admin's too) call it so
    the messages land on their fields instead of failing the save.
    """
    errors: dict[str, list[str]] = {}
    checks: tuple[Callable[[], None], ...] = (
        case.full_clean, lambda: _check_previous(case), lambda: _check_facts(case), lambda: deadlines_check(case),
    )
    for check in checks:
        try:
            check()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(m for m in messages if m not in errors.get(field, []))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def case_create(
    *, agency: Agency, by: Actor, handlers: Iterable[Any] = (), **fields: Any
) -> Case:
    """Log a new proceeding: it starts pending and gets its statutory deadlines."""
    ensure_can_write(by, agency.pk)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("未知字段:%(f)s") % {"f": ", ".join(sorted(unknown))})
    case = Case(agency=agency, **fields)
    if case.number and not case.number_year:
        case.number_year = _year_in_number(case.number)
    _check_previous(case)
    _check_facts(case)
    save_with_history(case, by=by, reason=_("登记案件"))
    handler_list = list(handlers) or ([by] if by is not None and getattr(by, "pk", None) else [])
    if handler_list:
        case.handlers.set(handler_list)
    deadlines_sync(case=case, by=by)
    return case


@transaction.atomic
def case_update(
    *,
    case: Case,
    by: Actor,
    data: Mapping[str, Any],
    expected_version: int | None = None,
    handlers: Iterable[Any] | None = None,
    reason: str = "",
) -> Case:
    """Correct a case's facts; changed trigger dates recompute its open deadlines."""
    ensure_can_write(by, case.agency_id)
    case = lock(case, expected_version=expected_version)
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("未知字段:%(f)s") % {"f": ", ".join(sorted(unknown))})
    changed = [name for name, value in data.items() if getattr(case, name) != value]
    for name in changed:
        setattr(case, name, data[name])
    if "number" in changed and "number_year" not in data:
        case.number_year = _year_in_number(case.number)
        changed.append("number_year")
    _check_previous(case)
    _check_facts(case)
    if changed:
        save_with_history(case, by=by, reason=reason or _("修改案件信息"), update_fields=changed)
    if handlers is not None:
        case.handlers.set(list(handlers))
    if changed:
        deadlines_sync(case=case, by=by)
    return case


@transaction.atomic
def case_conclude(
    *,
    case: Case,
    outcome: str,
    concluded_on: dt.date,
    by: Actor,
    act_changed: bool = False,
    decision_number: str = "",
    expected_version: int | None = None,
) -> Case:
    """Record how a proceeding ended (D8); only an open case can be concluded."""
    ensure_can_write(by, case.agency_id)
    case = lock(case, expected_version=expected_version)
    if case.status == Status.CONCLUDED:
        raise ValidationError({"status": _("案件已结案;如需更改结果,请先重新打开。")})
    if not outcome_fits(outcome, case.kind, case.litigation_instance or None):
        raise ValidationError({"outcome": _("结果“%(o)s”不适用于该类案件。") % {"o": outcome}})
    if act_changed and outcome not in {o.value for o in WITHDRAWAL_OUTCOMES}:
        raise ValidationError({"act_changed": _("“我局先行改变行政行为”仅适用于撤回或撤诉。")})
    if concluded_on > timezone.localdate():
        raise ValidationError({"concluded_on": _("结案日期不能晚于今天。")})
    case.status, case.outcome, case.concluded_on = Status.CONCLUDED, outcome, concluded_on
    case.act_changed, case.suspended_on = act_changed, None
    fields = ["status", "outcome", "concluded_on", "act_changed", "suspended_on"]
    if decision_number:
        case.decision_number = decision_number
        fields.append("decision_number")
    save_with_history(case, by=by, reason=_("结案:%(o)s") % {"o": case.get_outcome_display()}, update_fields=fields)
    deadlines_sync(case=case, by=by)
    return case


@transaction.atomic
def case_suspend(
    *, case: Case, by: Actor, reason: str, suspended_on: dt.date | None = None,
    expected_version: int | None = None,
) -> Case:
    """中止 (ARL 39 / ALL): the case stays pending in the figures (D2)."""
    ensure_can_write(by, case.agency_id)
    reason = require_reason(reason)
    case = lock(case, expected_version=expected_version)
    if case.status != Status.PENDING:
        raise ValidationError({"status": _("只有未结案件可以中止。")})
    case.status, case.suspended_on = Status.SUSPENDED, suspended_on or timezone.localdate()
    save_with_history(case, by=by, reason=_("中止:%(r)s") % {"r": reason}, update_fields=["status", "suspended_on"])
    return case


@transaction.atomic
def case_resume(
    *, case: Case, by: Actor, reason: str = "", expected_version: int | None = None
) -> Case:
    """恢复审理 after a suspension."""
    ensure_can_write(by, case.agency_id)
    case = lock(case, expected_version=expected_version)
    if case.status != Status.SUSPENDED:
        raise ValidationError({"status": _("只有中止的案件可以恢复。")})
    case.status, case.suspended_on = Status.PENDING, None
    note = _("恢复审理") + (f":{reason.strip()}" if reason.strip() else "")
    save_with_history(case, by=by, reason=note, update_fields=["status", "suspended_on"])
    return case


@transaction.atomic
def case_reopen(
    *, case: Case, by: Actor, reason: str, expected_version: int | None = None
) -> Case:
    """Undo a conclusion entered by mistake; the old outcome stays in the history."""
    ensure_can_write(by, case.agency_id)
    reason = require_reason(reason)
    case = lock(case, expected_version=expected_version)
    if case.status != Status.CONCLUDED:
        raise ValidationError({"status": _("只有已结案件可以重新打开。")})
    case.status, case.outcome, case.concluded_on, case.act_changed = Status.PENDING, "", None, False
    save_with_history(
        case, by=by, reason=_("重新打开:%(r)s") % {"r": reason},
        update_fields=["status", "outcome", "concluded_on", "act_changed"],
    )
    deadlines_sync(case=case, by=by)
    return case


@transaction.atomic
def case_archive(*, case: Case, by: Actor, reason: str, expected_version: int | None = None) -> Case:
    """Archive instead of delete: the case leaves ledgers and figures but is kept."""
    ensure_can_write(by, case.agency_id)
    reason = require_reason(reason)
    case = lock(case, expected_version=expected_version)
    if case.archived_at is not None:
        raise ValidationError(_("案件已归档。"))
    case.archived_at = timezone.now()
    save_with_history(case, by=by, reason=_("归档:%(r)s") % {"r": reason}, update_fields=["archived_at"])
    return case


@transaction.atomic
def case_unarchive(*, case: Case, by: Actor, reason: str, expected_version: int | None = None) -> Case:
    ensure_can_write(by, case.agency_id)
    reason = require_reason(reason)
    case = lock(case, expected_version=expected_version)
    case.archived_at = None
    save_with_history(case, by=by, reason=_("取消归档:%(r)s") % {"r": reason}, update_fields=["archived_at"])
    return case


def _year_in_number(number: str) -> int | None:
    """The year in a case number: (2021)桂04行初12号 or 梧政复〔2021〕5号."""
    import re

    match = re.search(r"[（(〔\[]\s*((?:19|20)\d\d)\s*[)）〕\]]", number)
    return int(match.group(1)) if match else None
