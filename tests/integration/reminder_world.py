"""Helpers for the reminder tests that run real processes (not a test module).

    python -m tests.integration.reminder_world schema   # build the tables from the models
    python -m tests.integration.reminder_world seed N   # N cases, each with a deadline due today
    python -m tests.integration.reminder_world beat S   # queue a sweep every S seconds, like beat, forever

They run with the environment of the calling test (VAR_DIR / DATABASE_URL), so
the worker and command processes see the same database. ``block_on_gate`` is what
the kill test's workers run before each send (tests/integration/celery_app.py) to hold it open.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any


def block_on_gate(delivery: Any) -> None:
    """While the file $REMINDER_TEST_GATE exists, announce the send and wait (a worker mid-send).

    Every send also takes $REMINDER_TEST_SEND_SECONDS, so a worker killed at random
    (the fault test) is most likely mid-send.
    """
    time.sleep(float(os.environ.get("REMINDER_TEST_SEND_SECONDS", "0")))
    gate = os.environ.get("REMINDER_TEST_GATE")
    if not gate:
        return
    Path(f"{gate}.entered").write_text(str(delivery.pk))
    while Path(gate).exists():
        time.sleep(0.05)


def beat(every: float) -> None:
    """A stand-in for `celery beat` with a short period; it outlives a Redis restart."""
    import tests.integration.celery_app  # noqa: F401  (the test's queue)
    from cases.tasks import reminders_sweep

    while True:
        try:
            reminders_sweep.delay()
        except Exception as exc:  # the broker is down for a moment: queue the next one later
            print(f"beat: could not queue a sweep: {exc}", file=sys.stderr, flush=True)
        time.sleep(every)


def build_schema() -> None:
    from django.apps import apps
    from django.conf import settings
    from django.core.management import call_command

    # Like pytest-django's --nomigrations: tables straight from the models, so the
    # test does not depend on migrations the lead regenerates.
    settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}
    call_command("migrate", run_syncdb=True, verbosity=0)


def seed(count: int) -> None:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from cases.choices import Role
    from tests.factories import AgencyFactory, CaseFactory, DeadlineFactory, MembershipFactory

    agency = AgencyFactory(code="wuzhou-hrss")
    today = timezone.localdate()
    for n in range(count):
        # No password hashing: the helper must be quick, these users never log in.
        user = get_user_model().objects.create(username=f"handler{n}", email=f"handler{n}@example.invalid")
        MembershipFactory(user=user, agency=agency, role=Role.STAFF)
        case = CaseFactory(agency=agency)
        case.handlers.add(user)
        DeadlineFactory(case=case, due_on=today)


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    if sys.argv[1] == "schema":
        build_schema()
    elif sys.argv[1] == "seed":
        seed(int(sys.argv[2]))
    elif sys.argv[1] == "beat":
        beat(float(sys.argv[2]))
    else:
        raise SystemExit(f"unknown command {sys.argv[1]!r}")
