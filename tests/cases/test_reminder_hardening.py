"""Reminders that survive real hosts and slow servers (issue 12): long host names, slow
sends past the lease, timeouts, database blips and failures people must see."""

from __future__ import annotations

import datetime as dt
import socket
import threading
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import ReminderDelivery
from cases.models.reminders import DeliveryStatus, ReminderChannel
from cases.services import reminder_outbox as outbox
from cases.services.calendar import workday_calendar
from cases.services.reminders import reminders_sweep, reminders_sweep_and_enqueue
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


@pytest.fixture
def slow_sends():
    """Every send (in-app, e-mail, webhook) first runs _SlowSends.hook."""
    _SlowSends.calls, _SlowSends.second_result = 0, None
    real_in_app, real_external = outbox.notify.send_in_app, outbox.notify.send_external

    def in_app(delivery):
        _SlowSends.hook(delivery)
        return real_in_app(delivery)

    def external(delivery):
        _SlowSends.hook(delivery)
        return real_external(delivery)

    with mock.patch.object(outbox.notify, "send_in_app", in_app), mock.patch.object(outbox.notify, "send_external", external):
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


def test_an_inline_sweep_writes_in_app_rows_a_batch_at_a_time_each_in_one_go(agency, settings):
    settings.REMINDER_IN_APP_BATCH = 3
    due_deadlines(agency, 4, email=False)
    at_each_write = []
    real_send = outbox.notify.send_in_app_bulk

    def send(delivery_ids):
        # In-app rows are claimed, worded, marked sent and written in one transaction: no row
        # of a batch is ever left "sending" for a lease to cover, and the next batch waits.
        sent = ReminderDelivery.objects.filter(status=DeliveryStatus.SENT).count()
        sending = ReminderDelivery.objects.filter(status=DeliveryStatus.SENDING).count()
        at_each_write.append((len(delivery_ids), sent, sending))
        return real_send(delivery_ids)

    with mock.patch.object(outbox.notify, "send_in_app_bulk", send):
        assert reminders_sweep(now=at(DUE)).sent == 4
    assert at_each_write == [(3, 3, 0), (1, 4, 0)]
    assert ReminderDelivery.objects.filter(channel=ReminderChannel.IN_APP, status=DeliveryStatus.SENT).count() == 4
    assert set(ReminderDelivery.objects.values_list("attempts", flat=True)) == {1}


def test_it_sends_in_app_rows_one_by_one_when_the_bulk_write_fails(agency):
    from cases.models import Notification

    due_deadlines(agency, 3, email=False)
    broken = mock.patch.object(outbox.notify, "send_in_app_bulk", side_effect=ValueError("a bad row"))
    with broken, time_machine.travel(at(DUE), tick=False):
        assert reminders_sweep().as_dict() == {"due": 3, "created": 3, "sent": 3, "failed": 0}
    assert Notification.objects.count() == 3
    assert set(ReminderDelivery.objects.values_list("status", "attempts")) == {(DeliveryStatus.SENT, 1)}


def test_an_inline_sweep_claims_e_mail_rows_in_batches_just_before_sending_them(agency, settings):
    settings.REMINDER_SEND_BATCH = 3
    due_deadlines(agency, 4)
    sending_at_each_send = []
    real_send = outbox.notify.send_external

    def send(delivery):
        sending_at_each_send.append(ReminderDelivery.objects.filter(status=DeliveryStatus.SENDING).count())
        return real_send(delivery)

    with mock.patch.object(outbox.notify, "send_external", send):
        assert reminders_sweep(now=at(DUE)).sent == 8
    # 3 claimed, sent one by one, then the last one: never every row at once (the lease rule).
    assert sending_at_each_send == [3, 2, 1, 1]
    assert len(mail.outbox) == 4


def test_a_sweep_runs_the_same_number_of_queries_for_one_due_deadline_as_for_forty(
    agency, settings
):
    from cases.models import Notification

    settings.REMINDER_IN_APP_BATCH = 100
    workday_calendar()

    def sweep_queries(moment) -> int:
        with CaptureQueriesContext(connection) as counted:
            reminders_sweep(now=moment)
        return len(counted.captured_queries)

    due_deadlines(agency, 1, email=False)
    with time_machine.travel(at(DUE), tick=False):
        one = sweep_queries(timezone.now())
    ReminderDelivery.objects.all().delete()
    Notification.objects.all().delete()
    # 40, not more: SQLite takes 999 parameters per statement, so it gets the due keys ~119
    # to a statement and the words ~240 (PostgreSQL gets each as one array per column).
    for i in range(39):
        user = member(agency, username=f"more{i}", email="")
        case = CaseFactory(agency=agency)
        case.handlers.add(user)
        DeadlineFactory(case=case, due_on=DUE)
    with time_machine.travel(at(DUE), tick=False):
        forty = sweep_queries(timezone.now())
    assert Notification.objects.count() == 40
    # Savepoints included: reminders_due 4 (the calendar's fingerprint, deadlines, hearings,
    # evidence lists), whether anyone wants a digest 1, the INSERT ... SELECT 4 (on SQLite its
    # COUNT is a statement of its own; PostgreSQL counts in the INSERT's statement) and its
    # re-select 1, the next-day retry 3, the in-app batch 6 (the lock, which reads what the
    # words need, the calendar, the mark with the words, the notifications), the left-overs 3,
    # the failure report 3. Was 31 with a claim before each in-app batch, 25 with people and
    # words built by the sweep.
    assert forty == one == (24 if connection.vendor == "postgresql" else 25)


