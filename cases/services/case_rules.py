"""The invariants of a case that span rows or depend on today: checked by the case services only.

The record's own rules are named constraints on the model (full_clean reports
them); these are the rest: the chain link (D1), who may handle the case, and the
dates that cannot be. Each check returns field -> messages and saves nothing, so
``case_validate`` can report every problem of a form at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Set
from typing import Any, Final

from django.utils.translation import gettext as _

from cases.choices import Instance, Kind, Outcome
from cases.models import Case, Membership, Suspension
from cases.people import person_name
from cases.services.dates import future_error, window_error

Errors = dict[str, list[str]]

# D1: reconsideration -> first instance -> second instance -> retrial. A first instance
# follows a reconsideration (the bureau is co-defendant after 复议维持, or sole defendant
# when the reviewing body did not decide in time, ALL 26); a retrial reviews an effective
# first- or second-instance decision.
_STAGE: Final[dict[tuple[str, str], int]] = {
    (Kind.RECONSIDERATION, ""): 0,
    (Kind.LITIGATION, Instance.FIRST): 1,
    (Kind.LITIGATION, Instance.SECOND): 2,
    (Kind.LITIGATION, Instance.RETRIAL): 3,
}
_FORWARD: Final = {(0, 1), (1, 2), (1, 3), (2, 3)}
# 发回重审 (ALL 89): the remanded first instance is a new proceeding after the second instance.
_REMAND: Final = (2, 1)

# Fact dates of a case, each refused outside 1990 .. this year + 10.
DATE_FIELDS: Final = (
    "act_date", "received_on", "accepted_on", "appeal_received_on", "judgment_served_on",
    "decision_served_on", "effective_on",
)  # fmt: skip
# Facts that have happened by the time they are entered.
PAST_FIELDS: Final = ("act_date", "received_on")


def _label(field: str) -> str:
    return str(getattr(Case._meta.get_field(field), "verbose_name", field))


def _stage_name(case: Case) -> str:
    if case.kind == Kind.LITIGATION and case.litigation_instance:
        return f"{case.get_kind_display()}{Instance(case.litigation_instance).label}"
    return str(case.get_kind_display())


def _stage(case: Case) -> int | None:
    return _STAGE.get((case.kind, case.litigation_instance or ""))


def _link_error(previous: Case, case: Case) -> str | None:
    """Why ``case`` cannot follow ``previous`` in a chain, or None."""
    before, after = _stage(previous), _stage(case)
    if before is None or after is None:
        return None  # the kind/instance constraint reports this on its own field
    forward = (before, after) in _FORWARD
    remanded = (before, after) == _REMAND and previous.outcome == Outcome.REMANDED
    if not (forward or remanded):
        return _(
            "“%(this)s”不能接在“%(prev)s”之后：案件链接只能向后（行政复议→一审→二审→再审；"
            "发回重审的一审可接在二审之后）。"
        ) % {"this": _stage_name(case), "prev": _stage_name(previous)}
    if previous.received_on and case.received_on and previous.received_on > case.received_on:
        return _("前一程序的收到日期（%(p)s）晚于本案的收到日期（%(c)s）。") % {
            "p": previous.received_on.isoformat(), "c": case.received_on.isoformat(),
        }
    return None


def chain_errors(case: Case) -> Errors:
    """The link to the previous proceeding: same agency, forward, no loop (D1)."""
    previous = case.previous
    errors: Errors = {}
    if previous is not None:
        if previous.pk is not None and previous.pk == case.pk:
            return {"previous": [_("不能把案件链接到它自己。")]}
        if previous.agency_id != case.agency_id:
            return {"previous": [_("前一程序必须属于同一机关。")]}
        # Only a stored case can close a loop: nothing links to a new one yet (and a batch
        # of new rows need not read their chains).
        seen = {case.pk}
        node: Case | None = previous if case.pk is not None else None
        while node is not None:
            if node.pk in seen:
                return {"previous": [_("案件链接不能形成循环。")]}
            seen.add(node.pk)
            node = node.previous
        message = _link_error(previous, case)
        if message:
            errors["previous"] = [message]
    if case.pk is not None:
        # A changed kind or instance must still come before the proceedings that follow it.
        for later in Case.objects.filter(previous_id=case.pk).order_by("id"):
            message = _link_error(case, later)
            if message:
                errors.setdefault("kind", []).append(
                    _("后一程序 %(n)s：%(m)s") % {"n": later.number, "m": message}
                )
    return errors


def handler_errors(case: Case, handlers: Iterable[Any] | None, *, members: Set[int] | None = None) -> Errors:
    """Handlers (承办人) are members of the case's own agency: reminders tell them the case.

    ``members``: the agency's member ids when the caller loaded them (a batch), else asked here.
    """
    if handlers is None:
        return {}
    users = [user for user in handlers if user is not None]
    own = members if members is not None else set(
        Membership.objects.filter(agency_id=case.agency_id, user__in=[u.pk for u in users])
        .values_list("user_id", flat=True)
    )
    strangers = [user for user in users if user.pk not in own]
    if not strangers:
        return {}
    names = "、".join(person_name(user) for user in strangers)
    return {"handlers": [_("承办人必须是该机关的工作人员：%(n)s") % {"n": names}]}


def date_errors(case: Case) -> Errors:
    """Fact dates inside the sane window; a case not received, nor its act made, in the future."""
    errors: Errors = {}
    for field in DATE_FIELDS:
        if getattr(case, field) is None:
            continue
        message = window_error(getattr(case, field), _label(field))
        if message:
            errors.setdefault(field, []).append(message)
    for field in PAST_FIELDS:
        if field in errors or getattr(case, field) is None:
            continue
        message = future_error(getattr(case, field), _label(field))
        if message:
            errors.setdefault(field, []).append(message)
    return errors


def suspended_days(case_id: int, *, since: dt.date) -> int:
    """Days the case stood suspended from ``since`` on (every ended 中止/恢复 pair).

    The reviewing body's and the court's own time limits do not run while a case is
    suspended (中止), so those limits are extended by these days; the bureau's own
    periods are not. An open suspension counts once it is resumed.
    """
    return sum(
        s.days for s in Suspension.objects.filter(case_id=case_id, suspended_on__gte=since, resumed_on__isnull=False)
    )
