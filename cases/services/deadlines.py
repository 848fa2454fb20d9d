"""Deadlines of a case: computed from its facts (D9) on the official calendar (D5, D6).

How deadlines_sync treats the computed deadlines of a case (docs/deadlines.md):
- a fact that is set creates its rule's deadline, unless a deadline of the same
  rule family (e.g. the ordinary and the simplified reply) already exists;
- a corrected fact recomputes its open deadline; met, missed, waived and manually
  overridden ones stay as they are;
- a cleared fact (or a procedure change that swaps the rule) waives its open,
  not overridden deadline with a note and marks it auto_closed (archive instead
  of delete: it stays on the case and in the history); entering the fact again,
  or swapping the rule back, reopens and recomputes that same deadline;
- concluding the case waives open in-proceeding deadlines (replies, defences,
  trial and decision limits) and marks them auto_closed; reopening reopens them.
"""

from __future__ import annotations

import copy
import datetime as dt
import weakref
from dataclasses import dataclass, replace
from typing import Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import Instance, JudgmentForm, Kind, Outcome, Procedure, Status
from cases.models import Case
from cases.models.deadlines import Deadline, DeadlineStatus
from cases.querysets.deadlines import DeadlineQuerySet
from cases.services.batch import Staged
from cases.services.calendar import workday_calendar
from cases.services.case_rules import suspended_days
from cases.services.common import ensure_can_write, lock, require_reason, save_with_history
from cases.services.dates import check_window
from cases.users import Actor, acting_user
from casetracker.calendar import FIRST_YEAR, CalendarError, WorkdayCalendar
from casetracker.periods import (
    MANUAL,
    Duty,
    Period,
    Rule,
    RuleError,
    RuleNotInForce,
    compute_due,
    get_rule,
    period_until,
)

__all__ = [
    "Trigger",
    "deadline_add_manual",
    "deadline_complete",
    "deadline_compute",
    "deadline_miss",
    "deadline_override",
    "deadline_waive",
    "deadline_build",
    "deadline_set_status",
    "deadlines_check",
    "deadlines_plan",
    "deadlines_recompute",
    "deadlines_sync",
    "expected_triggers",
    "parse_date",
    "simplified_procedure_available",
]

# Limits that only matter while the proceeding runs: concluding the case waives them.
IN_PROCEEDING: Final = frozenset(
    {
        "reconsideration_reply", "reconsideration_reply_simplified", "reconsideration_decision",
        "reconsideration_decision_extended", "reconsideration_decision_simplified", "litigation_defence",
        "appellee_answer", "first_instance_trial", "first_instance_simplified", "second_instance_trial",
    }
)  # fmt: skip

# Alternative rules for one duty: once one of them exists, the others are not created.
_FAMILIES: Final = (
    frozenset({"reconsideration_reply", "reconsideration_reply_simplified"}),
    frozenset({"reconsideration_decision", "reconsideration_decision_extended", "reconsideration_decision_simplified"}),
    frozenset({"first_instance_trial", "first_instance_simplified"}),
    frozenset({"appeal_judgment", "appeal_ruling"}),
)
_FAMILY_OF: Final = {code: family for family in _FAMILIES for code in family}

# Rules that exist only in the simplified procedure: when one is not yet in force (D10) it is
# the procedure that is refused (a 2021 reconsideration cannot be simplified).
_PROCEDURE_RULES: Final = frozenset(
    {"reconsideration_reply_simplified", "reconsideration_decision_simplified", "first_instance_simplified"}
)

_STATUS_FIELDS: Final = ["status", "closed_by", "closed_at", "close_note", "auto_closed", "updated_at"]


# Outcomes that order the bureau to make a new act (D11 act_redo).
_REDO_OUTCOMES: Final = frozenset({Outcome.REVOKED_REDO, Outcome.ORDERED_TO_PERFORM})


@dataclass(frozen=True, slots=True)
class Trigger:
    """The case fact a computed deadline counts from (and the variant of its rule).

    ``due`` is set when the deciding document fixed the due date itself (a judgment
    ordering a new act); ``due_field`` names the case field it came from.
    """

    field: str
    day: dt.date
    variant: str = ""
    due: dt.date | None = None
    due_field: str = ""


