"""Reminder policy and the sweep: which reminders are due at ``now``, written once, then sent.

Policy (docs/reminders.md; lead times in settings, changeable without code):
- an open deadline that is the bureau's duty is reminded to the case's handlers
  REMINDER_DEADLINE_WORKING_DAYS working days before it (``lead_5wd@<due day>``),
  REMINDER_DEADLINE_DAYS calendar days before it (``lead_3d@..``, ``lead_1d@..``;
  0 is ``due_day@..``), then on every working day while overdue (``overdue_<day>``),
  and escalated the same days to the agency's responsible persons
  (``escalation_overdue_<day>``) until it is met or waived;
- a scheduled hearing is reminded REMINDER_HEARING_DAYS days before
  (``hearing_5d@<local start>`` ...) to the handlers and the expected leader; a
  court or reconsideration hearing with no leader arranged
  REMINDER_LEADER_ESCALATION_DAYS days ahead (SPC20 Art. 5: the court's notice
  comes >= 3 days before; ARL 51 para. 3) escalates once (``escalation_leader@..``);
- a lead key names the due day or hearing time it is about, so a deadline that is
  moved or a hearing that is rescheduled is reminded again for its new date (the
  unique key would otherwise swallow every reminder already sent for the old one);
- only the latest applicable reminder of a deadline or hearing is due at any
  moment, so a sweep after downtime sends what was missed once, not once per tick;
- a user who asked for a digest gets, instead, one message a day listing everything
  currently due soon or overdue for them (``digest``, keyed by day).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.choices import HearingKind, HearingStatus, Status
from cases.models import Deadline, Hearing, Membership
from cases.models.reminders import ReminderChannel
from cases.people import person_name
from cases.services import reminder_outbox as outbox
from cases.services.calendar import workday_calendar
from casetracker import reminders as schedule
from casetracker.calendar import WorkdayCalendar

if TYPE_CHECKING:
    from django.contrib.auth.models import User

__all__ = [
    "ESCALATION_LEADER",
    "Due",
    "SweepResult",
    "deadline_reminder_at",
    "delivery_send",
    "hearing_reminder_at",
    "reminders_due",
    "reminders_sweep",
    "reminder_kind",
    "reminders_sweep_and_enqueue",
]

# Hearings the law wants a responsible person at: court (SPC20) and reconsideration (ARL 51).
_LEADER_HEARINGS = (HearingKind.COURT, HearingKind.RECONSIDERATION)
ESCALATION_LEADER = "escalation_leader"


def reminder_kind(key: str) -> str:
    """A reminder key without the date it is about: ``lead_3d@2025-10-09`` -> ``lead_3d``."""
    return key.split("@", 1)[0]


@dataclass(frozen=True, slots=True)
class Due:
    """One reminder of one subject due to one person (channels are added later)."""

    reminder: str
    recipient: Any
    agency: Any
    title: str
    body: str
    url: str
    deadline_id: int | None = None
    hearing_id: int | None = None


@dataclass(slots=True)
class SweepResult:
    """What one sweep did: the JSON line of ``send_reminders``."""

    due: int = 0
    created: int = 0
    sent: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


# --- When: the latest applicable reminder of one deadline or hearing -----------------


def _leads() -> dict[str, list[int]]:
    return {"working_days": list(settings.REMINDER_DEADLINE_WORKING_DAYS), "days": list(settings.REMINDER_DEADLINE_DAYS)}


def deadline_schedule(due_on: dt.date, calendar: WorkdayCalendar) -> list[tuple[dt.date, str]]:
    """(fire day, reminder) of the lead reminders at the configured lead times (casetracker.reminders)."""
    return schedule.deadline_schedule(due_on, calendar, **_leads())


def deadline_reminder_at(due_on: dt.date, today: dt.date, calendar: WorkdayCalendar) -> str | None:
    """The reminder of a deadline due on ``due_on`` that applies on ``today``, if any (casetracker.reminders)."""
    return schedule.deadline_reminder_at(due_on, today, calendar, **_leads())


def hearing_reminder_at(hearing_on: dt.date, today: dt.date) -> str | None:
    """The lead reminder of a hearing on ``hearing_on`` that applies on ``today`` (casetracker.reminders)."""
    return schedule.hearing_reminder_at(hearing_on, today, days=settings.REMINDER_HEARING_DAYS)


def _horizon(today: dt.date, calendar: WorkdayCalendar) -> dt.date:
    return schedule.due_horizon(today, calendar, **_leads())


# --- Who and what: recipients and the words ------------------------------------------


def _case_url(case_id: int) -> str:
    # The case page, not "case-detail" (the API router's /api/cases/<pk>/): people want the page.
    return reverse("case-detail-page", args=[case_id])


def _deadline_words(deadline: Deadline, reminder: str, today: dt.date, calendar: WorkdayCalendar) -> tuple[str, str]:
    case = deadline.case
    due = deadline.due_on
    if due < today:
        late = calendar.working_days_between(due, today)
        head = _("【督办:期限已逾期】") if reminder.startswith("escalation") else _("【期限已逾期】")
        when = _("届满日 %(due)s,已逾期 %(days)d 天(%(wd)d 个工作日)。") % {
            "due": due.isoformat(), "days": (today - due).days, "wd": late,
        }  # fmt: skip
    elif due == today:
        head, when = _("【期限今日届满】"), _("届满日为今天 %(due)s。") % {"due": due.isoformat()}
    else:
        head = _("【期限提醒】")
        when = _("届满日 %(due)s,还有 %(days)d 天(%(wd)d 个工作日)。") % {
            "due": due.isoformat(), "days": (due - today).days, "wd": calendar.working_days_between(today, due),
        }  # fmt: skip
    title = f"{head}{case.number} {deadline.display_title}"
    body = _("案件:%(number)s(%(applicant)s)\n期限:%(title)s\n%(when)s") % {
        "number": case.number, "applicant": case.applicant, "title": deadline.display_title, "when": when,
    }  # fmt: skip
    if deadline.basis:
        body += "\n" + _("依据:%(basis)s") % {"basis": deadline.basis}
    return title, body


def _hearing_head(hearing: Hearing, escalation: bool) -> str:
    if hearing.kind == HearingKind.RECONSIDERATION:
        return _("【负责人参加听证尚未安排】") if escalation else _("【听证提醒】")
    if hearing.kind == HearingKind.COURT:
        return _("【负责人出庭尚未安排】") if escalation else _("【开庭提醒】")
    return _("【庭审提醒】")


def _hearing_words(hearing: Hearing, reminder: str) -> tuple[str, str]:
    case = hearing.case
    at = timezone.localtime(hearing.scheduled_at)
    escalation = reminder_kind(reminder) == ESCALATION_LEADER
    leader = person_name(hearing.expected_leader) if hearing.expected_leader else _("尚未安排")
    title = f"{_hearing_head(hearing, escalation)}{case.number} {at:%Y-%m-%d %H:%M}"
    body = _("案件:%(number)s(%(applicant)s)\n%(kind)s时间:%(at)s\n地点:%(place)s\n拟出庭负责人:%(leader)s") % {
        "number": case.number, "applicant": case.applicant, "kind": hearing.get_kind_display(),
        "at": f"{at:%Y-%m-%d %H:%M}", "place": hearing.place or "-", "leader": leader,
    }  # fmt: skip
    if escalation and hearing.kind == HearingKind.RECONSIDERATION:
        body += "\n" + _("行政复议听证应由被申请人负责人参加(行政复议法第51条),请尽快安排参加听证的负责人。")
    elif escalation:
        body += "\n" + _("法院应在开庭3日前通知负责人出庭(出庭应诉规定第5条),请尽快安排出庭负责人。")
    return title, body


def _active(users: Iterable[Any]) -> list[Any]:
    seen: dict[int, Any] = {}
    for user in users:
        if user is not None and user.is_active:
            seen.setdefault(user.pk, user)
    return list(seen.values())


def _leaders_by_agency(agency_ids: set[int]) -> dict[int, list[Any]]:
    """The agencies' responsible persons (SPC20 Art. 2), one query."""
    leaders: dict[int, list[Any]] = defaultdict(list)
    members = (
        Membership.objects.responsible_persons()
        .filter(agency_id__in=agency_ids, user__is_active=True)
        .select_related("user__membership")
        .order_by("user_id")
    )
    for membership in members:
        leaders[membership.agency_id].append(membership.user)
    return leaders


