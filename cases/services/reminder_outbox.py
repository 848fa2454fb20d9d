"""The reminder outbox: write delivery rows once, claim them, send them, mark them.

Exactly once is decided by the database, not by the broker (docs/reminders.md):

- a row is INSERTed with ON CONFLICT DO NOTHING on its unique key, tagged with the
  inserting sweep's token; the sweep re-selects by that token, so only the process
  that created a row goes on to send it;
- a row is sent only by whoever moves it from pending to sending with a conditional
  UPDATE that changed exactly one row (the claim); a claim whose worker died is
  taken over after REMINDER_CLAIM_LEASE seconds, or at once by the same Celery task
  redelivered after its worker was killed (acks_late: same task id); the in-app rows a
  sweep has just inserted are claimed and marked sent by one conditional UPDATE under
  their row locks, in the transaction that writes their notifications (nothing waits
  between the two, so no claim outlives it);
- in-app notifications are written in the same transaction that marks the row sent,
  so they are exactly once even across a crash; email and webhook are at least once
  (a crash between the send and the mark re-sends after the lease).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from cases import notify
from cases.models.reminders import DeliveryStatus, ReminderChannel, ReminderDelivery
from cases.querysets.ids import id_in
from cases.services.reminder_outbox_insert import (
    Intended,
    deliveries_create,
    deliveries_created,
    deliveries_insert_due,
    split_by_channel,
)
from cases.services.reminder_words import deliveries_word, word_rows, words_of_rows, words_store

__all__ = [
    "DeliveryOutcome",
    "Intended",
    "deliveries_claim",
    "deliveries_claim_created",
    "created_claimer",
    "deliveries_create",
    "deliveries_created",
    "deliveries_insert_due",
    "deliveries_by_channel",
    "deliveries_recover",
    "deliveries_renew",
    "locked",
    "deliveries_send_inline",
    "deliveries_retry",
    "delivery_claim",
    "delivery_send_claimed",
    "deliveries_send_claimed",
    "deliveries_send_created",
    "new_token",
    "retry_delay",
    "in_app_batch",
    "send_batch",
    "timed_out",
    "timeout_retry_delay",
]

logger = logging.getLogger(__name__)

# How many stale rows one sweep takes over; the next sweep takes the rest.
RECOVER_BATCH: Final = 500
_ERROR_LIMIT: Final = 2000
_TOKEN_LENGTH: Final = ReminderDelivery._meta.get_field("created_by_sweep").max_length or 40


class DeliveryOutcome:
    SENT: Final = "sent"
    RETRY: Final = "retry"
    # The send timed out: the far side may or may not have the message; retried once, later.
    UNKNOWN: Final = "unknown"
    FAILED: Final = "failed"
    SKIPPED: Final = "skipped"


# A send that timed out is tried at most this many more times: the far side may have
# accepted it before the timeout, and each retry may be one more copy in an inbox.
TIMEOUT_RETRIES: Final = 1


def new_token(prefix: str = "sweep") -> str:
    """A claim / batch token naming this process (host and pid help when reading the admin).

    It always fits ``created_by_sweep``: the random part and the pid come first and the
    host name (a Kubernetes pod's is 60+ characters) gets what is left, so a long host
    name shortens the token instead of failing every sweep with "value too long".
    """
    head = f"{prefix}:{uuid.uuid4().hex[:12]}:{os.getpid()}:"
    return (head + socket.gethostname())[:_TOKEN_LENGTH]


def retry_delay(attempts: int) -> int:
    """Seconds before the next try after ``attempts`` failed ones: doubling, capped.

    The cap stays at half the broker's visibility timeout, so no Celery retry is
    ever scheduled with a countdown the broker would redeliver early.
    """
    base = max(1, settings.REMINDER_RETRY_BACKOFF)
    return int(min(base * 2 ** max(0, attempts - 1), backoff_cap()))


def backoff_cap() -> int:
    visibility = int(getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}).get("visibility_timeout", 3600))
    return max(1, min(600, visibility // 2))


def locked(qs: QuerySet[ReminderDelivery]) -> QuerySet[ReminderDelivery]:
    # PostgreSQL: two sweeps skip each other's rows instead of waiting on them; only the
    # outbox's rows are locked when the read joins their deadlines and hearings (the words).
    # SQLite has no row locks; its IMMEDIATE transactions serialise the writers.
    if connection.features.has_select_for_update_skip_locked:
        return qs.select_for_update(skip_locked=True, of=("self",))
    return qs


def _claim_values(worker: str, now: dt.datetime) -> dict[str, Any]:
    return {"status": DeliveryStatus.SENDING, "claimed_by": worker, "claimed_at": now, "attempts": F("attempts") + 1}


def _claim_batch(qs: QuerySet[ReminderDelivery], *, worker: str, limit: int) -> list[int]:
    """Claim at most ``limit`` rows of ``qs`` for ``worker``; the ids this call claimed."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(locked(qs.order_by("id")).values_list("id", flat=True)[:limit])
        if not ids:
            return []
        qs.filter(id__in=ids).update(**_claim_values(worker, now))
    return _claimed_by(worker, ids)


def deliveries_claim_created(*, ids: Sequence[int], worker: str) -> list[int]:
    """Claim, for sending inline, the rows of ``ids`` (some of the rows a sweep inserted) still pending.

    The sweep passes its created ids a batch at a time: the claim is found by primary key,
    not by re-reading every row of the sweep's token (which made a sweep of 70,000 rows
    scan its own rows once per batch, issue 17).
    """
    created = ReminderDelivery.objects.filter(
        id__in=list(ids), status=DeliveryStatus.PENDING, claimed_by__isnull=True, attempts=0
    )  # attempts=0: a row that failed in this sweep waits for its backoff like any other
    return _claim_batch(created, worker=worker, limit=len(ids))


def created_claimer(created: Sequence[int], *, worker: str) -> Callable[[], list[int]]:
    """A ``claim()`` for ``deliveries_send_inline`` that walks ``created`` ``send_batch()`` rows at a time.

    A batch none of whose rows is still pending (taken over meanwhile) is passed over, so
    the walk stops only at the end of ``created``.
    """
    size = send_batch()
    batches = iter([list(created[i : i + size]) for i in range(0, len(created), size)])

    def claim() -> list[int]:
        for batch in batches:
            ids = deliveries_claim_created(ids=batch, worker=worker)
            if ids:
                return ids
        return []

    return claim


def _claimed_by(worker: str, ids: Iterable[int]) -> list[int]:
    qs = id_in(ReminderDelivery.objects.filter(claimed_by=worker, status=DeliveryStatus.SENDING), "id", list(ids))
    return list(qs.order_by("id").values_list("id", flat=True))


def _stale_q(now: dt.datetime) -> Q:
    lease = now - dt.timedelta(seconds=settings.REMINDER_CLAIM_LEASE)
    return Q(status=DeliveryStatus.PENDING, claimed_by__isnull=True, next_attempt_at__lte=now) | Q(
        status=DeliveryStatus.SENDING, claimed_at__lt=lease
    )


def deliveries_recover(*, worker: str | None, limit: int = RECOVER_BATCH) -> list[int]:
    """Take over rows left behind: a retry that is due, a creator or worker that died.

    With ``worker`` (inline sending) the rows are claimed for it. Without (Celery),
    they are handed back to pending with a fresh window and their ids returned to be
    queued; the send task claims them. Either way, two sweeps never take the same row.
    """
    now = timezone.now()
    stale = ReminderDelivery.objects.filter(_stale_q(now))
    if worker is not None:
        return _claim_batch(stale, worker=worker, limit=limit)
    with transaction.atomic():
        ids = list(locked(stale.order_by("next_attempt_at")).values_list("id", flat=True)[:limit])
        if ids:
            window = now + dt.timedelta(seconds=settings.REMINDER_CLAIM_LEASE)
            stale.filter(id__in=ids).update(status=DeliveryStatus.PENDING, claimed_by=None, next_attempt_at=window)
    return ids


def send_batch() -> int:
    """How many rows an inline sweep claims at a time (REMINDER_SEND_BATCH)."""
    return max(1, int(getattr(settings, "REMINDER_SEND_BATCH", 100)))


def in_app_batch() -> int:
    """How many in-app rows are claimed and written together (REMINDER_IN_APP_BATCH): inline, and
    per Celery batch task. Larger than REMINDER_SEND_BATCH: a batch is a few queries, nothing waits."""
    return max(1, int(getattr(settings, "REMINDER_IN_APP_BATCH", 1000)))


def deliveries_renew(*, ids: Sequence[int], worker: str) -> list[int]:
    """Extend ``worker``'s claim on ``ids``; return the rows that are still its own.

    A row someone else took over (its claim had run out) is not renewed and is left
    out of the answer, so the caller never sends it.
    """
    with transaction.atomic():
        ReminderDelivery.objects.filter(id__in=list(ids), claimed_by=worker, status=DeliveryStatus.SENDING).update(
            claimed_at=timezone.now()
        )
    return _claimed_by(worker, ids)


def delivery_claim(*, delivery_id: int, worker: str) -> bool:
    """Claim one row for ``worker``; True only if this UPDATE changed exactly one row.

    A pending, unclaimed row is free. A row still marked sending is free to its own
    claimer again (the same Celery task redelivered after its worker was killed) or
    to anyone once its lease has run out.
    """
    now = timezone.now()
    with transaction.atomic():
        changed = ReminderDelivery.objects.filter(_free_q(worker, now), id=delivery_id).update(
            **_claim_values(worker, now)
        )
    return changed == 1


def _free_q(worker: str, now: dt.datetime) -> Q:
    lease = now - dt.timedelta(seconds=settings.REMINDER_CLAIM_LEASE)
    return (
        Q(status=DeliveryStatus.PENDING, claimed_by__isnull=True)
        | Q(status=DeliveryStatus.SENDING, claimed_by=worker)
        | Q(status=DeliveryStatus.SENDING, claimed_at__lt=lease)
    )


def deliveries_claim(*, ids: Sequence[int], worker: str) -> list[int]:
    """Claim many rows for ``worker`` in one conditional UPDATE (the batch send task);
    the ids it now holds. The same rules as ``delivery_claim``, row by row."""
    now = timezone.now()
    with transaction.atomic():
        id_in(ReminderDelivery.objects.filter(_free_q(worker, now)), "id", list(ids)).update(**_claim_values(worker, now))
    return _claimed_by(worker, ids)


def deliveries_by_channel(ids: Sequence[int]) -> tuple[list[int], list[int]]:
    """(in-app ids, e-mail and webhook ids) of ``ids``, in order, with one query."""
    channels = dict(id_in(ReminderDelivery.objects.all(), "id", list(ids)).values_list("id", "channel"))
    return split_by_channel((pk, channels[pk]) for pk in ids if pk in channels)


def _mark_sent(delivery_id: int, worker: str) -> int:
    return ReminderDelivery.objects.filter(id=delivery_id, status=DeliveryStatus.SENDING, claimed_by=worker).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error=""
    )


