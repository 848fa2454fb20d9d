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
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.choices import HearingKind, HearingStatus, Status
from cases.models import Deadline, Hearing, Membership
from cases.models.reminders import ReminderChannel
from cases.people import person_name
from cases.querysets.ids import id_in
from cases.services import evidence_reminders
from cases.services import reminder_outbox as outbox
from cases.services.calendar import workday_calendar
from cases.services.reminder_failures import deliveries_retry_next_day, failures_report
from casetracker import reminders as schedule
from casetracker.calendar import WorkdayCalendar

__all__ = [
    "ESCALATION_LEADER",
    "Due",
    "SweepResult",
    "deadline_reminder_at",
    "deliveries_send_batch",
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
#
# The sweep reads values, not model instances: one row per due deadline or hearing with
# the few columns its words need, the handlers and responsible persons as id pairs, and
# each person once. The number of queries is constant and no row builds a Case, an Agency
# or a User object; the case link is formatted from one reverse().


@dataclass(frozen=True, slots=True)
class Place:
    """The agency a reminder is about (its robot), read as values."""

    pk: int
    webhook_url: str


@dataclass(frozen=True, slots=True)
class Person:
    """A recipient read as values: what the channels and the digest need."""

    pk: int
    username: str
    first_name: str
    last_name: str
    email: str
    wants_digest: bool
    agency: Place | None

    def get_username(self) -> str:
        return self.username


def _case_urls() -> Any:
    # The case page, not "case-detail" (the API router's /api/cases/<pk>/): people want the page.
    marker = 987654321
    template = reverse("case-detail-page", args=[marker]).replace(str(marker), "{}")
    return template.format


def _deadline_when(due: dt.date, escalation: bool, today: dt.date, calendar: WorkdayCalendar) -> tuple[str, str]:
    """The head and the "when" line of a deadline's reminder: they depend only on the due day."""
    if due < today:
        late = calendar.working_days_between(due, today)
        head = _("【督办:期限已逾期】") if escalation else _("【期限已逾期】")
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
    return head, when


def _memo(memo: dict[Any, Any], key: Any, make: Any) -> Any:
    if key not in memo:
        memo[key] = make()
    return memo[key]


def _deadline_words(
    row: dict[str, Any], reminder: str, today: dt.date, calendar: WorkdayCalendar, memo: dict[Any, Any] | None = None
) -> tuple[str, str]:
    """The title and body of a deadline's reminder.

    ``memo`` is one sweep's store of what many rows share (the words for one due day, one
    rule's basis, the translated templates): a sweep of 70,000 deadlines has a few hundred
    due days and a few dozen rules, so each is worded once, not once per row (issue 17).
    """
    memo = {} if memo is None else memo
    due = row["due_on"]
    escalation = reminder.startswith("escalation")
    head, when = _memo(memo, (due, escalation), lambda: _deadline_when(due, escalation, today, calendar))
    display = Deadline.title_of(row["title"], row["rule"])
    title = f"{head}{row['case__number']} {display}"
    template = _memo(memo, "body", lambda: _("案件:%(number)s(%(applicant)s)\n期限:%(title)s\n%(when)s"))
    body = template % {
        "number": row["case__number"], "applicant": row["case__applicant"], "title": display, "when": when,
    }  # fmt: skip
    rule, version = row["rule"], row["rule_version"]
    basis = _memo(memo, ("basis", rule, version), lambda: Deadline.basis_of(rule, version))
    if basis:
        body += "\n" + _memo(memo, ("basis line", rule, version), lambda: _("依据:%(basis)s") % {"basis": basis})
    return title, body


def _hearing_head(kind: str, escalation: bool) -> str:
    if kind == HearingKind.RECONSIDERATION:
        return _("【负责人参加听证尚未安排】") if escalation else _("【听证提醒】")
    if kind == HearingKind.COURT:
        return _("【负责人出庭尚未安排】") if escalation else _("【开庭提醒】")
    return _("【庭审提醒】")


def _hearing_words(row: dict[str, Any], reminder: str, leader: Person | None) -> tuple[str, str]:
    at = timezone.localtime(row["scheduled_at"])
    kind = row["kind"]
    escalation = reminder_kind(reminder) == ESCALATION_LEADER
    title = f"{_hearing_head(kind, escalation)}{row['case__number']} {at:%Y-%m-%d %H:%M}"
    body = _("案件:%(number)s(%(applicant)s)\n%(kind)s时间:%(at)s\n地点:%(place)s\n拟出庭负责人:%(leader)s") % {
        "number": row["case__number"], "applicant": row["case__applicant"], "kind": HearingKind(kind).label,
        "at": f"{at:%Y-%m-%d %H:%M}", "place": row["place"] or "-",
        "leader": person_name(leader) if leader else _("尚未安排"),
    }  # fmt: skip
    if escalation and kind == HearingKind.RECONSIDERATION:
        body += "\n" + _("行政复议听证应由被申请人负责人参加(行政复议法第51条),请尽快安排参加听证的负责人。")
    elif escalation:
        body += "\n" + _("法院应在开庭3日前通知负责人出庭(出庭应诉规定第5条),请尽快安排出庭负责人。")
    return title, body


def _people(ids: set[int]) -> dict[int, Person]:
    """The active users among ``ids``, one query."""
    rows = (
        id_in(get_user_model().objects.filter(is_active=True), "id", ids)
        .values(
            "id", "username", "first_name", "last_name", "email", "membership__wants_digest",
            "membership__agency_id", "membership__agency__webhook_url",
        )
    )  # fmt: skip
    return {
        row["id"]: Person(
            pk=row["id"], username=row["username"], first_name=row["first_name"], last_name=row["last_name"],
            email=row["email"], wants_digest=bool(row["membership__wants_digest"]),
            agency=Place(row["membership__agency_id"], row["membership__agency__webhook_url"] or "")
            if row["membership__agency_id"] else None,
        )
        for row in rows
    }  # fmt: skip


def _handler_ids(case_ids: set[int]) -> dict[int, list[int]]:
    """Each case's handlers' user ids, one query on the m2m table."""
    from cases.models import Case

    handlers: dict[int, list[int]] = defaultdict(list)
    pairs = id_in(Case.handlers.through.objects.order_by("user_id"), "case_id", case_ids)
    for case_id, user_id in pairs.values_list("case_id", "user_id"):
        handlers[case_id].append(user_id)
    return handlers


def _leader_ids(agency_ids: set[int]) -> dict[int, list[int]]:
    """The agencies' responsible persons (SPC20 Art. 2), one query."""
    leaders: dict[int, list[int]] = defaultdict(list)
    members = id_in(Membership.objects.responsible_persons(), "agency_id", agency_ids).order_by("user_id")
    for agency_id, user_id in members.values_list("agency_id", "user_id"):
        leaders[agency_id].append(user_id)
    return leaders


# --- The policy at ``now`` ---------------------------------------------------------------

_SUBJECT = ("id", "case_id", "case__number", "case__applicant", "case__agency_id", "case__agency__webhook_url")


def _deadlines_due(today: dt.date, calendar: WorkdayCalendar) -> list[tuple[dict[str, Any], str]]:
    rows = (
        Deadline.objects.open()
        .bureau()
        .filter(due_on__lte=_horizon(today, calendar), case__archived_at__isnull=True)
        .order_by("id")
        .values(*_SUBJECT, "due_on", "title", "rule", "rule_version")
    )
    # The reminder depends only on the due day: a few hundred days for tens of thousands of rows.
    keys: dict[dt.date, str | None] = {}
    due: list[tuple[dict[str, Any], str]] = []
    for row in rows:
        day = row["due_on"]
        if day not in keys:
            keys[day] = deadline_reminder_at(day, today, calendar)
        key = keys[day]
        if key is not None:
            due.append((row, key))
    return due


def _hearings_due(now: dt.datetime, today: dt.date) -> list[tuple[dict[str, Any], list[str]]]:
    ahead = max([0, settings.REMINDER_LEADER_ESCALATION_DAYS, *settings.REMINDER_HEARING_DAYS])
    rows = (
        Hearing.objects.active()
        .filter(status=HearingStatus.SCHEDULED, scheduled_at__gt=now)
        .exclude(case__status=Status.CONCLUDED)  # D11: a concluded case's hearings are not reminded
        .filter(scheduled_at__date__lte=today + dt.timedelta(days=ahead))
        .order_by("id")
        .values(*_SUBJECT, "kind", "scheduled_at", "place", "expected_leader_id")
    )
    result = []
    for row in rows:
        start = timezone.localtime(row["scheduled_at"])
        on = start.date()
        keys = [key for key in [hearing_reminder_at(on, today)] if key]
        escalate_from = on - dt.timedelta(days=settings.REMINDER_LEADER_ESCALATION_DAYS)
        if row["expected_leader_id"] is None and row["kind"] in _LEADER_HEARINGS and today >= escalate_from:
            keys.append(ESCALATION_LEADER)
        if keys:
            # The start time is part of the key: a rescheduled hearing is reminded again.
            result.append((row, [f"{key}@{start:%Y-%m-%dT%H:%M}" for key in keys]))
    return result


@dataclass(frozen=True, slots=True)
class _Lookup:
    """Everything the words and recipients of one sweep need, read once."""

    people: dict[int, Person]
    handlers: dict[int, list[int]]
    leaders: dict[int, list[int]]
    url: Any
    # What many rows' words share, worded once per sweep (see _deadline_words).
    words: dict[Any, Any] = field(default_factory=dict)
    # Each agency's place and responsible persons, built once per sweep, not once per row.
    agencies: dict[int, tuple[Place, list[Person]]] = field(default_factory=dict)

    def persons(self, ids: Iterable[int | None]) -> list[Person]:
        found = (self.people.get(pk) for pk in dict.fromkeys(ids) if pk is not None)
        return [person for person in found if person is not None]

    def agency(self, row: dict[str, Any]) -> tuple[Place, list[Person]]:
        """The place a row's reminder is about and that agency's responsible persons."""
        pk = row["case__agency_id"]
        if pk not in self.agencies:
            place = Place(pk, row["case__agency__webhook_url"] or "")
            self.agencies[pk] = (place, self.persons(self.leaders[pk]))
        return self.agencies[pk]


def _deadline_dues(row: dict[str, Any], key: str, today: dt.date, calendar: WorkdayCalendar, look: _Lookup) -> Iterator[Due]:
    agency, leaders = look.agency(row)
    # A case nobody handles is still reminded: to the responsible persons.
    recipients = look.persons(look.handlers[row["case_id"]]) or leaders
    title, body = _deadline_words(row, key, today, calendar, look.words)
    url = look.url(row["case_id"])
    for user in recipients:
        yield Due(key, user, agency, title, body, url, deadline_id=row["id"])
    if key.startswith("overdue_"):
        escalation = f"escalation_{key}"
        e_title, e_body = _deadline_words(row, escalation, today, calendar, look.words)
        told = {user.pk for user in recipients}
        for user in leaders:
            if user.pk not in told:
                yield Due(escalation, user, agency, e_title, e_body, url, deadline_id=row["id"])


def _hearing_dues(row: dict[str, Any], keys: list[str], look: _Lookup) -> Iterator[Due]:
    agency, leaders = look.agency(row)
    expected = look.people.get(row["expected_leader_id"]) if row["expected_leader_id"] else None
    url = look.url(row["case_id"])
    for key in keys:
        if reminder_kind(key) == ESCALATION_LEADER:
            recipients = leaders
        else:
            recipients = look.persons([*look.handlers[row["case_id"]], row["expected_leader_id"]]) or leaders
        title, body = _hearing_words(row, key, expected)
        for user in recipients:
            yield Due(key, user, agency, title, body, url, hearing_id=row["id"])


def reminders_due(*, now: dt.datetime) -> list[Due]:
    """Every reminder due at ``now``, per person (a constant number of queries, values only)."""
    today = timezone.localdate(now)
    calendar = workday_calendar()
    deadlines = _deadlines_due(today, calendar)
    hearings = _hearings_due(now, today)
    empty_lists = evidence_reminders.empty_list_deadlines(today, calendar)  # issue 13
    subjects = [row for row, _k in deadlines] + [row for row, _k in hearings] + [row for row, _k in empty_lists]
    handlers = _handler_ids({row["case_id"] for row in subjects})
    leaders = _leader_ids({row["case__agency_id"] for row in subjects})
    wanted = {pk for ids in [*handlers.values(), *leaders.values()] for pk in ids}
    wanted |= {row["expected_leader_id"] for row, _k in hearings if row["expected_leader_id"]}
    look = _Lookup(people=_people(wanted), handlers=handlers, leaders=leaders, url=_case_urls())
    with translation.override(settings.LANGUAGE_CODE):
        dues = [due for row, key in deadlines for due in _deadline_dues(row, key, today, calendar, look)]
        dues += [due for row, keys in hearings for due in _hearing_dues(row, keys, look)]
        dues += [due for row, key in empty_lists
                 for due in evidence_reminders.empty_list_dues(row, key, today, calendar, look)]
    return dues


# --- Channels and the daily digest -------------------------------------------------------


def _wants_digest(user: Person) -> bool:
    return user.wants_digest and user.agency is not None


def _channels(user: Person, agency: Place) -> list[str]:
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


def _digest(user: Person, items: list[Due], today: dt.date) -> Iterator[outbox.Intended]:
    agency = user.agency
    assert agency is not None  # _wants_digest: only members of an agency get a digest
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


def _write(now: dt.datetime, token: str) -> tuple[int, list[int], list[int]]:
    """(rows due, in-app ids created, e-mail and webhook ids created)."""
    intended = intended_deliveries(reminders_due(now=now), now=now)
    return len(intended), *outbox.deliveries_create(intended, token=token)


def reminders_sweep(*, now: dt.datetime | None = None) -> SweepResult:
    """One sweep in this process: write the due rows, then send them (and any left over) inline."""
    now = now or timezone.now()
    token = outbox.new_token("sweep")
    due, in_app, external = _write(now, token)
    deliveries_retry_next_day(now=now)
    # Claimed batch by batch right before sending, never all at once (the lease rule).
    outcomes = outbox.deliveries_send_created(in_app=in_app, external=external, worker=token)
    outcomes += outbox.deliveries_send_inline(
        lambda: outbox.deliveries_recover(worker=token, limit=outbox.send_batch()),
        worker=token, most=outbox.RECOVER_BATCH,
    )  # fmt: skip
    failures_report()
    sent = outcomes.count(outbox.DeliveryOutcome.SENT)
    failed = sum(o in _NOT_SENT for o in outcomes)
    return SweepResult(due=due, created=len(in_app) + len(external), sent=sent, failed=failed)


# "failed" in the sweep's JSON line: sends of this run that did not succeed (timed out included).
_NOT_SENT = (outbox.DeliveryOutcome.RETRY, outbox.DeliveryOutcome.UNKNOWN, outbox.DeliveryOutcome.FAILED)


def reminders_sweep_and_enqueue(*, now: dt.datetime | None = None) -> SweepResult:
    """One sweep for Celery beat: write the due rows, queue a send task per row it created
    and per row left over (a due retry, a dead creator or worker)."""
    from cases import tasks

    now = now or timezone.now()
    token = outbox.new_token("sweep")
    due, in_app, external = _write(now, token)
    created = len(in_app) + len(external)
    deliveries_retry_next_day(now=now)
    recovered_in_app, recovered_external = outbox.deliveries_by_channel(outbox.deliveries_recover(worker=None))
    in_app = list(dict.fromkeys([*in_app, *recovered_in_app]))
    external = list(dict.fromkeys([*external, *recovered_external]))
    size = outbox.in_app_batch()
    batches = [in_app[i : i + size] for i in range(0, len(in_app), size)]

    def enqueue() -> None:
        # In-app rows are written in bulk: one task per REMINDER_IN_APP_BATCH of them, so
        # 70,000 reminders are 70 messages. An e-mail or webhook waits on the far side
        # (up to its timeout), so each keeps its own task inside the 90 s limit.
        for batch in batches:
            tasks.reminder_send_batch.delay(batch)
        for pk in external:
            tasks.reminder_send.delay(pk)

    # Queue after commit: a worker must find the rows it is told to send.
    transaction.on_commit(enqueue)
    failures_report()
    return SweepResult(due=due, created=created)


def deliveries_send_batch(*, delivery_ids: list[int], worker: str) -> list[str]:
    """Claim and send a batch of rows (the Celery batch task); DeliveryOutcomes of the rows it held."""
    held_since = timezone.now()
    ids = outbox.deliveries_claim(ids=delivery_ids, worker=worker)
    return outbox.deliveries_send_claimed(ids=ids, worker=worker, held_since=held_since)


def delivery_send(*, delivery_id: int, worker: str) -> str:
    """Claim and send one row (the Celery send task); a DeliveryOutcome, or skipped."""
    if not outbox.delivery_claim(delivery_id=delivery_id, worker=worker):
        return outbox.DeliveryOutcome.SKIPPED
    return outbox.delivery_send_claimed(delivery_id=delivery_id, worker=worker)
