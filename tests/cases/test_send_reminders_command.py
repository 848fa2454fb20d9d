"""`manage.py send_reminders [--now ISO-DATETIME]`: one sweep, a JSON line last."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cases.models import Notification, ReminderDelivery
from tests.factories import CaseFactory, DeadlineFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run(*args: str) -> tuple[dict, list[str]]:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    lines = out.getvalue().strip().splitlines()
    return json.loads(lines[-1]), lines


def test_it_prints_the_counts_as_one_json_line_last(agency, staff):
    case = CaseFactory(agency=agency)
    case.handlers.add(staff)
    DeadlineFactory(case=case, due_on=dt.date(2025, 10, 9))
    result, lines = run("--now", "2025-10-09T09:00+08:00")
    assert result == {"due": 2, "created": 2, "sent": 2, "failed": 0}
    assert list(result) == ["due", "created", "sent", "failed"]
    assert Notification.objects.get(recipient=staff).title.startswith("【期限今日届满】")


def test_a_second_run_creates_and_sends_nothing(agency, staff):
    case = CaseFactory(agency=agency)
    case.handlers.add(staff)
    DeadlineFactory(case=case, due_on=dt.date(2025, 10, 9))
    run("--now", "2025-10-09T09:00")
    result, _ = run("--now", "2025-10-09T15:00")
    assert result == {"due": 2, "created": 0, "sent": 0, "failed": 0}


def test_it_reads_a_time_without_offset_as_local_time(agency, staff):
    case = CaseFactory(agency=agency)
    case.handlers.add(staff)
    DeadlineFactory(case=case, due_on=dt.date(2025, 10, 9))
    result, _ = run("--now", "2025-10-08T23:30")  # 15:30 UTC: still the 8th in Shanghai
    assert ReminderDelivery.objects.filter(reminder="lead_1d@2025-10-09").count() == result["created"] == 2


def test_it_runs_with_nothing_due(db):
    assert run()[0] == {"due": 0, "created": 0, "sent": 0, "failed": 0}


@pytest.mark.parametrize("value", ["yesterday", "2025-13-01T09:00", "1999-01-01T00:00", ""])
def test_it_rejects_a_bad_now_with_one_line_and_writes_nothing(db, value):
    with pytest.raises(CommandError) as error:
        call_command("send_reminders", "--now", value)
    assert "\n" not in str(error.value) and "--now" in str(error.value)
    assert ReminderDelivery.objects.count() == 0


@pytest.mark.slow
def test_two_runs_at_once_on_sqlite_create_each_reminder_once(tmp_path):
    """The embedded default: SQLite (WAL, IMMEDIATE transactions) and the filesystem broker."""
    env = {**os.environ, "VAR_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "TEST_SQLITE_NAME"):
        env.pop(name, None)
    helper = [sys.executable, "-m", "tests.integration.reminder_world"]
    subprocess.run([*helper, "schema"], cwd=ROOT, env=env, check=True, timeout=120)
    subprocess.run([*helper, "seed", "120"], cwd=ROOT, env=env, check=True, timeout=120)
    command = [sys.executable, "manage.py", "send_reminders"]
    procs = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    outputs = [proc.communicate(timeout=180) for proc in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert "database is locked" not in err
    results = [json.loads(out.strip().splitlines()[-1]) for out, _err in outputs]
    # 120 handlers x (email + in-app): created once in all, sent once in all.
    assert sum(r["created"] for r in results) == 240
    assert sum(r["sent"] for r in results) == 240
    assert all(r["due"] == 240 and r["failed"] == 0 for r in results)
    count = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c",
         "from cases.models import Notification, ReminderDelivery as R;"
         "print(R.objects.count(), R.objects.filter(status='sent').count(), Notification.objects.count())"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=60,
    ).stdout.split()  # fmt: skip
    assert count == ["240", "240", "120"]