class _ClaimLost(Exception):
    """Our lease ran out and someone else took the row over: roll back, send nothing more."""


def _error_text(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".strip()
    return text[:_ERROR_LIMIT]


def timed_out(exc: BaseException) -> bool:
    """True when the error, or one it was raised from, is a timeout (socket, SMTP, urllib)."""
    seen: set[int] = set()
    error: BaseException | None = exc
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, TimeoutError) or isinstance(getattr(error, "reason", None), TimeoutError):
            return True
        error = error.__cause__ or error.__context__
    return False


def timeout_retry_delay() -> int:
    """Seconds before the one retry of a timed-out send (below the broker's redelivery)."""
    return int(min(max(1, settings.REMINDER_TIMEOUT_RETRY_DELAY), backoff_cap()))


def _mark_failure(delivery: ReminderDelivery, worker: str, exc: BaseException) -> str:
    unknown = timed_out(exc)
    final = delivery.attempts >= settings.REMINDER_MAX_ATTEMPTS or (unknown and delivery.timeouts >= TIMEOUT_RETRIES)
    now = timezone.now()
    values: dict[str, Any] = {"last_error": _error_text(exc)}
    if unknown:
        values["timeouts"] = F("timeouts") + 1
    if final:
        values.update(status=DeliveryStatus.FAILED, failed_at=now)
    else:
        delay = timeout_retry_delay() if unknown else retry_delay(delivery.attempts)
        values.update(status=DeliveryStatus.PENDING, claimed_by=None, next_attempt_at=now + dt.timedelta(seconds=delay))
    with transaction.atomic():
        ReminderDelivery.objects.filter(id=delivery.pk, status=DeliveryStatus.SENDING, claimed_by=worker).update(
            **values
        )
    logger.warning("reminder delivery %s attempt %s failed: %s", delivery.pk, delivery.attempts, values["last_error"])
    if final:
        return DeliveryOutcome.FAILED
    return DeliveryOutcome.UNKNOWN if unknown else DeliveryOutcome.RETRY


