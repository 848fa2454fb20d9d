"""Fixtures of the integration tests: the environment of the processes they start
(the test database, a Redis broker) and real `celery worker` processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from urllib.parse import quote

import pytest
from django.db import connection

from tests.integration.harness import ROOT, wait_for

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _skip_reason(broker_url: str) -> str | None:
    if connection.vendor != "postgresql":
        return "needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/casetracker"
    try:
        import redis

        redis.Redis.from_url(broker_url, socket_connect_timeout=2).ping()
    except Exception as exc:  # any failure to reach Redis means: skip, saying why
        return f"needs Redis at {broker_url}: {exc}"
    return None


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def broker_url() -> str:
    """The Redis the workers use; a test that restarts Redis brings its own."""
    return REDIS_URL


@pytest.fixture
def world(transactional_db, tmp_path, broker_url) -> dict[str, str]:
    """The environment of every process these tests start: the test database, the test Redis."""
    reason = _skip_reason(broker_url)
    if reason:
        pytest.skip(reason)
    db = connection.settings_dict
    auth = quote(db["USER"] or "postgres") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    database_url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "TEST_CELERY_QUEUE": f"reminders-test-{uuid.uuid4().hex}",
        "CELERY_VISIBILITY_TIMEOUT": "6",
        "VAR_DIR": str(tmp_path / "var"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "REMINDER_RETRY_BACKOFF": "1",
        "REMINDER_MAX_ATTEMPTS": "3",
        "REMINDER_WEBHOOK_TIMEOUT": "2",
        "REMINDER_TEST_GATE": str(tmp_path / "gate"),
        "LOG_LEVEL": "WARNING",
    }


@pytest.fixture
def workers(world, tmp_path) -> Iterator[Callable[[], subprocess.Popen]]:
    """Start `celery worker` processes (each in its own process group); all are killed at the end."""
    started: list[subprocess.Popen] = []

    def start() -> subprocess.Popen:
        log = tmp_path / f"worker{len(started)}.log"
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "tests.integration.celery_app", "worker", "-l", "INFO",
             "-c", "2", "-n", f"w{len(started)}-{os.getpid()}@%h", "--without-gossip", "--without-mingle",
             "--without-heartbeat"],
            cwd=ROOT, env=world, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        started.append(proc)
        wait_for(lambda: " ready." in log.read_text() or proc.poll() is not None, "the worker to start")
        assert proc.poll() is None, log.read_text()
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