def parse_date(value: dt.date | str, field: str) -> dt.date:
    """A date from a date or a YYYY-MM-DD string; ValidationError keyed on ``field``."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError({field: _("日期“%(v)s”无效,应为 YYYY-MM-DD。") % {"v": value}}) from None


def not_in_force_message(exc: RuleNotInForce) -> str:
    """The Chinese one-line reason a rule cannot be applied on a date (D10)."""
    rule = get_rule(exc.rule)
    if exc.since is None:
        return _("%(d)s 时“%(t)s”尚无规定,不能适用。") % {"d": exc.day.isoformat(), "t": rule.title_zh}
    return _("“%(t)s”自 %(s)s 起施行,不适用于 %(d)s。") % {
        "t": rule.title_zh, "s": exc.since.isoformat(), "d": exc.day.isoformat(),
    }  # fmt: skip


# Periods already computed on a calendar (which never changes once built): a batch of new
# cases computes the same rule from the same day twice (deadlines_check, then the plan),
# often across neighbouring cases. Small and bounded: the process's cached calendar lives
# as long as the process, and an import's memory must not grow with its rows. Most hits
# are the same case's (checked, then planned): 512 periods (~0.1 MiB) compute 6% more
# of them than 2,000 did over a 3,000-row import, for a quarter of the memory.
_PERIODS: weakref.WeakKeyDictionary[WorkdayCalendar, dict[tuple[str, dt.date, str], Period]] = (
    weakref.WeakKeyDictionary()
)
_PERIODS_MAX: Final = 512


def _compute(
    rule: Rule, day: dt.date, calendar: WorkdayCalendar, field: str, *, variant: str = ""
) -> Period:
    known = _PERIODS.setdefault(calendar, {})
    key = (rule.code, day, variant)
    found = known.get(key)
    if found is not None and found.rule is rule:
        return found
    try:
        period = compute_due(rule, day, calendar, variant=variant)
    except CalendarError:
        message = _("%(d)s 早于 %(y)d 年或超出范围,无法计算法定期限。") % {"d": day.isoformat(), "y": FIRST_YEAR}
        raise ValidationError({field: message}) from None
    except RuleNotInForce as exc:
        if rule.code in _PROCEDURE_RULES and exc.since is not None:
            message = _("简易程序自 %(s)s 起施行,%(d)s 起算的期限不能适用简易程序,请选择普通程序。") % {
                "s": exc.since.isoformat(), "d": exc.day.isoformat(),
            }  # fmt: skip
            raise ValidationError({"procedure": message}) from None
        raise ValidationError({field: not_in_force_message(exc)}) from None
    if len(known) >= _PERIODS_MAX:
        known.clear()
    known[key] = period
    return period


# The limits of the reviewing body and the court stand still while the case is suspended.
_BODY_DUTIES: Final = frozenset({Duty.REVIEWING_BODY, Duty.COURT})


def _with_suspensions(period: Period, case_id: int) -> Period:
    """Extend a reviewing body's or court's limit by the days the case was suspended (docs/rules.md)."""
    if period.rule.duty not in _BODY_DUTIES:
        return period
    days = suspended_days(case_id, since=period.trigger)
    return replace(period, due=period.due + dt.timedelta(days=days)) if days else period


def deadline_compute(
    rule: str | Rule,
    trigger: dt.date | str,
    *,
    calendar: WorkdayCalendar | None = None,
    variant: str = "",
    length: int | None = None,
) -> Period:
    """The due date of a rule from a trigger day on the database calendar (for the API).

    A rule that was not in force on the trigger day is refused keyed ``rule`` with
    the same one-line reason `manage.py deadline` prints (casetracker.rules).
    """
    day = parse_date(trigger, "trigger")
    try:
        rule = rule if isinstance(rule, Rule) else get_rule(rule)
        return compute_due(rule, day, calendar or workday_calendar(), variant=variant, length=length)
    except RuleError as exc:
        raise ValidationError({"rule": str(exc)}) from None
    except CalendarError:
        message = _("%(d)s 早于 %(y)d 年或超出范围,无法计算法定期限。") % {"d": day.isoformat(), "y": FIRST_YEAR}
        raise ValidationError({"trigger": message}) from None


def _litigation_triggers(case: Case) -> dict[str, Trigger | None]:
    simplified = case.procedure == Procedure.SIMPLIFIED
    facts: dict[str, Trigger | None] = {}
    if case.litigation_instance == Instance.FIRST:
        facts["litigation_defence"] = _fact(case, "received_on")
        trial = "first_instance_simplified" if simplified else "first_instance_trial"
        facts[trial] = _fact(case, "accepted_on")
        # Second-instance and retrial decisions are final here; an appealable
        # retrial judgment gets a manual deadline (docs/deadlines.md).
        if case.judgment_form:
            appeal = "appeal_ruling" if case.judgment_form == JudgmentForm.RULING else "appeal_judgment"
            facts[appeal] = _fact(case, "judgment_served_on")
    elif case.litigation_instance == Instance.SECOND:
        facts["appellee_answer"] = _fact(case, "appeal_received_on")
        facts["second_instance_trial"] = _fact(case, "accepted_on")
    facts["retrial_application"] = _fact(case, "effective_on")
    facts["retrial_opinion"] = _fact(case, "retrial_application_received_on")
    facts["act_redo"] = _judgment_redo(case)
    return facts


def _judgment_redo(case: Case) -> Trigger | None:
    """A judgment ordering a new act: the due date staff entered from it, counted from when it took effect."""
    if case.status != Status.CONCLUDED or case.outcome not in _REDO_OUTCOMES or case.redo_due_on is None:
        return None
    field = "effective_on" if case.effective_on else "judgment_served_on" if case.judgment_served_on else "concluded_on"
    return Trigger(field, getattr(case, field), variant="judgment", due=case.redo_due_on, due_field="redo_due_on")


def _reconsideration_redo(case: Case) -> Trigger | None:
    """A decision ordering a new act: 60 days from when the bureau received it (the decision date if not entered)."""
    if case.status != Status.CONCLUDED or case.outcome not in _REDO_OUTCOMES:
        return None
    field = "decision_received_on" if case.decision_received_on else "concluded_on"
    return Trigger(field, getattr(case, field), variant="reconsideration")


def _reconsideration_triggers(case: Case) -> dict[str, Trigger | None]:
    simplified = case.procedure == Procedure.SIMPLIFIED
    reply = "reconsideration_reply_simplified" if simplified else "reconsideration_reply"
    decision = "reconsideration_decision_simplified" if simplified else "reconsideration_decision"
    if case.decision_extended and not simplified:
        # ARL 62: the office head approved 30 more days, notified in writing.
        decision = "reconsideration_decision_extended"
    return {
        reply: _fact(case, "received_on"),
        decision: _fact(case, "accepted_on"),
        "lawsuit_after_reconsideration": _fact(case, "decision_served_on"),
        "act_redo": _reconsideration_redo(case),
    }


def _fact(case: Case, field: str) -> Trigger | None:
    day = getattr(case, field)
    return Trigger(field, day) if day is not None else None


def simplified_procedure_available(case: Case) -> bool:
    """Whether the simplified procedure's rules were in force on this case's trigger facts (D10)."""
    simplified = copy.copy(case)
    simplified.procedure = Procedure.SIMPLIFIED
    for code, trigger in expected_triggers(simplified).items():
        if code in _PROCEDURE_RULES:
            try:
                get_rule(code).version_on(trigger.day)
            except RuleNotInForce:
                return False
    return True


def expected_triggers(case: Case) -> dict[str, Trigger]:
    """Rule code -> the fact it counts from, for every rule the case's facts call for."""
    if case.kind == Kind.RECONSIDERATION:
        facts = _reconsideration_triggers(case)
    else:
        facts = _litigation_triggers(case)
    return {code: trigger for code, trigger in facts.items() if trigger is not None}