def delivery_send_claimed(*, delivery_id: int, worker: str) -> str:
    """Send a row ``worker`` has claimed and mark it sent, or record the error.

    Returns a DeliveryOutcome: sent, retry (pending again, next_attempt_at set),
    unknown (timed out: pending again after REMINDER_TIMEOUT_RETRY_DELAY, once) or
    failed (no tries left). Never raises for a channel error; raises a database
    OperationalError for the caller to retry.
    """
    deliveries_word([delivery_id])
    return _send_one(_with_relations().get(pk=delivery_id), worker)


def _with_relations() -> QuerySet[ReminderDelivery]:
    return ReminderDelivery.objects.select_related("recipient__membership", "agency", "deadline", "hearing")


def _worded(ids: Sequence[int]) -> dict[int, ReminderDelivery]:
    """The rows of ``ids`` with their relations, worded first if they have no words yet (the
    caller holds them: a claim, or their locks). A row keeps the words of its first send."""
    deliveries_word(ids)
    return {d.pk: d for d in _with_relations().filter(id__in=list(ids))}


def _send_one(delivery: ReminderDelivery, worker: str) -> str:
    try:
        if delivery.channel == ReminderChannel.IN_APP:
            with transaction.atomic():
                notify.send_in_app(delivery)
                if _mark_sent(delivery.pk, worker) != 1:
                    raise _ClaimLost
        else:
            notify.send_external(delivery)
            if _mark_sent(delivery.pk, worker) != 1:
                logger.warning("reminder delivery %s was taken over while sending", delivery.pk)
                return DeliveryOutcome.SKIPPED
    except _ClaimLost:
        return DeliveryOutcome.SKIPPED
    except (OperationalError, InterfaceError):
        # The database went away, not the channel: the caller retries the whole send
        # (reminder_send backs off); recording it on the row would need the database too.
        raise
    except Exception as exc:  # any channel error is recorded on the row, never lost
        return _mark_failure(delivery, worker, exc)
    return DeliveryOutcome.SENT


