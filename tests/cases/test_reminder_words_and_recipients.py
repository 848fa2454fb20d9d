"""The set-based sweep (issue 17): the database picks who gets a reminder inside the outbox's
INSERT, and a row's words are written when it is first sent, dated the day it fell due, and
never rewritten, so the row keeps the message that went out."""

from __future__ import annotations

import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail

from cases.choices import LeaderRank, Role
from cases.models import Deadline, Notification, ReminderDelivery
from cases.models.reminders import DeliveryStatus, ReminderChannel
from cases.services import reminder_outbox as outbox
from cases.services.reminders import reminders_sweep
from tests.factories import CaseFactory, DeadlineFactory, member

TZ = ZoneInfo("Asia/Shanghai")
DUE = dt.date(2025, 10, 9)
OVERDUE = dt.date(2025, 10, 10)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def reminders_to(user) -> list[str]:
    rows = ReminderDelivery.objects.filter(recipient=user, channel=ReminderChannel.IN_APP).order_by("id")
    return list(rows.values_list("reminder", flat=True))


def sweep(moment: dt.datetime):
    with time_machine.travel(moment, tick=False):
        return reminders_sweep()


def write_only(day: dt.date) -> None:
    """A sweep whose sends never happen (its process died right after the INSERT)."""
    with mock.patch.object(outbox, "deliveries_send_created", return_value=[]):
        sweep(at(day))


# --- Who: the rules, resolved by the database ------------------------------------------


def test_a_responsible_person_who_handles_the_case_gets_the_overdue_reminder_and_no_escalation(agency):
    both = member(agency, Role.LEADER, LeaderRank.PRINCIPAL)
    other = member(agency, Role.LEADER, LeaderRank.DEPUTY)
    case = CaseFactory(agency=agency)
    case.handlers.add(both)
    DeadlineFactory(case=case, due_on=DUE)
    sweep(at(OVERDUE))
    assert reminders_to(both) == ["overdue_2025-10-10"]
    assert reminders_to(other) == ["escalation_overdue_2025-10-10"]


def test_a_case_nobody_handles_is_not_escalated_to_those_who_had_the_reminder_itself(agency):
    principal = member(agency, Role.LEADER, LeaderRank.PRINCIPAL)
    DeadlineFactory(case=CaseFactory(agency=agency), due_on=DUE)
    sweep(at(OVERDUE))
    assert reminders_to(principal) == ["overdue_2025-10-10"]


def test_a_case_whose_only_handler_has_left_is_reminded_to_the_responsible_persons(agency):
    principal = member(agency, Role.LEADER, LeaderRank.PRINCIPAL)
    gone = member(agency, is_active=False)
    case = CaseFactory(agency=agency)
    case.handlers.add(gone)
    DeadlineFactory(case=case, due_on=DUE)
    sweep(at(DUE))
    assert reminders_to(gone) == []
    assert reminders_to(principal) == ["due_day@2025-10-09"]


def test_a_second_sweep_counts_the_rows_it_wants_but_inserts_none(agency, staff):
    case = CaseFactory(agency=agency)
    case.handlers.add(staff)
    DeadlineFactory(case=case, due_on=DUE)
    first, second = sweep(at(DUE)), sweep(at(DUE, 10))
    assert (first.due, first.created, second.due, second.created) == (2, 2, 2, 0)


# --- What: words written at the first send ---------------------------------------------------


def test_a_row_is_written_without_words_and_worded_when_first_sent(agency, staff, settings):
    case = CaseFactory(agency=agency)
    case.handlers.add(staff)
    DeadlineFactory(case=case, due_on=DUE, title="提交答辩状")
    write_only(DUE)
    assert set(ReminderDelivery.objects.values_list("title", "body", "url")) == {("", "", "")}
    later = at(DUE) + dt.timedelta(seconds=settings.REMINDER_CLAIM_LEASE + 1)
    assert sweep(later).sent == 2  # a later sweep takes the rows over
    row = ReminderDelivery.objects.get(channel=ReminderChannel.IN_APP)
    assert row.title == f"【期限今日届满】{case.number} 提交答辩状"
    assert row.url == f"/cases/{case.pk}/"
    note = Notification.objects.get()
    assert (note.title, note.body, note.url) == (row.title, row.body, row.url)
    assert mail.outbox[0].subject == row.title


def test_the_words_are_those_of_the_day_the_reminder_fell_due_even_when_sent_days_later(agency, staff):
    case = CaseFactory(agency=agency)
    case.handlers.add(staff)
    DeadlineFactory(case=case, due_on=DUE)
    write_only(DUE)
    sweep(at(DUE + dt.timedelta(days=3)))
    row = ReminderDelivery.objects.get(channel=ReminderChannel.IN_APP, reminder="due_day@2025-10-09")
    assert row.status == DeliveryStatus.SENT
    assert row.title.startswith("【期限今日届满】") and "届满日为今天 2025-10-09" in row.body


def test_a_retry_sends_the_words_of_the_first_try_though_the_deadline_was_renamed(agency, staff, settings):
    settings.REMINDER_MAX_ATTEMPTS = 3
    agency.webhook_url = "http://127.0.0.1:9/robot"  # nothing listens: the first try fails
    agency.save()
    case = CaseFactory(agency=agency)
    case.handlers.add(staff)
    deadline = DeadlineFactory(case=case, due_on=DUE, title="提交答辩状")
    assert sweep(at(DUE)).failed == 1
    webhook = ReminderDelivery.objects.get(channel=ReminderChannel.WEBHOOK)
    first_words = (webhook.title, webhook.body)
    assert "提交答辩状" in webhook.title
    Deadline.objects.filter(pk=deadline.pk).update(title="另一个名字")
    with mock.patch.object(outbox.notify, "send_webhook") as robot, time_machine.travel(at(DUE, 10), tick=False):
        assert reminders_sweep().sent == 1
    webhook.refresh_from_db()
    assert (webhook.title, webhook.body) == first_words
    assert robot.call_args.args[0].title == first_words[0]