def _period(rule: Rule, trigger: Trigger, calendar: WorkdayCalendar) -> Period:
    """The period a case fact calls for, on the calendar or as the deciding document fixed it."""
    if trigger.due is None:
        return _compute(rule, trigger.day, calendar, trigger.field, variant=trigger.variant)
    try:
        return period_until(rule, trigger.day, trigger.due, variant=trigger.variant)
    except RuleNotInForce as exc:
        raise ValidationError({trigger.field: not_in_force_message(exc)}) from None
    except RuleError:
        message = _("届满日必须晚于起算日 %(d)s。") % {"d": trigger.day.isoformat()}
        raise ValidationError({trigger.due_field: message}) from None


def _stored_trigger(deadline: Deadline) -> Trigger | None:
    """The trigger of a computed deadline as stored, for a calendar recompute.

    None when no calendar decides its due date (the judgment fixed it).
    """
    version = deadline.law_version
    if deadline.trigger_on is None or version is None or version.length is None:
        return None
    return Trigger("trigger_on", deadline.trigger_on, variant=version.variant)


def _recompute(deadline: Deadline, trigger: Trigger, calendar: WorkdayCalendar, by: Actor, why: str) -> bool:
    """Recompute one open computed deadline from its trigger; save with history if it moved."""
    day = trigger.day
    period = _with_suspensions(_period(get_rule(deadline.rule), trigger, calendar), deadline.case_id)
    old = (deadline.trigger_on, deadline.due_on, deadline.provisional, deadline.rule_version)
    if old == (day, period.due, period.provisional, period.version.code):
        return False
    reason = _("%(why)s:起算日 %(t0)s→%(t1)s,届满日 %(d0)s→%(d1)s") % {
        "why": why, "t0": old[0], "t1": day, "d0": old[1], "d1": period.due,
    }  # fmt: skip
    deadline.trigger_on, deadline.due_on, deadline.provisional = day, period.due, period.provisional
    deadline.rule_version = period.version.code
    fields = ["trigger_on", "due_on", "provisional", "rule_version", "updated_at"]
    save_with_history(deadline, by=by, reason=reason, update_fields=fields)
    return True