def deliveries_send_inline(claim: Callable[[], list[int]], *, worker: str, most: int | None = None) -> list[str]:
    """Send in this process, batch after batch, the rows ``claim()`` hands over (the foreground sweep).

    The lease rule (docs/reminders.md): a batch is claimed just before it is sent, and
    whenever half of REMINDER_CLAIM_LEASE has passed since the claims were taken or last
    renewed, the rows still waiting are renewed first. Every send is bounded by its
    channel's timeout (EMAIL_TIMEOUT, REMINDER_WEBHOOK_TIMEOUT, both below half the
    lease), so a claim never ages past the lease while its sweep is alive, and no other
    sweep takes over a row this one is about to send. A row whose claim was lost all
    the same (the process was paused past the lease) is dropped, not sent.
    """
    outcomes: list[str] = []
    while most is None or len(outcomes) < most:
        held_since = timezone.now()
        ids = claim()
        if not ids:
            break
        outcomes += _send_held(ids, worker=worker, held_since=held_since)
    return outcomes


def deliveries_send_claimed(*, ids: list[int], worker: str, held_since: dt.datetime | None = None) -> list[str]:
    """Send rows ``worker`` holds: the in-app ones in bulk, then e-mail and webhook one by one.

    In-app rows cost a constant number of queries per batch and are never loaded into
    Python (``_send_in_app_batch``); the external ones are loaded with their relations in
    one query, and each send is bounded by its channel's timeout and preceded, when half
    the lease has passed, by a renewal of the rows still waiting (the lease rule).
    Outcomes in the order sent.
    """
    held_since = held_since or timezone.now()
    half_lease = dt.timedelta(seconds=settings.REMINDER_CLAIM_LEASE / 2)
    in_app, waiting = deliveries_by_channel(ids)
    outcomes = _send_in_app_batch(in_app, worker)
    rows = _worded(waiting) if waiting else {}
    while waiting:
        if timezone.now() - held_since >= half_lease:
            held_since = timezone.now()
            waiting = deliveries_renew(ids=waiting, worker=worker)
            if not waiting:
                break
        outcomes.append(_send_one(rows[waiting.pop(0)], worker))
    return outcomes


