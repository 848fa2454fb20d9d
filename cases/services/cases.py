"""State changes of a case: create, edit, conclude, suspend, resume, reopen, archive."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from cases.choices import HearingStatus, Kind, Outcome, Status
from cases.models import Agency, Case, Hearing, Membership, Suspension
from cases.models.constraints import full_clean_in_memory
from cases.services.case_rules import Errors, chain_errors, date_errors, handler_errors
from cases.services.common import ensure_can_write, lock, require_reason, save_with_history
from cases.services.dates import future_error, window_error
from cases.services.deadlines import deadlines_check, deadlines_sync
from cases.services.grounds import case_grounds_replace, grounds_clean, grounds_text
from cases.services.hearings import hearing_cancel
from cases.services.lookups import AgencyLookups
from cases.users import Actor, acting_user
from casetracker.outcomes import WITHDRAWAL_OUTCOMES, outcome_fits, outcome_in_force

# Fields a user may set on create or edit; status and outcome move only through
# the services below, so a form or serializer can never conclude a case by accident.
EDITABLE_FIELDS = (
    "kind", "litigation_instance", "procedure", "number", "number_year", "reviewing_body", "applicant",
    "third_parties", "subject", "act_description", "act_document_number", "act_date",
    "received_on", "accepted_on", "appeal_received_on", "judgment_form", "judgment_served_on",
    "decision_served_on", "effective_on", "decision_extended", "co_defendant",
    "retrial_application_received_on", "decision_received_on", "redo_due_on",
    "previous", "decision_number", "notes",
)
# Facts of one kind of proceeding only; the others apply to both. The case form shows a kind's
# fields only when that kind is chosen and clears the other kind's (a hidden field keeps its value).
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    Kind.LITIGATION: (
        "litigation_instance", "co_defendant", "appeal_received_on", "judgment_form", "judgment_served_on",
        "effective_on", "retrial_application_received_on", "redo_due_on",
    ),
    Kind.RECONSIDERATION: ("decision_served_on", "decision_received_on", "decision_extended"),
}


def _check_facts(case: Case) -> Errors:
    """Facts a deadline needs together: a served decision needs its form (ALL 85: 15 or 10 days)."""
    if case.kind == Kind.LITIGATION and case.judgment_served_on and not case.judgment_form:
        return {"judgment_form": [_("填写了裁判文书送达日期的,请选择是判决还是裁定(上诉期分别为15日、10日)。")]}
    return {}


def _merge(errors: Errors, error: ValidationError) -> None:
    for field, messages in error.message_dict.items():
        errors.setdefault(field, []).extend(m for m in messages if m not in errors.get(field, []))


def case_validate(case: Case, *, handlers: Iterable[Any] | None = None, lookups: AgencyLookups | None = None) -> None:
    """Every check a case's facts must pass before a service saves them (saves nothing).

    The record's own rules (field values, the named constraints), the chain link, the
    handlers, the dates that cannot be, and facts a statutory period can be computed
    from. The services call it before every save; forms (the admin's too) may call it
    first so the messages land on their fields. ``lookups`` (a batch of new cases of
    one agency) answers the questions the checks would ask the database, so the same
    checks run on in-memory rows: the named constraints evaluated in Python, the
    uniqueness rule against the keys already taken, the handlers against the members.
    """
    errors: Errors = {}
    try:
        if lookups is None:
            case.full_clean()
        else:
            full_clean_in_memory(case)
    except ValidationError as error:
        _merge(errors, error)
    if lookups is not None and (case.reviewing_body, case.number) in lookups.taken:
        errors.setdefault("number", []).append(str(_unique_message()))
    members = lookups.members if lookups is not None else None
    impossible_dates = date_errors(case)
    for found in (chain_errors(case), handler_errors(case, handlers, members=members), impossible_dates,
                  _check_facts(case)):
        for field, messages in found.items():
            errors.setdefault(field, []).extend(m for m in messages if m not in errors.get(field, []))
    if not impossible_dates:  # a period is computed only from dates that can be
        try:
            deadlines_check(case, calendar=lookups.calendar if lookups is not None else None)
        except ValidationError as error:
            _merge(errors, error)
    if errors:
        raise ValidationError(errors)


def _unique_message() -> str:
    (unique,) = (c for c in Case._meta.constraints if c.name == "case_number_unique_per_reviewing_body")
    return str(unique.get_violation_error_message())


CREATED_REASON = _lazy("登记案件")


def case_new(
    *, agency: Agency, by: Actor, handlers: Iterable[Any], fields: Mapping[str, Any],
    lookups: AgencyLookups | None = None,
) -> tuple[Case, list[Any]]:
    """A new case and its handlers, validated and not saved (case_create and the batch create save it).

    No handler named: the author handles it, when they belong to the agency (an administrator may not).
    """
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("未知字段:%(f)s") % {"f": ", ".join(sorted(unknown))})
    case = Case(agency=agency, **fields)
    if case.number and not case.number_year:
        case.number_year = _year_in_number(case.number)
    user = acting_user(by)
    if lookups is not None:
        is_member = user is not None and user.pk in lookups.members
    else:
        is_member = user is not None and Membership.objects.filter(user=user, agency=agency).exists()
    handler_list = list(handlers) or ([user] if is_member else [])
    case_validate(case, handlers=handler_list, lookups=lookups)
    return case, handler_list


@transaction.atomic
def case_create(
    *, agency: Agency, by: Actor, handlers: Iterable[Any] = (), **fields: Any
) -> Case:
    """Log a new proceeding: it starts pending and gets its statutory deadlines."""
    ensure_can_write(by, agency.pk)
    case, handler_list = case_new(agency=agency, by=by, handlers=handlers, fields=fields)
    save_with_history(case, by=by, reason=str(CREATED_REASON))
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
    handler_list = list(handlers) if handlers is not None else None
    case_validate(case, handlers=handler_list)
    if changed:
        save_with_history(case, by=by, reason=reason or _("修改案件信息"), update_fields=changed)
    if handler_list is not None:
        case.handlers.set(handler_list)
    if changed:
        deadlines_sync(case=case, by=by)
    return case


def _outcome_words(outcome: str) -> str:
    """An outcome as people read it (维持), never its code; an unknown value as given."""
    return str(Outcome(outcome).label) if outcome in Outcome.values else outcome


def _conclusion_errors(case: Case, outcome: str, concluded_on: dt.date, act_changed: bool) -> Errors:
    errors: Errors = {}
    instance = case.litigation_instance or None
    if not outcome_fits(outcome, case.kind, instance):
        errors["outcome"] = [_("结果“%(o)s”不适用于该类案件。") % {"o": _outcome_words(outcome)}]
    elif not outcome_in_force(outcome, case.kind, instance, concluded_on):
        # D10: ALL 1989 Art. 54's 维持判决 ended on 2015-05-01 (ALL 69 判决驳回诉讼请求).
        errors["outcome"] = [_(
            "2015年5月1日起一审判决不再“维持”被诉行政行为：请选择“判决驳回诉讼请求”（行政诉讼法第六十九条）。"
        )]
    if act_changed and outcome not in {o.value for o in WITHDRAWAL_OUTCOMES}:
        errors["act_changed"] = [_("“我局先行改变行政行为”仅适用于撤回或撤诉。")]
    label = str(Case._meta.get_field("concluded_on").verbose_name)
    problem = window_error(concluded_on, label) or future_error(concluded_on, label)
    if problem:
        errors["concluded_on"] = [problem]
    return errors


def conclusion_check(
    case: Case, *, outcome: str, concluded_on: dt.date, act_changed: bool, grounds: Iterable[str] | None
) -> list[str]:
    """Refuse a conclusion that cannot be (ValidationError by field); the cleaned ground codes."""
    errors = _conclusion_errors(case, outcome, concluded_on, act_changed)
    if errors:
        raise ValidationError(errors)
    return grounds_clean(outcome=outcome, grounds=grounds or (), required=grounds is not None)


def conclusion_apply(
    case: Case, *, outcome: str, concluded_on: dt.date, act_changed: bool, decision_number: str, codes: list[str]
) -> tuple[list[str], str]:
    """Set the conclusion on the case in memory; the fields changed and the history reason."""
    case.status, case.outcome, case.concluded_on = Status.CONCLUDED, outcome, concluded_on
    case.act_changed, case.suspended_on = act_changed, None
    fields = ["status", "outcome", "concluded_on", "act_changed", "suspended_on"]
    if decision_number:
        case.decision_number = decision_number
        fields.append("decision_number")
    reason = _("结案:%(o)s") % {"o": Outcome(outcome).label}
    reason += _(";理由:%(g)s") % {"g": grounds_text(codes)} if codes else ""
    return fields, reason


def _close_suspension(case: Case, on: dt.date, by: Actor, note: str) -> None:
    """End the open 中止 record of the case on ``on`` (resumed, or concluded while suspended)."""
    suspension = Suspension.objects.select_for_update().filter(case=case, resumed_on__isnull=True).first()
    if suspension is None:
        return
    if on < suspension.suspended_on:
        label = str(Case._meta.get_field("suspended_on").verbose_name)
        raise ValidationError({"resumed_on": _("恢复或结案日期不能早于%(f)s（%(d)s）。") % {
            "f": label, "d": suspension.suspended_on.isoformat(),
        }})
    suspension.resumed_on, suspension.resume_note = on, note
    save_with_history(suspension, by=by, reason=note or _("恢复审理"), update_fields=["resumed_on", "resume_note"])


@transaction.atomic
def case_conclude(
    *,
    case: Case,
    outcome: str,
    concluded_on: dt.date,
    by: Actor,
    act_changed: bool = False,
    decision_number: str = "",
    cancel_hearings: bool = False,
    expected_version: int | None = None,
    grounds: Iterable[str] | None = (),
) -> Case:
    """Record how a proceeding ended (D8, D10) and, for a correction or loss, the grounds given (D12).

    ``grounds`` are required for a corrected/lost outcome; ``None`` (an import of an old
    record, which has none) concludes without them, and the case is listed as grounds missing.
    ``cancel_hearings`` cancels the hearings still scheduled or postponed (the pages
    offer it when a case concludes); either way a concluded case's hearings are no
    longer reminded.
    """
    ensure_can_write(by, case.agency_id)
    case = lock(case, expected_version=expected_version)
    if case.status == Status.CONCLUDED:
        raise ValidationError({"status": _("案件已结案;如需更改结果,请先重新打开。")})
    codes = conclusion_check(case, outcome=outcome, concluded_on=concluded_on, act_changed=act_changed, grounds=grounds)
    if case.status == Status.SUSPENDED:
        _close_suspension(case, concluded_on, by, _("中止期间结案"))
    fields, reason = conclusion_apply(case, outcome=outcome, concluded_on=concluded_on, act_changed=act_changed,
                                      decision_number=decision_number, codes=codes)
    save_with_history(case, by=by, reason=reason, update_fields=fields)
    case_grounds_replace(case=case, codes=codes, by=by)
    deadlines_sync(case=case, by=by)
    if cancel_hearings:
        for hearing in open_hearings(case):
            hearing_cancel(hearing=hearing, by=by, reason=_("案件已结案"))
    return case


def open_hearings(case: Case) -> list[Hearing]:
    """Hearings of the case still on the calendar (scheduled or postponed), offered for cancellation."""
    return list(
        case.hearings.filter(archived_at__isnull=True, status__in=[HearingStatus.SCHEDULED, HearingStatus.POSTPONED])
        .order_by("scheduled_at", "id")
    )


@transaction.atomic
def case_suspend(
    *, case: Case, by: Actor, reason: str, suspended_on: dt.date | None = None,
    expected_version: int | None = None,
) -> Case:
    """中止 (ARL 39 / ALL): the case stays pending in the figures (D2); the pair is kept as a record."""
    ensure_can_write(by, case.agency_id)
    reason = require_reason(reason)
    case = lock(case, expected_version=expected_version)
    if case.status != Status.PENDING:
        raise ValidationError({"status": _("只有未结案件可以中止。")})
    day = suspended_on or timezone.localdate()
    label = str(Case._meta.get_field("suspended_on").verbose_name)
    problem = window_error(day, label) or future_error(day, label)
    if not problem and day < case.received_on:
        problem = _("%(f)s（%(d)s）不能早于收到日期（%(r)s）。") % {
            "f": label, "d": day.isoformat(), "r": case.received_on.isoformat(),
        }
    if problem:
        raise ValidationError({"suspended_on": problem})
    last = Suspension.objects.filter(case=case, resumed_on__gt=day).order_by("-resumed_on").first()
    if last is not None:
        raise ValidationError({"suspended_on": _("%(f)s（%(d)s）不能早于上一次恢复审理的日期（%(r)s）。") % {
            "f": label, "d": day.isoformat(), "r": last.resumed_on.isoformat() if last.resumed_on else "",
        }})
    case.status, case.suspended_on = Status.SUSPENDED, day
    save_with_history(case, by=by, reason=_("中止:%(r)s") % {"r": reason}, update_fields=["status", "suspended_on"])
    suspension = Suspension(case=case, suspended_on=day, reason=reason, created_by=acting_user(by))
    save_with_history(suspension, by=by, reason=_("中止:%(r)s") % {"r": reason})
    return case


@transaction.atomic
def case_resume(
    *, case: Case, by: Actor, reason: str = "", resumed_on: dt.date | None = None,
    expected_version: int | None = None,
) -> Case:
    """恢复审理 after a suspension: the 中止 record gets its end; the bodies' limits move on by its days."""
    ensure_can_write(by, case.agency_id)
    case = lock(case, expected_version=expected_version)
    if case.status != Status.SUSPENDED:
        raise ValidationError({"status": _("只有中止的案件可以恢复。")})
    day = resumed_on or timezone.localdate()
    label = str(Suspension._meta.get_field("resumed_on").verbose_name)
    problem = window_error(day, label) or future_error(day, label)
    if problem:
        raise ValidationError({"resumed_on": problem})
    _close_suspension(case, day, by, reason.strip())
    case.status, case.suspended_on = Status.PENDING, None
    note = _("恢复审理") + (f":{reason.strip()}" if reason.strip() else "")
    save_with_history(case, by=by, reason=note, update_fields=["status", "suspended_on"])
    deadlines_sync(case=case, by=by)
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