def deadline_set_status(deadline: Deadline, status: DeadlineStatus, *, by: Actor, note: str, auto: bool = False) -> str:
    """Move a deadline to ``status`` in memory (who, when, why); the history reason. Saves nothing."""
    deadline.status, deadline.close_note, deadline.auto_closed = status, note, auto
    is_open = status == DeadlineStatus.OPEN
    deadline.closed_at = None if is_open else timezone.now()
    deadline.closed_by = None if is_open else acting_user(by)
    return note or str(deadline.get_status_display())


def _set_status(deadline: Deadline, status: DeadlineStatus, *, by: Actor, note: str, auto: bool = False) -> None:
    reason = deadline_set_status(deadline, status, by=by, note=note, auto=auto)
    save_with_history(deadline, by=by, reason=reason, update_fields=_STATUS_FIELDS)


def _sync_open(
    deadline: Deadline, expected: dict[str, Trigger], concluded: bool, calendar: WorkdayCalendar, by: Actor
) -> bool:
    """Bring one open computed deadline in line with the facts; False if it no longer applies."""
    trigger = expected.get(deadline.rule)
    if trigger is None:
        if deadline.overridden:
            return True
        # Archive instead of delete: the reminders already sent and the history stay
        # attached to a row, and re-entering the fact reopens this same deadline.
        _set_status(deadline, DeadlineStatus.WAIVED, by=by, note=_("案件事实已清除或程序已变更,期限不再适用"), auto=True)
        return False
    if concluded and deadline.rule in IN_PROCEEDING:
        _set_status(deadline, DeadlineStatus.WAIVED, by=by, note=_("案件已结,期限不再适用"), auto=True)
    elif not deadline.overridden:
        _recompute(deadline, trigger, calendar, by, _("案件事实更正"))
    return True


def _sync_one(
    deadline: Deadline, expected: dict[str, Trigger], concluded: bool, calendar: WorkdayCalendar, by: Actor
) -> bool:
    """Sync one computed deadline; True when it stands for its rule family (no new one is made)."""
    if deadline.status == DeadlineStatus.OPEN:
        return _sync_open(deadline, expected, concluded, calendar, by)
    trigger = expected.get(deadline.rule)
    if not deadline.auto_closed:
        return True  # met, missed or waived by a person: the duty is settled
    if trigger is None:
        return False  # waived by this function because its fact went away: it blocks nothing
    if not (concluded and deadline.rule in IN_PROCEEDING):
        _set_status(deadline, DeadlineStatus.OPEN, by=by, note=_("案件事实恢复或案件重新打开,期限恢复"))
        if not deadline.overridden:
            _recompute(deadline, trigger, calendar, by, _("期限恢复"))
    return True