def _send_in_app_batch(ids: list[int], worker: str) -> list[str]:
    """Word the rows still ``worker``'s, mark them sent and write their notifications, in one transaction.

    The rows are locked first (the same read brings what their words need), so the mark
    changes exactly the rows whose notification is written (exactly once, as for a single
    send). A channel error in the bulk write (not a database outage) falls back to row-by-row
    sends, which record it per row.
    """
    if not ids:
        return []
    try:
        with transaction.atomic():
            mine = id_in(ReminderDelivery.objects.filter(status=DeliveryStatus.SENDING, claimed_by=worker), "id", ids)
            rows = list(word_rows(mine.select_for_update(of=("self",)).order_by("id")))
            held = [row["id"] for row in rows]
            words_store(words_of_rows(rows), held=held, also=_sent_values({}))
            notify.send_in_app_bulk(held)
    except (OperationalError, InterfaceError):
        raise
    except Exception:  # recorded per row by the fallback
        logger.exception("bulk in-app send of %s rows failed; sending them one by one", len(ids))
        rows_by_id = _worded(ids)
        return [_send_one(rows_by_id[pk], worker) if pk in rows_by_id else DeliveryOutcome.SKIPPED for pk in ids]
    kept = set(held)
    return [DeliveryOutcome.SENT if pk in kept else DeliveryOutcome.SKIPPED for pk in ids]


def _sent_values(claim: dict[str, Any]) -> dict[str, Any]:
    return {"status": DeliveryStatus.SENT.value, "sent_at": timezone.now(), "last_error": "", **claim}


def deliveries_send_created(*, in_app: Sequence[int], external: Sequence[int], worker: str) -> list[str]:
    """Send inline the rows a sweep inserted (``worker`` is its token): the in-app ones first,
    ``in_app_batch()`` at a time, then e-mail and webhook ``send_batch()`` at a time under the
    lease rule. Outcomes of the rows sent or tried."""
    size = in_app_batch()
    outcomes: list[str] = []
    for start in range(0, len(in_app), size):
        outcomes += _send_created_in_app(in_app[start : start + size], worker)
    return outcomes + deliveries_send_inline(created_claimer(external, worker=worker), worker=worker)


def _send_created_in_app(ids: Sequence[int], worker: str) -> list[str]:
    """Claim, word, mark sent and write in one transaction the rows of ``ids`` still pending and untried.

    An in-app send waits on no far side, so claim and mark are one conditional UPDATE under
    the rows' locks (taken with SKIP LOCKED): no claim outlives the transaction, so there is
    none for the lease to protect, and any other claimer finds the rows sent once it commits
    (issue 17: three statements a batch: the lock, which also reads what the words need, the
    mark with the words, the notifications). A row another sweep holds is left out, as a claim
    would leave it out. A channel error falls back to a claim and row-by-row sends, which
    record it per row.
    """
    now = timezone.now()
    pending = ReminderDelivery.objects.filter(status=DeliveryStatus.PENDING, claimed_by__isnull=True, attempts=0)
    created = id_in(pending, "id", ids)  # 1,000 ids: one array parameter on PostgreSQL
    try:
        with transaction.atomic():
            # Only the rows locked here are marked: one skipped as locked may be pending again by now.
            rows = list(word_rows(locked(created.order_by("id"))))
            held = [row["id"] for row in rows]
            claim = {"claimed_by": worker, "claimed_at": now}
            words_store(words_of_rows(rows), held=held, also=_sent_values(claim), attempt=True)
            notify.send_in_app_bulk(held)
    except (OperationalError, InterfaceError):
        raise
    except Exception:  # recorded per row by the fallback
        logger.exception("bulk in-app send of %s new rows failed; sending them one by one", len(ids))
        return deliveries_send_claimed(ids=deliveries_claim_created(ids=ids, worker=worker), worker=worker)
    return [DeliveryOutcome.SENT] * len(held)


def _send_held(ids: list[int], *, worker: str, held_since: dt.datetime) -> list[str]:
    return deliveries_send_claimed(ids=ids, worker=worker, held_since=held_since)


def deliveries_retry(*, ids: Sequence[int]) -> int:
    """Give failed rows a fresh set of tries; the next sweep sends them. Returns how many."""
    now = timezone.now()
    with transaction.atomic():
        return ReminderDelivery.objects.filter(id__in=ids, status=DeliveryStatus.FAILED).update(
            status=DeliveryStatus.PENDING, claimed_by=None, attempts=0, next_attempt_at=now
        )
