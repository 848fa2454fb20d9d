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
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.choices import HearingKind, HearingStatus, Status
from cases.models import Deadline, Hearing
from cases.models.reminders import ReminderChannel
from cases.services import evidence_reminders, reminder_recipients, reminder_words
from cases.services import reminder_outbox as outbox
from cases.services.calendar import workday_calendar
from cases.services.reminder_failures import deliveries_retry_next_day, failures_report
from cases.services.reminder_recipients import ESCALATION, HANDLERS, HANDLERS_AND_LEADER, RESPONSIBLE, DueKey
from cases.services.reminder_words import ESCALATION_LEADER, reminder_kind
from casetracker import reminders as schedule
from casetracker.calendar import WorkdayCalendar

__all__ = [
    "ESCALATION_LEADER",
    "DueKey",
    "SweepResult",
    "deadline_reminder_at",
    "deliveries_send_batch",
    "delivery_send",
    "digest_deliveries",
    "hearing_reminder_at",
    "reminders_due",
    "reminders_sweep",
    "reminder_kind",
    "reminders_sweep_and_enqueue",
]

# Hearings the law wants a responsible person at: court (SPC20) and reconsideration (ARL 51).
_LEADER_HEARINGS = (HearingKind.COURT, HearingKind.RECONSIDERATION)


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


# --- The policy at ``now``: due keys, read as tuples ----------------------------------------
#
# The sweep reads only what decides *which* reminders are due: a deadline's id, case, agency
# and due day; a hearing's kind, start and expected leader. Who gets each one is resolved by
# the database inside the outbox's INSERT (cases/services/reminder_recipients.py) and the
# words when the row is first sent (cases/services/reminder_words.py), so a sweep that finds
# its reminders sent already builds nothing per row (issue 17).

_KEY = ("id", "case_id", "case__agency_id")


def _deadline_keys(today: dt.date, calendar: WorkdayCalendar) -> list[DueKey]:
    rows = (
        Deadline.objects.open()
        .bureau()
        .filter(due_on__lte=_horizon(today, calendar), case__archived_at__isnull=True)
        .order_by("id")
        .values_list(*_KEY, "due_on")
    )
    # The reminder depends only on the due day: a few hundred days for tens of thousands of rows.
    keys: dict[dt.date, str | None] = {}
    due: list[DueKey] = []
    for pk, case_id, agency_id, day in rows:
        if day not in keys:
            keys[day] = deadline_reminder_at(day, today, calendar)
        key = keys[day]
        if key is None:
            continue
        due.append(DueKey(pk, None, key, HANDLERS, case_id, agency_id))
        if key.startswith("overdue_"):
            due.append(DueKey(pk, None, f"escalation_{key}", ESCALATION, case_id, agency_id))
    return due


def _hearing_keys(now: dt.datetime, today: dt.date) -> list[DueKey]:
    ahead = max([0, settings.REMINDER_LEADER_ESCALATION_DAYS, *settings.REMINDER_HEARING_DAYS])
    rows = (
        Hearing.objects.active()
        .filter(status=HearingStatus.SCHEDULED, scheduled_at__gt=now)
        .exclude(case__status=Status.CONCLUDED)  # D11: a concluded case's hearings are not reminded
        .filter(scheduled_at__date__lte=today + dt.timedelta(days=ahead))
        .order_by("id")
        .values_list(*_KEY, "kind", "scheduled_at", "expected_leader_id")
    )
    due: list[DueKey] = []
    for pk, case_id, agency_id, kind, scheduled_at, leader_id in rows:
        start = timezone.localtime(scheduled_at)
        on = start.date()
        # The start time is part of the key: a rescheduled hearing is reminded again.
        at = f"@{start:%Y-%m-%dT%H:%M}"
        key = hearing_reminder_at(on, today)
        if key:
            due.append(DueKey(None, pk, key + at, HANDLERS_AND_LEADER, case_id, agency_id, leader_id))
        escalate_from = on - dt.timedelta(days=settings.REMINDER_LEADER_ESCALATION_DAYS)
        if leader_id is None and kind in _LEADER_HEARINGS and today >= escalate_from:
            due.append(DueKey(None, pk, ESCALATION_LEADER + at, RESPONSIBLE, case_id, agency_id))
    return due


def reminders_due(*, now: dt.datetime) -> list[DueKey]:
    """Every reminder due at ``now``, one key per deadline or hearing and reminder (before it is
    known to whom): three indexed queries of tuples, whatever the number due."""
    today = timezone.localdate(now)
    calendar = workday_calendar()
    keys = _deadline_keys(today, calendar) + _hearing_keys(now, today)
    return keys + evidence_reminders.empty_list_keys(today, calendar)  # issue 13


# --- The daily digest ---------------------------------------------------------------------------


def _channels(email: str, webhook_url: str) -> list[str]:
    channels = [ReminderChannel.IN_APP.value]
    if email:
        channels.append(ReminderChannel.EMAIL.value)
    if webhook_url:
        channels.append(ReminderChannel.WEBHOOK.value)
    return channels


def digest_deliveries(keys: list[DueKey], *, now: dt.datetime) -> list[outbox.Intended]:
    """One digest a day per person who asked for it, listing the titles of what is due for them.

    Worded by the sweep (a digest is one row per person and day, not one per reminder): the
    persons and their items come from the same recipient rules as the single rows.
    """
    if timezone.localtime(now).hour < settings.REMINDER_DIGEST_HOUR:
        return []
    today = timezone.localdate(now)
    items = reminder_recipients.digest_recipients(keys)
    if not items:
        return []
    titles = reminder_words.subject_titles(((i.deadline_id, i.hearing_id, i.reminder) for i in items), today)
    by_user: dict[int, list[reminder_recipients.DigestItem]] = defaultdict(list)
    for item in items:
        by_user[item.user_id].append(item)
    url = reverse("notifications")
    rows: list[outbox.Intended] = []
    for user_id, mine in by_user.items():
        # Escalations and reminders of one subject collapse into one line per subject.
        # (A subject deleted since the sweep read it has no title and no line.)
        said = (titles.get((i.deadline_id, i.hearing_id, i.reminder)) for i in mine)
        lines = list(dict.fromkeys(f"- {title}" for title in said if title))
        with translation.override(settings.LANGUAGE_CODE):
            title = _("【每日汇总】%(day)s 待办期限与开庭 %(n)d 项") % {"day": today.isoformat(), "n": len(mine)}
        first = mine[0]
        for channel in _channels(first.email, first.webhook_url or ""):
            rows.append(outbox.Intended(
                reminder="digest", recipient_id=user_id, channel=channel, agency_id=first.agency_id,
                title=title, body="\n".join(lines), url=url, digest_on=today,
            ))  # fmt: skip
    return rows


# --- The sweep -------------------------------------------------------------------------------


def _write(now: dt.datetime, token: str) -> tuple[int, list[int], list[int]]:
    """(rows due, in-app ids created, e-mail and webhook ids created)."""
    keys = reminders_due(now=now)
    digests = digest_deliveries(keys, now=now)
    # Each INSERT decides on its own which rows exist (ON CONFLICT DO NOTHING): no need for one transaction.
    wanted = outbox.deliveries_insert_due(keys, token=token, now=now)
    outbox.deliveries_create(digests, token=token, now=now)
    return wanted + len(digests), *outbox.deliveries_created(token)


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
