"""System checks for settings whose rules live in docs/reminders.md (the lease rule)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Warning, register

# The send task's hard time limit (cases/tasks.py, reminder_send): a live send lasts at most this.
SEND_TASK_TIME_LIMIT = 90


@register()
def reminder_timeouts_fit_the_lease(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """Each send must end (its timeout) well inside the lease, or a live send could be taken over."""
    lease = settings.REMINDER_CLAIM_LEASE
    problems = []
    for name in ("EMAIL_TIMEOUT", "REMINDER_WEBHOOK_TIMEOUT"):
        value = getattr(settings, name, None)
        if not value or value >= lease / 2:
            problems.append(Warning(
                f"{name} is {value!r}; it must be set and below half of REMINDER_CLAIM_LEASE ({lease} s).",
                hint="A send with no timeout, or one as long as the lease, lets a second sweep take it over "
                     "and send it again (docs/reminders.md, the lease rule).",
                id="reminders.W001",
            ))  # fmt: skip
    if lease <= SEND_TASK_TIME_LIMIT:
        problems.append(Warning(
            f"REMINDER_CLAIM_LEASE ({lease} s) must exceed the send task's {SEND_TASK_TIME_LIMIT} s time limit.",
            id="reminders.W002",
        ))  # fmt: skip
    return problems
