"""The project's Celery app, tuned for the integration tests' worker processes.

Redis puts an unacknowledged message back on the queue after the visibility
timeout (CELERY_VISIBILITY_TIMEOUT, a few seconds in the tests); by default the
worker looks for such messages only every ~100 s. The kill test needs it now.
Processes that queue tasks import this module too, to use the test's queue.
"""

from __future__ import annotations

import os
from types import SimpleNamespace

from celery.signals import worker_process_init

from config.celery import app

app.conf.broker_transport_options = {
    **(app.conf.broker_transport_options or {}),
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}


@worker_process_init.connect
def _hold_sends_at_the_gate(**kwargs: object) -> None:
    """Each send first waits at $REMINDER_TEST_GATE (the kill test holds a worker mid-send).

    Wrapped here, in the test's worker, so the production send path carries no test hook.
    """
    from cases import notify
    from tests.integration.reminder_world import block_on_gate

    for name in ("send_in_app", "send_external"):
        send = getattr(notify, name)

        def gated(delivery: object, _send: object = send) -> object:
            block_on_gate(delivery)
            return _send(delivery)  # type: ignore[operator]

        setattr(notify, name, gated)

    bulk = notify.send_in_app_bulk

    def gated_bulk(delivery_ids: list[int], _send: object = bulk) -> object:
        if delivery_ids:  # a batch of in-app rows waits once, named by its first row
            block_on_gate(SimpleNamespace(pk=delivery_ids[0]))
        return _send(delivery_ids)  # type: ignore[operator]

    notify.send_in_app_bulk = gated_bulk  # type: ignore[assignment]


# One queue per test, so tests running in parallel (pytest -n) never take each
# other's tasks, which name rows of another test database.
app.conf.task_default_queue = os.environ.get("TEST_CELERY_QUEUE", "celery")

__all__ = ["app"]
