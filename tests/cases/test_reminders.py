"""Reminder policy and the outbox: right day, right people, each reminder once.

Dates walk through the 2025 National Day week: 1-8 October are rest days,
Sunday 28 September and Saturday 11 October are adjusted working days.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core import mail
from django.utils import timezone

from cases import notify
from cases.choices import LeaderRank, Role
from cases.models import Deadline, Notification, ReminderDelivery
from cases.models.deadlines import DeadlineStatus
from cases.models.reminders import DeliveryStatus, ReminderChannel
from cases.services import reminder_outbox as outbox
from cases.services.calendar import workday_calendar
from cases.services.reminders import (
    deadline_reminder_at,
    delivery_send,
    hearing_reminder_at,
    reminders_due,
    reminders_sweep,
    reminders_sweep_and_enqueue,
)
from tests.factories import CaseFactory, DeadlineFactory, HearingFactory, member

TZ = ZoneInfo("Asia/Shanghai")
DUE = dt.date(2025, 10, 9)  # the first working day after the National Day holiday


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def sweep(day: dt.date, hour: int = 9):
    with time_machine.travel(at(day, hour), tick=False):
        return reminders_sweep()


def reminders_of(user, channel=ReminderChannel.IN_APP) -> list[str]:
    qs = ReminderDelivery.objects.filter(recipient=user, channel=channel).order_by("id")
    return list(qs.values_list("reminder", flat=True))


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The factories set a password per user; the default hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def case(agency, staff):
    case = CaseFactory(agency=agency)
    case.handlers.add(staff)
    return case


@pytest.fixture
def deadline(case):
    return DeadlineFactory(case=case, due_on=DUE)


# --- When -------------------------------------------------------------------------------


EXPECTED_BY_DAY = {
    dt.date(2025, 9, 24): None,
    dt.date(2025, 9, 25): "lead_5wd@2025-10-09",  # Sep 30, 29, 28 (adjusted working Sunday), 26, 25
    dt.date(2025, 9, 27): None,
    dt.date(2025, 10, 6): "lead_3d@2025-10-09",
    dt.date(2025, 10, 7): None,
    dt.date(2025, 10, 8): "lead_1d@2025-10-09",
    dt.date(2025, 10, 9): "due_day@2025-10-09",
    dt.date(2025, 10, 10): "overdue_2025-10-10",
    dt.date(2025, 10, 11): "overdue_2025-10-11",  # adjusted working Saturday
    dt.date(2025, 10, 12): None,  # a rest day: no overdue reminder
    dt.date(2025, 10, 13): "overdue_2025-10-13",
}


def test_it_fires_every_deadline_lead_time_on_the_right_day_across_the_national_day_week(deadline, staff):
    day = dt.date(2025, 9, 24)
    while day <= dt.date(2025, 10, 13):
        before = reminders_of(staff)
        sweep(day)
        new = reminders_of(staff)[len(before) :]
        expected = EXPECTED_BY_DAY.get(day)
        assert new == ([expected] if expected else []), day
        day += dt.timedelta(days=1)


def test_it_counts_the_working_day_lead_on_the_official_calendar(db):
    calendar = workday_calendar()
    assert deadline_reminder_at(DUE, dt.date(2025, 9, 24), calendar) is None
    assert deadline_reminder_at(DUE, dt.date(2025, 9, 25), calendar) == "lead_5wd@2025-10-09"


def test_it_sends_only_the_latest_applicable_reminder_after_downtime(deadline, staff):
    sweep(dt.date(2025, 10, 8))
    assert reminders_of(staff) == ["lead_1d@2025-10-09"]
    sweep(dt.date(2025, 10, 12))  # down 9-11 October: one overdue reminder, for the 11th
    assert reminders_of(staff) == ["lead_1d@2025-10-09", "overdue_2025-10-11"]


def test_it_follows_lead_times_changed_in_settings(deadline, staff, settings):
    settings.REMINDER_DEADLINE_DAYS = [7]
    settings.REMINDER_DEADLINE_WORKING_DAYS = []
    sweep(dt.date(2025, 10, 1))
    sweep(dt.date(2025, 10, 2))
    assert reminders_of(staff) == ["lead_7d@2025-10-09"]


@pytest.mark.parametrize("status", [DeadlineStatus.MET, DeadlineStatus.WAIVED])
def test_it_stops_overdue_reminders_once_the_deadline_is_met_or_waived(deadline, staff, status):
    sweep(dt.date(2025, 10, 10))
    Deadline.objects.filter(pk=deadline.pk).update(status=status, closed_at=timezone.now())
    sweep(dt.date(2025, 10, 11))
    sweep(dt.date(2025, 10, 13))
    assert reminders_of(staff) == ["overdue_2025-10-10"]


def test_it_never_reminds_a_limit_that_is_not_the_bureaus_duty(case, staff):
    DeadlineFactory(case=case, due_on=DUE, is_bureau_duty=False)
    sweep(DUE)
    assert reminders_of(staff) == []


def test_it_escalates_an_overdue_deadline_to_the_responsible_persons_every_working_day(agency, deadline, staff):
    principal = member(agency, Role.LEADER, LeaderRank.PRINCIPAL)
    not_counting = member(agency, Role.LEADER, LeaderRank.NON_COUNTING)
    sweep(DUE)
    assert reminders_of(principal) == []
    for day in (10, 11, 12, 13):
        sweep(dt.date(2025, 10, day))
    assert reminders_of(principal) == [
        "escalation_overdue_2025-10-10", "escalation_overdue_2025-10-11", "escalation_overdue_2025-10-13",
    ]  # fmt: skip
    assert reminders_of(not_counting) == []
    assert not any(r.startswith("escalation") for r in reminders_of(staff))


def test_it_reminds_the_responsible_persons_when_a_case_has_no_handler(agency):
    principal = member(agency, Role.LEADER, LeaderRank.PRINCIPAL)
    DeadlineFactory(case=CaseFactory(agency=agency), due_on=DUE)
    sweep(DUE)
    assert reminders_of(principal) == ["due_day@2025-10-09"]


# --- Hearings -----------------------------------------------------------------------------


def test_it_reminds_a_hearing_5_3_and_1_days_before_to_the_handler_and_the_expected_leader(case, staff, leader):
    HearingFactory(case=case, scheduled_at=at(dt.date(2025, 10, 10), 9), expected_leader=leader)
    for day in range(3, 11):
        sweep(dt.date(2025, 10, day), hour=8)
    expected = ["hearing_5d@2025-10-10T09:00", "hearing_3d@2025-10-10T09:00", "hearing_1d@2025-10-10T09:00"]
    assert reminders_of(staff) == expected
    assert reminders_of(leader) == expected


def test_it_stops_reminding_a_hearing_once_it_has_started(case, staff):
    HearingFactory(case=case, scheduled_at=at(dt.date(2025, 10, 10), 9))
    sweep(dt.date(2025, 10, 10), hour=10)
    assert hearing_reminder_at(dt.date(2025, 10, 10), dt.date(2025, 10, 11)) is None
    assert reminders_of(staff) == []


def test_it_escalates_a_hearing_with_no_leader_arranged_three_days_ahead_once(agency, case, staff):
    principal = member(agency, Role.LEADER, LeaderRank.DEPUTY)
    HearingFactory(case=case, scheduled_at=at(dt.date(2025, 10, 10), 9))
    for day in (6, 7, 8, 9):
        sweep(dt.date(2025, 10, day))
    assert reminders_of(principal) == ["escalation_leader@2025-10-10T09:00"]
    delivery = ReminderDelivery.objects.get(recipient=principal, channel=ReminderChannel.IN_APP)
    assert delivery.hearing_id is not None and delivery.created_at.date() == dt.date(2025, 10, 7)
    assert "尚未安排" in Notification.objects.get(recipient=principal).body


def test_it_does_not_escalate_a_hearing_whose_leader_is_arranged(agency, case, leader):
    HearingFactory(case=case, scheduled_at=at(dt.date(2025, 10, 10), 9), expected_leader=leader)
    sweep(dt.date(2025, 10, 9))
    assert not any(r.startswith("escalation_leader") for r in reminders_of(leader))


# --- Digest ---------------------------------------------------------------------------------


def test_it_sends_one_daily_digest_instead_of_single_reminders(agency, case, deadline, staff, settings):
    staff.membership.wants_digest = True
    staff.membership.save()
    HearingFactory(case=case, scheduled_at=at(dt.date(2025, 10, 11), 9))
    sweep(dt.date(2025, 10, 8), hour=settings.REMINDER_DIGEST_HOUR - 1)
    assert reminders_of(staff) == []  # too early in the day for the digest
    sweep(dt.date(2025, 10, 8), hour=settings.REMINDER_DIGEST_HOUR)
    sweep(dt.date(2025, 10, 8), hour=settings.REMINDER_DIGEST_HOUR + 3)
    sweep(dt.date(2025, 10, 9))
    digests = ReminderDelivery.objects.filter(recipient=staff, channel=ReminderChannel.IN_APP)
    assert list(digests.order_by("id").values_list("reminder", "digest_on")) == [
        ("digest", dt.date(2025, 10, 8)), ("digest", dt.date(2025, 10, 9)),
    ]  # fmt: skip
    body = Notification.objects.filter(recipient=staff).order_by("id").first().body
    assert deadline.title in body and "开庭提醒" in body


# --- Channels and exactly once ---------------------------------------------------------


def test_it_writes_a_row_per_channel_and_sends_each_once(agency, deadline, staff):
    staff.membership.webhook_mention = "13800000000"
    staff.membership.save()
    agency.webhook_url = "http://127.0.0.1:9/robot"
    agency.save()
    with mock.patch.object(notify, "send_webhook") as webhook:
        first = sweep(DUE)
        second = sweep(DUE)
    assert first.as_dict() == {"due": 3, "created": 3, "sent": 3, "failed": 0}
    assert second.as_dict() == {"due": 3, "created": 0, "sent": 0, "failed": 0}
    assert webhook.call_count == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [staff.email]
    assert Notification.objects.filter(recipient=staff).count() == 1


def test_a_failing_webhook_never_blocks_the_email_and_is_retried_then_marked_failed(agency, deadline, staff, settings):
    settings.REMINDER_MAX_ATTEMPTS = 2
    agency.webhook_url = "http://127.0.0.1:9/robot"  # the discard port: nothing listens
    agency.save()
    result = sweep(DUE)
    assert result.sent == 2 and result.failed == 1
    assert len(mail.outbox) == 1
    webhook = ReminderDelivery.objects.get(channel=ReminderChannel.WEBHOOK)
    assert (webhook.status, webhook.attempts) == (DeliveryStatus.PENDING, 1)
    assert "webhook unreachable" in webhook.last_error
    with time_machine.travel(at(DUE, 10), tick=False):  # after the backoff
        assert reminders_sweep().failed == 1
    webhook.refresh_from_db()
    assert (webhook.status, webhook.attempts) == (DeliveryStatus.FAILED, 2)
    with time_machine.travel(at(DUE, 11), tick=False):
        assert reminders_sweep().as_dict()["sent"] == 0


def test_a_claim_is_granted_to_exactly_one_worker(deadline, staff):
    with mock.patch.object(outbox, "deliveries_send_created", return_value=[]):
        sweep(DUE)
    pk = ReminderDelivery.objects.get(channel=ReminderChannel.IN_APP).pk
    assert outbox.delivery_claim(delivery_id=pk, worker="a")
    assert not outbox.delivery_claim(delivery_id=pk, worker="b")
    # The same Celery task redelivered after its worker died takes its claim back at once.
    assert outbox.delivery_claim(delivery_id=pk, worker="a")


def test_a_send_whose_worker_died_is_taken_over_after_the_lease(deadline, staff, settings):
    with mock.patch.object(outbox, "deliveries_send_created", return_value=[]):
        sweep(DUE)
    pk = ReminderDelivery.objects.get(channel=ReminderChannel.IN_APP).pk
    outbox.delivery_claim(delivery_id=pk, worker="dead")
    assert delivery_send(delivery_id=pk, worker="b") == "skipped"
    later = timezone.now() + dt.timedelta(seconds=settings.REMINDER_CLAIM_LEASE + 1)
    with time_machine.travel(later, tick=False):
        assert delivery_send(delivery_id=pk, worker="b") == "sent"
        assert delivery_send(delivery_id=pk, worker="dead") == "skipped"
    assert Notification.objects.filter(delivery_id=pk).count() == 1


def test_a_row_whose_creator_died_before_sending_is_sent_by_a_later_sweep(deadline, staff, settings):
    with mock.patch.object(outbox, "deliveries_send_created", return_value=[]):
        sweep(DUE)
    assert ReminderDelivery.objects.filter(status=DeliveryStatus.PENDING).count() == 2
    assert sweep(DUE).sent == 0  # still the creator's window
    with time_machine.travel(at(DUE) + dt.timedelta(seconds=settings.REMINDER_CLAIM_LEASE + 1), tick=False):
        assert reminders_sweep().as_dict() == {"due": 2, "created": 0, "sent": 2, "failed": 0}


def test_two_sweeps_create_and_send_each_reminder_once(deadline, staff):
    results = [sweep(DUE), sweep(DUE, hour=10)]
    assert [r.created for r in results] == [2, 0]
    assert ReminderDelivery.objects.count() == 2
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1


def test_the_beat_sweep_queues_in_app_rows_in_batches_and_each_external_row_after_commit(
    deadline, staff, django_capture_on_commit_callbacks
):
    with mock.patch("cases.tasks.reminder_send.delay") as delay, mock.patch(
        "cases.tasks.reminder_send_batch.delay"
    ) as delay_batch:
        with django_capture_on_commit_callbacks(execute=True), time_machine.travel(at(DUE), tick=False):
            first = reminders_sweep_and_enqueue()
            second = reminders_sweep_and_enqueue()
    assert (first.created, second.created) == (2, 0)
    rows = dict(ReminderDelivery.objects.values_list("channel", "id"))
    assert [call.args[0] for call in delay_batch.call_args_list] == [[rows[ReminderChannel.IN_APP]]]
    assert [call.args[0] for call in delay.call_args_list] == [rows[ReminderChannel.EMAIL]]


def test_seventy_in_app_reminders_are_three_broker_messages_with_batches_of_thirty(
    agency, settings, django_capture_on_commit_callbacks
):
    from cases import tasks

    settings.REMINDER_IN_APP_BATCH = 30
    for _ in range(70):
        case = CaseFactory(agency=agency)
        case.handlers.add(member(agency, Role.STAFF, email=""))
        DeadlineFactory(case=case, due_on=DUE)
    with mock.patch("cases.tasks.reminder_send_batch.delay") as delay_batch:
        with django_capture_on_commit_callbacks(execute=True), time_machine.travel(at(DUE), tick=False):
            assert reminders_sweep_and_enqueue().created == 70
    assert [len(call.args[0]) for call in delay_batch.call_args_list] == [30, 30, 10]
    with time_machine.travel(at(DUE), tick=False):
        results = [tasks.reminder_send_batch.apply(args=[call.args[0]]).get() for call in delay_batch.call_args_list]
        again = tasks.reminder_send_batch.apply(args=[delay_batch.call_args_list[0].args[0]]).get()
    assert [r["sent"] for r in results] == [30, 30, 10]
    assert again == {}  # a redelivered batch finds its rows sent and claims none
    assert Notification.objects.count() == 70


def test_an_in_app_notification_carries_its_delivery_words_link_recipient_and_case(agency, case, deadline):
    HearingFactory(case=case, scheduled_at=at(DUE + dt.timedelta(days=1)))
    assert sweep(DUE).sent >= 2
    notes = Notification.objects.select_related("delivery").order_by("id")
    assert {n.delivery.reminder.split("@")[0] for n in notes} == {"due_day", "hearing_1d"}
    for note in notes:
        row = note.delivery
        assert (note.recipient_id, note.title, note.body, note.url) == (row.recipient_id, row.title, row.body, row.url)
        assert (note.case_id, note.deadline_id, note.hearing_id) == (case.pk, row.deadline_id, row.hearing_id)
        assert note.read_at is None and note.created_at is not None


def test_the_send_task_retries_with_backoff_then_marks_the_row_failed(agency, deadline, staff, settings):
    from cases import tasks

    settings.REMINDER_MAX_ATTEMPTS = 3
    agency.webhook_url = "http://127.0.0.1:9/robot"
    agency.save()
    with mock.patch("cases.tasks.reminder_send.delay"), time_machine.travel(at(DUE), tick=False):
        reminders_sweep_and_enqueue()
    webhook = ReminderDelivery.objects.get(channel=ReminderChannel.WEBHOOK)
    tasks.reminder_send.apply(args=[webhook.pk])  # eager: retries run at once
    webhook.refresh_from_db()
    assert (webhook.status, webhook.attempts) == (DeliveryStatus.FAILED, 3)
    assert webhook.last_error.startswith("ChannelError")


def test_the_sweep_reads_what_is_due_in_four_queries_whatever_the_number_due(agency, django_assert_num_queries):
    def make(n: int) -> None:
        for _ in range(n):
            case = CaseFactory(agency=agency)
            case.handlers.add(member(agency, Role.STAFF))
            DeadlineFactory(case=case, due_on=DUE)
            HearingFactory(case=case, scheduled_at=at(DUE + dt.timedelta(days=2)))

    make(1)
    workday_calendar()
    with time_machine.travel(at(DUE), tick=False):
        # The calendar's fingerprint, the due deadlines, the hearings and the empty evidence lists
        # (issue 13): keys only, as tuples; recipients are resolved in the outbox's INSERT and
        # the words at the first send.
        with django_assert_num_queries(4):
            # due_day, hearing_3d and escalation_leader (no leader arranged) for each case
            assert len(reminders_due(now=timezone.now())) == 3
        make(9)
        with django_assert_num_queries(4):
            assert len(reminders_due(now=timezone.now())) == 30


# --- Webhook format ------------------------------------------------------------------------


class _Robot(BaseHTTPRequestHandler):
    answers: list[tuple[int, bytes]] = []
    received: list[dict] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        self.received.append(json.loads(self.rfile.read(length)))
        code, body = self.answers.pop(0)
        self.send_response(code)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def robot():
    server = HTTPServer(("127.0.0.1", 0), _Robot)
    _Robot.answers, _Robot.received = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, _Robot
    server.shutdown()


def _webhook_delivery(agency, staff, url):
    agency.webhook_url = url
    agency.save()
    staff.membership.webhook_mention = "13800000000"
    staff.membership.save()
    return ReminderDelivery(
        agency=agency, recipient=staff, channel=ReminderChannel.WEBHOOK, reminder="due_day", title="T", body="B"
    )


def test_it_posts_wecom_json_mentioning_the_recipient(agency, staff, robot):
    server, handler = robot
    handler.answers.append((200, b'{"errcode":0,"errmsg":"ok"}'))
    notify.send_webhook(_webhook_delivery(agency, staff, f"http://127.0.0.1:{server.server_port}/send?key=k"))
    assert handler.received == [
        {"msgtype": "text", "text": {"content": "T\nB", "mentioned_mobile_list": ["13800000000"]}}
    ]


def test_it_formats_dingtalk_messages_for_a_dingtalk_robot(agency, staff):
    delivery = _webhook_delivery(agency, staff, "https://oapi.dingtalk.com/robot/send?access_token=x")
    assert notify.webhook_payload(delivery)["at"] == {"atMobiles": ["13800000000"]}


@pytest.mark.parametrize(
    ("answer", "error"),
    [((500, b"oops"), "HTTP 500"), ((200, b'{"errcode":93000,"errmsg":"invalid webhook url"}'), "errcode 93000")],
)
def test_it_fails_a_webhook_that_answers_an_error(agency, staff, robot, answer, error):
    server, handler = robot
    handler.answers.append(answer)
    with pytest.raises(notify.ChannelError, match=error):
        notify.send_webhook(_webhook_delivery(agency, staff, f"http://127.0.0.1:{server.server_port}/"))


def test_it_refuses_a_webhook_url_that_is_not_http(agency, staff):
    with pytest.raises(notify.ChannelError, match="http"):
        notify.send_webhook(_webhook_delivery(agency, staff, "ftp://127.0.0.1/robot"))


# --- Admin ---------------------------------------------------------------------------------------


def test_the_admin_lists_failed_deliveries_with_their_error_and_can_send_them_again(
    agency, deadline, staff, client, settings
):
    settings.REMINDER_MAX_ATTEMPTS = 1
    agency.webhook_url = "http://127.0.0.1:9/robot"
    agency.save()
    sweep(DUE)
    root = member(agency, Role.ADMIN, username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    page = client.get("/admin/cases/reminderdelivery/", {"status__exact": "failed"})
    assert page.status_code == 200 and "webhook unreachable" in page.content.decode()
    failed = ReminderDelivery.objects.get(status=DeliveryStatus.FAILED)
    client.post("/admin/cases/reminderdelivery/", {"action": "send_again", "_selected_action": [failed.pk]})
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (DeliveryStatus.PENDING, 0)


def test_the_admin_shows_notifications_to_administrators_only(agency, staff, other_staff, client):
    Notification.objects.create(recipient=staff, title="梧州的提醒")
    Notification.objects.create(recipient=other_staff, title="贺州的提醒")
    boss = member(agency, Role.LEADER, username="boss", is_staff=True)
    boss.user_permissions.add(Permission.objects.get(codename="view_notification"))
    client.force_login(boss)
    assert client.get("/admin/cases/notification/").status_code == 403
