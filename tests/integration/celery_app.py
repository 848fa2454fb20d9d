"""The project's Celery app, tuned for the integration tests' worker processes.

Redis puts an unacknowledged message back on the queue after the visibility
timeout (CELERY_VISIBILITY_TIMEOUT, a few seconds in the tests); by default the
worker looks for such messages only every ~100 s. The kill test needs it now.
Processes that queue tasks import this module too, to use the test's queue.
"""

from __future__ import annotations

import os

from config.celery import app

app.conf.broker_transport_options = {
    **(app.conf.broker_transport_options or {}),
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}

# One queue per test, so tests running in parallel (pytest -n) never take each
# other's tasks, which name rows of another test database.
app.conf.task_default_queue = os.environ.get("TEST_CELERY_QUEUE", "celery")

__all__ = ["app"]
