"""Celery tasks: thin wrappers that take ids and call services.

Every task is idempotent (a redelivered message finds the work already done),
acknowledged late (a worker killed mid-task leaves the message to be redelivered)
and time-limited. No task is ever scheduled with a countdown or ETA longer than
the broker's visibility timeout: retries back off at most half of it
(cases.services.reminder_outbox.backoff_cap; docs/reminders.md).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils.dateparse import parse_datetime

from cases.services import reminders
from cases.services.reminder_outbox import DeliveryOutcome, backoff_cap, retry_delay, timeout_retry_delay


class DeliveryRetry(Exception):
    """A send failed and the delivery row has tries left: Celery retries with backoff."""


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def reminders_sweep(now: str | None = None) -> dict[str, int]:
    """Write the due reminders' delivery rows once and queue their sends (beat, every 5 min)."""
    moment = parse_datetime(now) if now else None
    return reminders.reminders_sweep_and_enqueue(now=moment).as_dict()


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(DeliveryRetry,),
    retry_backoff=settings.REMINDER_RETRY_BACKOFF,
    retry_backoff_max=backoff_cap(),
    retry_jitter=False,  # keeps the countdown equal to the row's next_attempt_at
    max_retries=settings.REMINDER_MAX_ATTEMPTS,
    soft_time_limit=60,
    time_limit=90,  # below REMINDER_CLAIM_LEASE, so a live send is never taken over
)
def reminder_send(self: Any, delivery_id: int) -> str:
    """Claim and send one delivery row; the row, not the message, says whether it was sent."""
    # The task id is the claim: the same message redelivered after its worker was
    # killed may take its own claim back at once instead of waiting for the lease.
    try:
        outcome = reminders.delivery_send(delivery_id=delivery_id, worker=f"task:{self.request.id}")
    except (OperationalError, InterfaceError) as exc:
        # A database blip (restart, failover): try again soon rather than leave the row
        # claimed until the lease runs out. Same task id, so the claim is still ours; the
        # broken connection is closed by Celery's Django fixup before the retry runs.
        raise self.retry(exc=exc, countdown=retry_delay(self.request.retries + 1)) from exc
    if outcome == DeliveryOutcome.RETRY:
        raise DeliveryRetry(f"delivery {delivery_id} failed; will retry")
    if outcome == DeliveryOutcome.UNKNOWN:
        # Timed out: it may have arrived. One more try, after the row's own delay.
        raise self.retry(countdown=timeout_retry_delay())
    return outcome


@shared_task(bind=True, acks_late=True, soft_time_limit=60, time_limit=90)
def reminder_send_batch(self: Any, delivery_ids: list[int]) -> dict[str, int]:
    """Claim and send a batch of in-app rows in bulk (a few queries for the whole batch).

    Same claim as ``reminder_send`` (the task id), so a redelivered message takes its
    own rows back. A row that fails is back to pending with its backoff and is taken
    over by the next sweep; a database blip retries the whole batch.
    """
    try:
        outcomes = reminders.deliveries_send_batch(delivery_ids=delivery_ids, worker=f"task:{self.request.id}")
    except (OperationalError, InterfaceError) as exc:
        raise self.retry(exc=exc, countdown=retry_delay(self.request.retries + 1)) from exc
    return dict(Counter(outcomes))


# --- Yearly statistics (issue 5, docs/statistics.md) ----------------------------------------


@shared_task(
    acks_late=True, autoretry_for=(OperationalError,), retry_backoff=60, retry_backoff_max=backoff_cap(),
    max_retries=5, soft_time_limit=240, time_limit=300,
)
def yearly_reports_generate(year: int | None = None) -> int:
    """1 January, 00:30 Beijing time: freeze last year's report for every agency (idempotent)."""
    from cases.services import reports as yearly

    year = year or yearly.local_today().year - 1
    return len(yearly.yearly_reports_generate_year_end(year=year))


@shared_task(
    acks_late=True, autoretry_for=(OperationalError,), retry_backoff=60, retry_backoff_max=backoff_cap(),
    max_retries=5, soft_time_limit=240, time_limit=300,
)
def yearly_figures_refresh(year: int | None = None) -> int:
    """Nightly: rewrite the current year's running figures of every agency for the dashboard."""
    from cases.services import reports as yearly

    return yearly.yearly_figures_refresh(year=year or yearly.local_today().year)


# --- Ledger imports (issue 15, docs/ledger-import.md) ----------------------------------------


@shared_task(acks_late=True, soft_time_limit=1800, time_limit=1900)
def ledger_import_run(job_id: int, dry_run: bool) -> None:
    """Check (dry run) or import one uploaded ledger; a redelivered message finds its stage done."""
    from cases.services.ledger_jobs import ledger_job_run

    ledger_job_run(job_id=job_id, dry_run=dry_run)