# --- The policy at ``now`` ---------------------------------------------------------------


def _handlers_prefetch() -> Prefetch[Any]:
    return Prefetch("case__handlers", queryset=get_user_model().objects.filter(is_active=True).select_related("membership"))


def _deadlines_due(today: dt.date, calendar: WorkdayCalendar) -> list[tuple[Deadline, str]]:
    deadlines = (
        Deadline.objects.open()
        .bureau()
        .filter(due_on__lte=_horizon(today, calendar), case__archived_at__isnull=True)
        .select_related("case__agency")
        .prefetch_related(_handlers_prefetch())
    )
    due = [(d, deadline_reminder_at(d.due_on, today, calendar)) for d in deadlines]
    return [(d, key) for d, key in due if key is not None]


def _hearings_due(now: dt.datetime, today: dt.date) -> list[tuple[Hearing, list[str]]]:
    ahead = max([0, settings.REMINDER_LEADER_ESCALATION_DAYS, *settings.REMINDER_HEARING_DAYS])
    hearings = (
        Hearing.objects.active()
        .filter(status=HearingStatus.SCHEDULED, scheduled_at__gt=now)
        .exclude(case__status=Status.CONCLUDED)  # D11: a concluded case's hearings are not reminded
        .filter(scheduled_at__date__lte=today + dt.timedelta(days=ahead))
        .select_related("case__agency", "expected_leader__membership")
        .prefetch_related(_handlers_prefetch())
    )
    result = []
    for hearing in hearings:
        start = timezone.localtime(hearing.scheduled_at)
        on = start.date()
        keys = [key for key in [hearing_reminder_at(on, today)] if key]
        escalate_from = on - dt.timedelta(days=settings.REMINDER_LEADER_ESCALATION_DAYS)
        if hearing.expected_leader_id is None and hearing.kind in _LEADER_HEARINGS and today >= escalate_from:
            keys.append(ESCALATION_LEADER)
        if keys:
            # The start time is part of the key: a rescheduled hearing is reminded again.
            result.append((hearing, [f"{key}@{start:%Y-%m-%dT%H:%M}" for key in keys]))
    return result


