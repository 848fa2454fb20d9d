"""What the integration tests share: waiting, running project code in a child process,
and watching the broker's queue drain (not a test module; fixtures are in conftest.py)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WAIT = 90  # seconds any one thing may take before the test gives up


def wait_for(condition: Callable[[], bool], what: str, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def run_python(world: dict[str, str], code: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", f"import django; django.setup(); import tests.integration.celery_app; {code}"],
        cwd=ROOT, env=world, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def queue_drained(world: dict[str, str]) -> Callable[[], bool]:
    """True once the test's queue holds no message, waiting or taken but unacknowledged.

    Kombu keeps a queue as a Redis list per priority (``<queue>`` and ``<queue>\\x06\\x16<n>``)
    and the messages workers hold in the ``unacked`` hash until they acknowledge them.
    """
    import redis

    client = redis.Redis.from_url(world["CELERY_BROKER_URL"], socket_connect_timeout=2)
    queue = world["TEST_CELERY_QUEUE"]

    def drained() -> bool:
        try:
            waiting = sum(client.llen(key) for key in client.scan_iter(match=f"{queue}*"))
            held = sum(1 for raw in client.hvals("unacked") if queue.encode() in raw)
        except redis.RedisError:
            return False  # the broker is restarting: not drained yet
        return waiting == 0 and held == 0

    return drained