def _fact_name(field: str) -> str:
    """The case fact's name as people read it (收到日期), not its column name."""
    return str(getattr(Case._meta.get_field(field), "verbose_name", field))


def deadline_build(case: Case, rule: Rule, trigger: Trigger, calendar: WorkdayCalendar) -> tuple[Deadline, str]:
    """The computed deadline a fact calls for, unsaved, and its history reason.

    A case not yet saved has had no suspension, so none is read for it.
    """
    period = _period(rule, trigger, calendar)
    if case.pk is not None:
        period = _with_suspensions(period, case.pk)
    deadline = Deadline(
        case=case, rule=rule.code, rule_version=period.version.code, trigger_on=trigger.day,
        due_on=period.due, provisional=period.provisional, is_bureau_duty=rule.is_bureau_duty,
    )  # fmt: skip
    return deadline, _("按案件事实计算(%(f)s)") % {"f": _fact_name(trigger.field)}


def deadlines_plan(case: Case, staged: list[Staged], calendar: WorkdayCalendar, by: Actor) -> None:
    """deadlines_sync in memory, for a case none of whose deadlines is saved yet (a batch of new cases).

    ``staged`` holds the case's deadlines so far; each change is recorded on it with the
    reason deadlines_sync would give (cases/services/batch.py writes rows and history).
    Open deadlines whose fact went away or whose proceeding ended are waived; the facts'
    missing deadlines are built. A new case's open deadlines need no recompute: their
    facts were just read.
    """
    expected = expected_triggers(case)
    concluded = case.status == Status.CONCLUDED
    present: set[str] = set()
    for item in staged:
        deadline = item.obj
        assert isinstance(deadline, Deadline)
        if deadline.status != DeadlineStatus.OPEN:
            present.add(deadline.rule)
        elif deadline.rule not in expected:
            note = _("案件事实已清除或程序已变更,期限不再适用")
            item.record(deadline_set_status(deadline, DeadlineStatus.WAIVED, by=by, note=note, auto=True))
        else:
            present.add(deadline.rule)
            if concluded and deadline.rule in IN_PROCEEDING:
                note = _("案件已结,期限不再适用")
                item.record(deadline_set_status(deadline, DeadlineStatus.WAIVED, by=by, note=note, auto=True))
    for code, trigger in expected.items():
        if (concluded and code in IN_PROCEEDING) or present & _FAMILY_OF.get(code, {code}):
            continue
        built, reason = deadline_build(case, get_rule(code), trigger, calendar)
        staged.append(Staged(built).record(reason))
        present.add(code)


def _create(case: Case, rule: Rule, trigger: Trigger, calendar: WorkdayCalendar, by: Actor) -> Deadline:
    deadline, reason = deadline_build(case, rule, trigger, calendar)
    save_with_history(deadline, by=by, reason=reason)
    return deadline


def deadlines_check(case: Case, *, calendar: WorkdayCalendar | None = None) -> None:
    """Refuse case facts no deadline can be computed from (before 2004), keyed on the fact.

    Saves nothing: forms call it before the case service, so the error lands on the field.
    """
    calendar = calendar or workday_calendar()
    errors: dict[str, list[str]] = {}
    for code, trigger in expected_triggers(case).items():
        try:
            _period(get_rule(code), trigger, calendar)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, [])
                errors[field] += [m for m in messages if m not in errors[field]]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def deadlines_sync(*, case: Case, by: Actor) -> None:
    """Create, recompute, remove or waive the computed deadlines of a case from its facts.

    Called by the case services after every change of a case (no permission check
    here: the caller did it). A fact before 2004 raises ValidationError on that field.
    """
    expected = expected_triggers(case)
    calendar = workday_calendar()
    concluded = case.status == Status.CONCLUDED
    present: set[str] = set()
    # A follow-up letter's reply deadline follows its letter, not the case's facts (services/followups.py).
    for deadline in Deadline.objects.select_for_update().filter(case=case, follow_up__isnull=True).computed():
        if _sync_one(deadline, expected, concluded, calendar, by):
            present.add(deadline.rule)
    for code, trigger in expected.items():
        if (concluded and code in IN_PROCEEDING) or present & _FAMILY_OF.get(code, {code}):
            continue
        _create(case, get_rule(code), trigger, calendar, by)


