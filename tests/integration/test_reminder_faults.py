"""The fault test of issue 12: reminders on PostgreSQL + Redis + real workers that keep dying.

300 deadlines due today, each with two handlers, on three channels (1,800 deliveries);
a stand-in beat queues a sweep every few seconds; the worker is SIGKILLed at least five
times while it is sending and the test's own Redis is killed and started again once
(messages in flight are lost with it). At the end, counted on the far side:
in-app exactly once per reminder, e-mail and webhook at least once and never more
than twice, and no row left pending, sending or failed.

Needs DATABASE_URL=postgres://... and the `redis-server` binary (the test starts its
own Redis on a free port, so restarting it disturbs nobody else's).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import timezone

from cases.models import Notification, ReminderDelivery
from cases.models.reminders import DeliveryStatus, ReminderChannel
from tests.factories import CaseFactory, DeadlineFactory, member
from tests.integration.harness import ROOT, queue_drained, wait_for
from tests.integration.sinks import RobotSink, SmtpSink

pytestmark = [pytest.mark.integration, pytest.mark.slow]

DEADLINES = 300
KILLS = 5


class OwnRedis:
    """A throwaway redis-server (no persistence: a restart loses every message, like a crash)."""

    def __init__(self, workdir: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.workdir = workdir
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir), "--logfile", str(self.workdir / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_for(self._answers, "redis-server to start")

    def _answers(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=1).ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture
def own_redis(tmp_path) -> Iterator[OwnRedis]:
    if not shutil.which("redis-server"):
        pytest.skip("needs the redis-server binary to start (and restart) its own Redis")
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def broker_url(own_redis) -> str:
    return own_redis.url


@pytest.fixture
def sinks() -> Iterator[tuple[SmtpSink, RobotSink]]:
    smtp, robot = SmtpSink(), RobotSink()
    yield smtp, robot
    smtp.shutdown()
    robot.shutdown()


@pytest.fixture
def fault_world(world, sinks) -> dict[str, str]:
    smtp, _robot = sinks
    world.update(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(smtp.port), EMAIL_TIMEOUT="5",
        REMINDER_TEST_SEND_SECONDS="0.01",
        # Longer than a sweep takes on a busy machine (a sweep redelivered while it still
        # runs would run forever), short enough for the test to see messages restored.
        CELERY_VISIBILITY_TIMEOUT="30",
        # Rows whose messages Redis lost are taken over by a sweep after this.
        REMINDER_CLAIM_LEASE="30",
        REMINDER_MAX_ATTEMPTS="5",
    )  # fmt: skip
    return world


def _seed(agency, robot: RobotSink) -> None:
    agency.webhook_url = robot.url
    agency.save()
    handlers = [member(agency, username=f"handler{i}", email=f"handler{i}@example.invalid") for i in range(2)]
    for i, user in enumerate(handlers):
        user.membership.webhook_mention = f"1380000000{i}"
        user.membership.save()
    today = timezone.localdate()
    for _ in range(DEADLINES):
        case = CaseFactory(agency=agency)
        case.handlers.add(*handlers)
        DeadlineFactory(case=case, due_on=today)


def _count(status: str) -> int:
    return ReminderDelivery.objects.filter(status=status).count()


def _start_beat(world: dict[str, str], tmp_path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.integration.reminder_world", "beat", "10"],
        cwd=ROOT, env=world, stdout=subprocess.DEVNULL, stderr=(tmp_path / "beat.log").open("w"),
        start_new_session=True,
    )  # fmt: skip


def test_reminders_survive_killed_workers_and_a_redis_restart(fault_world, workers, agency, own_redis, sinks,
                                                              tmp_path, capsys):  # fmt: skip
    smtp, robot = sinks
    _seed(agency, robot)
    total = DEADLINES * 2 * 3
    worker = workers()
    beat = _start_beat(fault_world, tmp_path)
    kills_mid_send = 0
    try:
        for kill in range(1, KILLS + 1):
            wait_for(lambda k=kill: _count(DeliveryStatus.SENT) >= k * total // (KILLS + 2), "sends to progress", 300)
            wait_for(lambda: _count(DeliveryStatus.SENDING) > 0, "a send in progress")
            os.killpg(worker.pid, signal.SIGKILL)  # the worker and its children, messages unacknowledged
            worker.wait(timeout=30)
            kills_mid_send += 1
            if kill == 3:
                own_redis.restart()  # every queued and unacknowledged message is gone
            worker = workers()
        wait_for(lambda: _count(DeliveryStatus.SENT) == total, f"all {total} deliveries sent", 600)
    finally:
        os.killpg(beat.pid, signal.SIGKILL)
        beat.wait(timeout=30)
    wait_for(queue_drained(fault_world), "the queue to drain", 300)

    rows = ReminderDelivery.objects
    in_app = Counter(Notification.objects.values_list("delivery_id", flat=True))
    emails, posts = smtp.received, robot.received
    counts = {
        "deliveries": rows.count(),
        "by_status": dict(Counter(rows.values_list("status", flat=True))),
        "worker_kills_mid_send": kills_mid_send,
        "redis_restarts": 1,
        "in_app_notifications": sum(in_app.values()),
        "emails_received": sum(emails.values()), "email_keys": len(emails),
        "email_keys_twice": sum(1 for n in emails.values() if n == 2),
        "webhook_posts_received": sum(posts.values()), "webhook_keys": len(posts),
        "webhook_keys_twice": sum(1 for n in posts.values() if n == 2),
        "max_attempts_of_a_row": max(rows.values_list("attempts", flat=True)),
    }  # fmt: skip
    with capsys.disabled():
        print(f"\nreminder fault test: {counts}")

    assert kills_mid_send >= 5
    assert counts["deliveries"] == total
    assert counts["by_status"] == {DeliveryStatus.SENT: total}  # nothing pending, sending or failed
    in_app_rows = set(rows.filter(channel=ReminderChannel.IN_APP).values_list("id", flat=True))
    assert set(in_app) == in_app_rows and set(in_app.values()) == {1}  # exactly once per key
    assert len(emails) == len(posts) == DEADLINES * 2  # at least once per key
    assert max(emails.values()) <= 2 and max(posts.values()) <= 2  # never more than twice
