"""Reminders that survive real hosts and slow servers (issue 12): long host names, slow
sends past the lease, timeouts, database blips and failures people must see."""

from __future__ import annotations

import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection

from cases.models import ReminderDelivery
from cases.models.reminders import DeliveryStatus, ReminderChannel
from cases.services import reminder_outbox as outbox
from cases.services.reminders import reminders_sweep
from tests.factories import CaseFactory, DeadlineFactory, member

TZ = ZoneInfo("Asia/Shanghai")
DUE = dt.date(2025, 10, 9)
POD_NAME = "casetracker-worker-reminders-7d9f8b6c5d-x2k4p.prod-cluster-east-1"[:64].ljust(64, "x")


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def due_deadlines(agency, n: int, *, email: bool = True) -> list:
    users = []
    for i in range(n):
        user = member(agency, username=f"handler{i}", email=f"handler{i}@example.invalid" if email else "")
        case = CaseFactory(agency=agency)
        case.handlers.add(user)
        DeadlineFactory(case=case, due_on=DUE)
        users.append(user)
    return users


# --- Long host names -------------------------------------------------------------------------


def test_a_sweep_token_fits_its_column_whatever_the_host_is_called():
    column = ReminderDelivery._meta.get_field("created_by_sweep").max_length
    with mock.patch("socket.gethostname", return_value=POD_NAME):
        tokens = {outbox.new_token("sweep") for _ in range(50)}
    assert len(tokens) == 50  # still unique: the random part is never cut off
    assert all(len(token) <= column for token in tokens)
    assert all(token.startswith("sweep:") for token in tokens)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL enforces the column's length")
def test_it_sends_reminders_from_a_host_with_a_64_character_name_on_postgresql(agency):
    due_deadlines(agency, 1)
    assert len(POD_NAME) == 64
    with mock.patch("socket.gethostname", return_value=POD_NAME):
        result = reminders_sweep(now=at(DUE))
    assert (result.created, result.sent) == (2, 2)
    assert len(mail.outbox) == 1


# --- The lease rule ------------------------------------------------------------------------


class _SlowSends:
    """A send hook: every send takes ``seconds`` (time moved on), and before the
    ``second_at``-th send another sweep runs, as a second beat or a cron copy would."""

    traveller = None
    seconds = 0
    second_at = 0
    calls = 0
    second_result = None

    @classmethod
    def hook(cls, delivery) -> None:
        cls.calls += 1
        if cls.calls == cls.second_at:
            cls.second_result = reminders_sweep()
        cls.traveller.shift(dt.timedelta(seconds=cls.seconds))


def slow_send(delivery) -> None:
    _SlowSends.hook(delivery)


@pytest.fixture
def slow_sends(settings):
    settings.REMINDER_SEND_HOOK = f"{__name__}.slow_send"
    _SlowSends.calls, _SlowSends.second_result = 0, None
    yield _SlowSends
    _SlowSends.traveller = None


def test_a_second_sweep_never_takes_over_rows_a_slow_sweep_is_still_sending(agency, settings, slow_sends):
    settings.REMINDER_CLAIM_LEASE = 60
    due_deadlines(agency, 10)  # 20 rows: in-app + e-mail for 10 handlers
    slow_sends.seconds, slow_sends.second_at = 20, 6  # the 6th send starts 100 s in, well past the lease
    with time_machine.travel(at(DUE), tick=False) as traveller:
        slow_sends.traveller = traveller
        first = reminders_sweep()
    assert slow_sends.second_result.as_dict() == {"due": 20, "created": 0, "sent": 0, "failed": 0}
    assert first.sent == 20
    assert len(mail.outbox) == 10
    assert sorted(m.to[0] for m in mail.outbox) == sorted({m.to[0] for m in mail.outbox})
    assert set(ReminderDelivery.objects.values_list("attempts", flat=True)) == {1}


def test_an_inline_sweep_claims_rows_in_batches_just_before_sending_them(agency, settings):
    settings.REMINDER_SEND_BATCH = 3
    due_deadlines(agency, 4, email=False)
    sending_at_each_send = []

    def count_sending(delivery) -> None:
        sending_at_each_send.append(ReminderDelivery.objects.filter(status=DeliveryStatus.SENDING).count())

    with mock.patch.object(outbox, "_run_hook", side_effect=count_sending):
        assert reminders_sweep(now=at(DUE)).sent == 4
    assert sending_at_each_send == [3, 2, 1, 1]
    assert ReminderDelivery.objects.filter(channel=ReminderChannel.IN_APP, status=DeliveryStatus.SENT).count() == 4