# --- Timeouts: an unknown outcome is retried once, later -----------------------------------


class _Silent:
    """A server that accepts connections and never says a word (a hung SMTP server or robot)."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self) -> None:
        self.sock.close()
        for conn in self.held:
            conn.close()


@pytest.fixture
def silent():
    server = _Silent()
    yield server
    server.close()


@pytest.fixture
def smtp_that_never_replies(settings, silent):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", silent.port, 0.5
    return silent


def test_email_and_webhook_sends_have_timeouts_below_half_the_lease_by_default():
    from django.conf import settings as configured

    lease = configured.REMINDER_CLAIM_LEASE
    assert configured.EMAIL_TIMEOUT and configured.EMAIL_TIMEOUT < lease / 2
    assert configured.REMINDER_WEBHOOK_TIMEOUT and configured.REMINDER_WEBHOOK_TIMEOUT < lease / 2


def test_a_send_to_an_smtp_server_that_never_replies_times_out_and_is_retried_once_after_a_delay(
    agency, settings, smtp_that_never_replies
):
    settings.REMINDER_TIMEOUT_RETRY_DELAY = 120
    due_deadlines(agency, 1)
    with time_machine.travel(at(DUE), tick=False) as traveller:
        first = reminders_sweep()
        assert (first.sent, first.failed) == (1, 1)  # the in-app one went; the e-mail's fate is unknown
        row = ReminderDelivery.objects.get(channel=ReminderChannel.EMAIL)
        assert (row.status, row.attempts, row.timeouts) == (DeliveryStatus.PENDING, 1, 1)
        assert "timed out" in row.last_error
        assert row.next_attempt_at == at(DUE) + dt.timedelta(seconds=120)
        traveller.shift(dt.timedelta(seconds=119))
        assert reminders_sweep().failed == 0  # not before the delay
        traveller.shift(dt.timedelta(seconds=2))
        assert reminders_sweep().failed == 1
        row.refresh_from_db()
        assert (row.status, row.attempts, row.timeouts) == (DeliveryStatus.FAILED, 2, 2)
    with time_machine.travel(at(DUE + dt.timedelta(days=1)), tick=False):
        reminders_sweep()  # the next day: a timed-out row has had its one extra try
    row.refresh_from_db()
    assert (row.status, row.attempts) == (DeliveryStatus.FAILED, 2)
    assert ReminderDelivery.objects.filter(channel=ReminderChannel.EMAIL, reminder__startswith="due_day").count() == 1
    assert len(smtp_that_never_replies.held) == 2 + 1  # + the next day's own new reminder


def test_a_webhook_that_never_answers_is_posted_at_most_twice(agency, settings, silent):
    settings.REMINDER_WEBHOOK_TIMEOUT = 0.5
    agency.webhook_url = f"http://127.0.0.1:{silent.port}/cgi-bin/webhook/send?key=k"
    agency.save()
    due_deadlines(agency, 1, email=False)
    with time_machine.travel(at(DUE), tick=False) as traveller:
        for _ in range(8):  # a sweep every ten minutes for over an hour
            reminders_sweep()
            traveller.shift(dt.timedelta(minutes=10))
    row = ReminderDelivery.objects.get(channel=ReminderChannel.WEBHOOK)
    assert (row.status, row.timeouts) == (DeliveryStatus.FAILED, 2)
    assert len(silent.held) == 2


# --- Database blips ----------------------------------------------------------------------


def test_the_send_task_retries_a_database_blip_instead_of_dropping_the_send(agency):
    from cases import tasks
    from cases.models import Notification

    due_deadlines(agency, 1, email=False)
    with mock.patch("cases.tasks.reminder_send.delay"), time_machine.travel(at(DUE), tick=False):
        reminders_sweep_and_enqueue()
    row = ReminderDelivery.objects.get()
    real_claim, calls = outbox.delivery_claim, []

    def claim_after_a_restart(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real_claim(**kwargs)

    with mock.patch.object(outbox, "delivery_claim", side_effect=claim_after_a_restart):
        result = tasks.reminder_send.apply(args=[row.pk])  # eager: the retry runs at once
    assert result.get() == "sent"
    assert len(calls) == 2 and calls[0]["worker"] == calls[1]["worker"]
    assert Notification.objects.filter(delivery=row).count() == 1


def test_a_database_error_while_sending_is_not_recorded_as_a_channel_failure(agency):
    due_deadlines(agency, 1, email=False)
    with mock.patch("cases.tasks.reminder_send.delay"), time_machine.travel(at(DUE), tick=False):
        reminders_sweep_and_enqueue()
    row = ReminderDelivery.objects.get()
    assert outbox.delivery_claim(delivery_id=row.pk, worker="task:1")
    with mock.patch.object(outbox.notify, "send_in_app", side_effect=OperationalError("the database restarted")):
        with pytest.raises(OperationalError):
            outbox.delivery_send_claimed(delivery_id=row.pk, worker="task:1")
    row.refresh_from_db()
    assert (row.status, row.last_error) == (DeliveryStatus.SENDING, "")  # still ours: the retry takes it back


# --- Failures are seen ---------------------------------------------------------------------


@pytest.fixture
def robot_down(agency, settings):
    settings.REMINDER_MAX_ATTEMPTS = 1
    agency.webhook_url = "http://127.0.0.1:9/robot"  # the discard port: connection refused
    agency.save()
    return agency


def _webhook_row():
    return ReminderDelivery.objects.get(channel=ReminderChannel.WEBHOOK, reminder__startswith="due_day")


def test_a_delivery_that_failed_for_good_is_emailed_once_to_its_agencys_administrators(
    robot_down, admin_user, other_agency
):
    from cases.choices import Role

    member(other_agency, Role.ADMIN, username="admin2")  # another agency's administrator hears nothing
    due_deadlines(robot_down, 1, email=False)
    with time_machine.travel(at(DUE), tick=False):
        reminders_sweep()
        reminders_sweep()
    reports = [m for m in mail.outbox if m.subject.startswith("【提醒发送失败】")]
    assert len(reports) == 1
    assert reports[0].to == [admin_user.email]
    assert "webhook unreachable" in reports[0].body
    assert "/admin/cases/reminderdelivery/?status__exact=failed" in reports[0].body
    assert _webhook_row().failure_reported_at is not None


def test_a_failure_report_that_cannot_be_sent_is_tried_again_at_the_next_sweep(robot_down, admin_user):
    due_deadlines(robot_down, 1, email=False)
    with time_machine.travel(at(DUE), tick=False):
        with mock.patch("cases.services.reminder_failures.send_mail", side_effect=OSError("mail server down")):
            reminders_sweep()
        assert _webhook_row().failure_reported_at is None
        reminders_sweep()
    assert _webhook_row().failure_reported_at is not None
    assert len(mail.outbox) == 1


def test_a_failed_delivery_is_tried_once_more_by_the_next_days_sweep(robot_down):
    due_deadlines(robot_down, 1, email=False)
    for day, hour in ((DUE, 9), (DUE, 15), (DUE + dt.timedelta(days=1), 9), (DUE + dt.timedelta(days=2), 9)):
        with time_machine.travel(at(day, hour), tick=False):
            reminders_sweep()
        row = _webhook_row()
        expected_attempts = 1 if day == DUE else 2
        assert (row.status, row.attempts) == (DeliveryStatus.FAILED, expected_attempts), (day, hour)
    assert row.retried_next_day


def test_the_next_days_retry_sends_a_delivery_whose_channel_has_recovered(robot_down):
    due_deadlines(robot_down, 1, email=False)
    with time_machine.travel(at(DUE), tick=False):
        reminders_sweep()
    with mock.patch.object(outbox.notify, "send_webhook") as webhook:
        with time_machine.travel(at(DUE + dt.timedelta(days=1)), tick=False):
            reminders_sweep()
    assert _webhook_row().status == DeliveryStatus.SENT
    assert [c.args[0].pk for c in webhook.call_args_list].count(_webhook_row().pk) == 1


def test_administrators_see_the_count_of_failed_deliveries_on_the_dashboard(robot_down, admin_user, staff, client):
    due_deadlines(robot_down, 1, email=False)
    with time_machine.travel(at(DUE), tick=False):
        reminders_sweep()
    client.force_login(admin_user)
    page = client.get("/dashboard/")
    assert page.context["failed_reminders"] == 1
    assert 'href="/admin/cases/reminderdelivery/?status__exact=failed"' in page.content.decode()
    client.force_login(staff)
    page = client.get("/dashboard/")
    assert page.context["failed_reminders"] is None
    assert b'data-testid="failed-reminders"' not in page.content


def test_the_system_check_warns_when_a_send_could_outlive_half_the_lease(settings):
    from cases.checks import reminder_timeouts_fit_the_lease

    assert reminder_timeouts_fit_the_lease() == []
    settings.EMAIL_TIMEOUT = None
    settings.REMINDER_WEBHOOK_TIMEOUT = 200
    assert [w.id for w in reminder_timeouts_fit_the_lease()] == ["reminders.W001", "reminders.W001"]
    settings.REMINDER_CLAIM_LEASE = 60
    assert "reminders.W002" in [w.id for w in reminder_timeouts_fit_the_lease()]