def deadlines_recompute(
    *, deadlines: DeadlineQuerySet, by: Actor, why: str, calendar: WorkdayCalendar | None = None
) -> list[Deadline]:
    """Recompute open, computed, not overridden deadlines; return the ones that moved."""
    calendar = calendar or workday_calendar()
    todo = deadlines.open().computed().filter(overridden=False).select_related("case").select_for_update()
    moved: list[Deadline] = []
    for deadline in todo:
        trigger = _stored_trigger(deadline)
        if trigger is not None and _recompute(deadline, trigger, calendar, by, why):
            moved.append(deadline)
    if any(deadline.follow_up_id for deadline in moved):
        from cases.services.followups import follow_ups_follow_deadlines

        follow_ups_follow_deadlines([d for d in moved if d.follow_up_id], by=by, why=why)
    return moved


def _check_due(due_on: dt.date | str, trigger_on: dt.date | None) -> dt.date:
    due = parse_date(due_on, "due_on")
    check_window(due, field="due_on", label=str(Deadline._meta.get_field("due_on").verbose_name))
    if due.year < FIRST_YEAR:
        raise ValidationError({"due_on": _("届满日不能早于 2004 年。")})
    if trigger_on is not None and due <= trigger_on:
        raise ValidationError({"due_on": _("届满日必须晚于起算日 %(d)s。") % {"d": trigger_on.isoformat()}})
    return due


@transaction.atomic
def deadline_add_manual(
    *, case: Case, title: str, due_on: dt.date | str, by: Actor, is_bureau_duty: bool = True
) -> Deadline:
    """A deadline staff type in by hand (title, due date); reminded like a statutory one."""
    ensure_can_write(by, case.agency_id)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写期限名称。")})
    due = _check_due(due_on, None)
    deadline = Deadline(case=case, rule=MANUAL, title=title, due_on=due, is_bureau_duty=is_bureau_duty)
    save_with_history(deadline, by=by, reason=_("手动添加期限"))
    return deadline


def _lock_open(deadline: Deadline, by: Actor) -> Deadline:
    ensure_can_write(by, deadline.case.agency_id)
    deadline = lock(deadline)
    if deadline.status != DeadlineStatus.OPEN:
        raise ValidationError({"status": _("该期限已办结(%(s)s)。") % {"s": deadline.get_status_display()}})
    return deadline


@transaction.atomic
def deadline_complete(*, deadline: Deadline, by: Actor, note: str = "") -> Deadline:
    """The duty was done in time (e.g. the reply was filed): status met."""
    deadline = _lock_open(deadline, by)
    _set_status(deadline, DeadlineStatus.MET, by=by, note=note.strip())
    return deadline


@transaction.atomic
def deadline_miss(*, deadline: Deadline, by: Actor, note: str = "") -> Deadline:
    """The period ran out without the act: status missed (kept for the record)."""
    deadline = _lock_open(deadline, by)
    _set_status(deadline, DeadlineStatus.MISSED, by=by, note=note.strip())
    return deadline


@transaction.atomic
def deadline_waive(*, deadline: Deadline, by: Actor, reason: str) -> Deadline:
    """The deadline no longer applies (e.g. the application was withdrawn): status waived."""
    reason = require_reason(reason)
    deadline = _lock_open(deadline, by)
    _set_status(deadline, DeadlineStatus.WAIVED, by=by, note=reason)
    return deadline


@transaction.atomic
def deadline_override(*, deadline: Deadline, due_on: dt.date | str, reason: str, by: Actor) -> Deadline:
    """Set the due date by hand (e.g. the court extended it); facts no longer move it."""
    reason = require_reason(reason)
    deadline = _lock_open(deadline, by)
    due = _check_due(due_on, deadline.trigger_on)
    old = deadline.due_on
    deadline.due_on, deadline.provisional = due, False
    deadline.overridden, deadline.override_reason = True, reason
    note = _("人工调整届满日 %(a)s→%(b)s:%(r)s") % {"a": old, "b": due, "r": reason}
    fields = ["due_on", "provisional", "overridden", "override_reason", "updated_at"]
    save_with_history(deadline, by=by, reason=note, update_fields=fields)
    return deadline