def _deadline_dues(deadline: Deadline, key: str, today: dt.date, calendar: WorkdayCalendar, leaders: list[Any]) -> Iterator[Due]:
    case = deadline.case
    handlers = _active(case.handlers.all())
    # A case nobody handles is still reminded: to the responsible persons.
    recipients = handlers or leaders
    title, body = _deadline_words(deadline, key, today, calendar)
    url = _case_url(case.pk)
    for user in recipients:
        yield Due(key, user, case.agency, title, body, url, deadline_id=deadline.pk)
    if key.startswith("overdue_"):
        escalation = f"escalation_{key}"
        e_title, e_body = _deadline_words(deadline, escalation, today, calendar)
        for user in leaders:
            if user not in recipients:
                yield Due(escalation, user, case.agency, e_title, e_body, url, deadline_id=deadline.pk)


def _hearing_dues(hearing: Hearing, keys: list[str], leaders: list[Any]) -> Iterator[Due]:
    case = hearing.case
    url = _case_url(case.pk)
    for key in keys:
        if reminder_kind(key) == ESCALATION_LEADER:
            recipients = leaders
        else:
            recipients = _active([*case.handlers.all(), hearing.expected_leader]) or leaders
        title, body = _hearing_words(hearing, key)
        for user in recipients:
            yield Due(key, user, case.agency, title, body, url, hearing_id=hearing.pk)


def reminders_due(*, now: dt.datetime) -> list[Due]:
    """Every reminder due at ``now``, per person (a constant number of queries)."""
    today = timezone.localdate(now)
    calendar = workday_calendar()
    deadlines = _deadlines_due(today, calendar)
    hearings = _hearings_due(now, today)
    agency_ids = {d.case.agency_id for d, _k in deadlines} | {h.case.agency_id for h, _k in hearings}
    leaders = _leaders_by_agency(agency_ids)
    with translation.override(settings.LANGUAGE_CODE):
        dues = [
            due
            for deadline, key in deadlines
            for due in _deadline_dues(deadline, key, today, calendar, leaders[deadline.case.agency_id])
        ]
        dues += [
            due for hearing, keys in hearings for due in _hearing_dues(hearing, keys, leaders[hearing.case.agency_id])
        ]
    return dues


# --- Channels and the daily digest -------------------------------------------------------


def _wants_digest(user: User) -> bool:
    membership = getattr(user, "membership", None)
    return bool(membership is not None and membership.wants_digest)


