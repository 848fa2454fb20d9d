"""Reminders end to end: PostgreSQL, a real Redis broker and real `celery worker` processes.

Needs DATABASE_URL=postgres://... (CI sets it) and Redis at TEST_REDIS_URL
(default redis://127.0.0.1:6379/15; each test uses its own queue there). The fixtures
(``world``, ``workers``) are in conftest.py. The worker
processes use the test database pytest-django created: the tests run with
``transactional_db`` so every row they write is committed and visible to them.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from django.utils import timezone

from cases.models import Notification, ReminderDelivery
from cases.models.reminders import DeliveryStatus, ReminderChannel
from tests.factories import CaseFactory, DeadlineFactory, HearingFactory, member
from tests.integration.harness import WAIT, queue_drained, run_python, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _queue_sweeps(world: dict[str, str], n: int) -> None:
    """Queue ``n`` beat sweeps on the broker, as beat would."""
    code = "from cases.tasks import reminders_sweep; " + "; ".join(["reminders_sweep.delay()"] * n)
    out, err = run_python(world, code).communicate(timeout=WAIT)
    assert not err.strip() or "Error" not in err, err


def _sent(n: int) -> Callable[[], bool]:
    return lambda: ReminderDelivery.objects.filter(status=DeliveryStatus.SENT).count() >= n


def _seed(agency, handlers: int, *, email: bool = True) -> None:
    today = timezone.localdate()
    for i in range(handlers):
        user = member(agency, username=f"h{i}", email=f"h{i}@example.invalid" if email else "")
        case = CaseFactory(agency=agency)
        case.handlers.add(user)
        DeadlineFactory(case=case, due_on=today)
        HearingFactory(case=case, scheduled_at=timezone.now() + dt.timedelta(days=1))


def test_two_sweeps_at_once_create_and_send_each_reminder_once(world, workers, agency):
    _seed(agency, 15)  # 15 x (deadline + hearing) x (email + in-app) = 60 rows
    workers()
    _queue_sweeps(world, 2)
    wait_for(_sent(60), "60 deliveries sent")
    wait_for(queue_drained(world), "the queue to drain")  # anything extra would show up by now
    assert ReminderDelivery.objects.count() == 60
    assert ReminderDelivery.objects.filter(status=DeliveryStatus.SENT).count() == 60
    assert Notification.objects.count() == 30
    assert set(ReminderDelivery.objects.values_list("attempts", flat=True)) == {1}


def test_sweeps_from_two_processes_like_a_second_beat_create_no_duplicates(world, workers, agency):
    _seed(agency, 15)
    workers()
    code = "from cases.tasks import reminders_sweep; print(reminders_sweep())"
    procs = [run_python(world, code) for _ in range(2)]
    outputs = [proc.communicate(timeout=WAIT) for proc in procs]
    assert all(proc.returncode == 0 for proc in procs), outputs
    wait_for(_sent(60), "60 deliveries sent")
    wait_for(queue_drained(world), "the queue to drain")
    assert ReminderDelivery.objects.count() == 60
    assert Notification.objects.count() == 30


def test_a_worker_killed_mid_send_delivers_the_reminder_once_after_restart(world, workers, agency):
    _seed(agency, 1, email=False)  # one deadline and one hearing reminder, in-app only
    gate = Path(world["REMINDER_TEST_GATE"])
    gate.touch()
    first = workers()
    _queue_sweeps(world, 1)
    wait_for(lambda: Path(f"{gate}.entered").exists(), "a send to start")
    held = int(Path(f"{gate}.entered").read_text())
    os.killpg(first.pid, signal.SIGKILL)  # the whole worker, mid-send, message not acknowledged
    first.wait(timeout=30)
    row = ReminderDelivery.objects.get(pk=held)
    assert row.status == DeliveryStatus.SENDING and row.claimed_by.startswith("task:")
    assert not Notification.objects.filter(delivery_id=held).exists()
    gate.unlink()
    workers()  # Redis hands the unacknowledged message to the new worker
    wait_for(_sent(2), "both deliveries sent after the restart")
    wait_for(queue_drained(world), "the queue to drain")
    row.refresh_from_db()
    assert (row.status, row.attempts) == (DeliveryStatus.SENT, 2)
    assert Notification.objects.filter(delivery_id=held).count() == 1
    assert Notification.objects.count() == 2


class _Down(BaseHTTPRequestHandler):
    hits = 0

    def do_POST(self) -> None:
        type(self).hits += 1
        self.send_response(500)
        self.end_headers()
        self.wfile.write(b"robot is down")

    def log_message(self, *args: object) -> None:
        pass


def test_a_webhook_that_is_down_is_retried_then_marked_failed_and_shown_in_the_admin(world, workers, agency, client):
    server = HTTPServer(("127.0.0.1", 0), _Down)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        agency.webhook_url = f"http://127.0.0.1:{server.server_port}/cgi-bin/webhook/send?key=test"
        agency.save()
        _seed(agency, 1)
        workers()
        _queue_sweeps(world, 1)
        failed = ReminderDelivery.objects.filter(channel=ReminderChannel.WEBHOOK, status=DeliveryStatus.FAILED)
        wait_for(lambda: failed.count() == 2, "both webhook deliveries to fail")
    finally:
        server.shutdown()
    assert _Down.hits == 6  # 2 webhook deliveries x REMINDER_MAX_ATTEMPTS=3
    assert {row.attempts for row in failed} == {3}
    assert all("HTTP 500" in row.last_error for row in failed)
    # The failing webhook never held up the other channels.
    others = ReminderDelivery.objects.exclude(channel=ReminderChannel.WEBHOOK)
    assert set(others.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    admin = member(agency, "admin", username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    page = client.get("/admin/cases/reminderdelivery/", {"status__exact": "failed"})
    assert page.status_code == 200
    assert page.content.decode().count("webhook answered HTTP 500") == 2