def _channels(user: User, agency: Any) -> list[str]:
    channels = [ReminderChannel.IN_APP.value]
    if user.email:
        channels.append(ReminderChannel.EMAIL.value)
    if agency.webhook_url:
        channels.append(ReminderChannel.WEBHOOK.value)
    return channels


def _single(due: Due) -> Iterator[outbox.Intended]:
    for channel in _channels(due.recipient, due.agency):
        yield outbox.Intended(
            reminder=due.reminder, recipient_id=due.recipient.pk, channel=channel, agency_id=due.agency.pk,
            title=due.title, body=due.body, url=due.url, deadline_id=due.deadline_id, hearing_id=due.hearing_id,
        )  # fmt: skip


def _digest(user: User, items: list[Due], today: dt.date) -> Iterator[outbox.Intended]:
    agency = user.membership.agency
    with translation.override(settings.LANGUAGE_CODE):
        title = _("【每日汇总】%(day)s 待办期限与开庭 %(n)d 项") % {"day": today.isoformat(), "n": len(items)}
    # Escalations and reminders of one subject collapse into one line per subject.
    lines = list(dict.fromkeys(f"- {item.title}" for item in items))
    body = "\n".join(lines)
    url = reverse("notifications")
    for channel in _channels(user, agency):
        yield outbox.Intended(
            reminder="digest", recipient_id=user.pk, channel=channel, agency_id=agency.pk,
            title=title, body=body, url=url, digest_on=today,
        )  # fmt: skip


def intended_deliveries(dues: list[Due], *, now: dt.datetime) -> list[outbox.Intended]:
    """Expand reminders into delivery rows: one per channel, or one digest a day per user."""
    today = timezone.localdate(now)
    digest_time = timezone.localtime(now).hour >= settings.REMINDER_DIGEST_HOUR
    rows: list[outbox.Intended] = []
    digests: dict[int, list[Due]] = defaultdict(list)
    users: dict[int, Any] = {}
    for due in dues:
        if _wants_digest(due.recipient):
            digests[due.recipient.pk].append(due)
            users[due.recipient.pk] = due.recipient
        else:
            rows.extend(_single(due))
    if digest_time:
        for pk, items in digests.items():
            rows.extend(_digest(users[pk], items, today))
    return rows


# --- The sweep -------------------------------------------------------------------------------


def _write(now: dt.datetime, token: str) -> tuple[int, list[int]]:
    intended = intended_deliveries(reminders_due(now=now), now=now)
    return len(intended), outbox.deliveries_create(intended, token=token)


def reminders_sweep(*, now: dt.datetime | None = None) -> SweepResult:
    """One sweep in this process: write the due rows, then send them (and any left over) inline."""
    now = now or timezone.now()
    token = outbox.new_token("sweep")
    due, created = _write(now, token)
    claimed = outbox.deliveries_claim_created(token=token, worker=token)
    claimed += outbox.deliveries_recover(worker=token)
    outcomes = outbox.deliveries_send_inline(dict.fromkeys(claimed), worker=token)
    sent = outcomes.count(outbox.DeliveryOutcome.SENT)
    failed = sum(o in (outbox.DeliveryOutcome.RETRY, outbox.DeliveryOutcome.FAILED) for o in outcomes)
    return SweepResult(due=due, created=len(created), sent=sent, failed=failed)


def reminders_sweep_and_enqueue(*, now: dt.datetime | None = None) -> SweepResult:
    """One sweep for Celery beat: write the due rows, queue a send task per row it created
    and per row left over (a due retry, a dead creator or worker)."""
    from cases import tasks

    now = now or timezone.now()
    token = outbox.new_token("sweep")
    due, created = _write(now, token)
    queued = list(dict.fromkeys([*created, *outbox.deliveries_recover(worker=None)]))
    # Queue after commit: a worker must find the rows it is told to send.
    transaction.on_commit(lambda: [tasks.reminder_send.delay(pk) for pk in queued])
    return SweepResult(due=due, created=len(created))


def delivery_send(*, delivery_id: int, worker: str) -> str:
    """Claim and send one row (the Celery send task); a DeliveryOutcome, or skipped."""
    if not outbox.delivery_claim(delivery_id=delivery_id, worker=worker):
        return outbox.DeliveryOutcome.SKIPPED
    return outbox.delivery_send_claimed(delivery_id=delivery_id, worker=worker)
