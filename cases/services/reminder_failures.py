"""Deliveries that failed for good: one more try the next day, and an e-mail to the administrators.

A row is failed for good after REMINDER_MAX_ATTEMPTS tries, or after a second
timeout (cases/services/reminder_outbox.py). People must see it (docs/reminders.md,
"Failures are seen"): it is listed in the admin, counted on administrators'
dashboards (``ReminderDeliveryQuerySet.failed_for``), and e-mailed once to the
administrators of its agency by the next sweep. The first sweep of a later day
gives it one more try, unless a send of it timed out: that one may already have
arrived, and it has had its one extra try (the timeout rule).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.choices import Role
from cases.models.reminders import DeliveryStatus, ReminderChannel, ReminderDelivery
from cases.notify import absolute_url
from cases.people import person_name
from cases.services.reminder_outbox import RECOVER_BATCH, locked

__all__ = ["deliveries_retry_next_day", "failures_report", "FAILED_LIST_URL"]

logger = logging.getLogger(__name__)

# The admin's list of failed deliveries (the link in the e-mail and on the dashboard).
FAILED_LIST_URL = "/admin/cases/reminderdelivery/?status__exact=failed"


def _start_of_day(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def deliveries_retry_next_day(*, now: dt.datetime | None = None) -> int:
    """Put rows that failed for good before today back to pending for one more try.

    The try keeps its attempt count, so one more failure makes it failed again at
    once; ``retried_next_day`` makes sure it is the only one. Returns how many.
    """
    now = now or timezone.now()
    candidates = ReminderDelivery.objects.filter(
        status=DeliveryStatus.FAILED, retried_next_day=False, timeouts=0, failed_at__lt=_start_of_day(now)
    )
    with transaction.atomic():
        ids = list(locked(candidates.order_by("failed_at")).values_list("id", flat=True)[:RECOVER_BATCH])
        return candidates.filter(id__in=ids).update(
            status=DeliveryStatus.PENDING, claimed_by=None, next_attempt_at=timezone.now(), retried_next_day=True
        )


def _administrators(agency_id: int) -> list[str]:
    users = get_user_model().objects.filter(
        is_active=True, membership__agency_id=agency_id, membership__role=Role.ADMIN
    ).exclude(email="")
    return list(users.order_by("pk").values_list("email", flat=True))


def _line(row: ReminderDelivery) -> str:
    name = person_name(row.recipient)
    error = row.last_error.splitlines()[0][:200] if row.last_error else ""
    return f"- {row.title} → {name} ({ReminderChannel(row.channel).label}): {error}"


def _report(agency: Any, rows: list[ReminderDelivery], to: list[str]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("【提醒发送失败】%(agency)s 有 %(n)d 条提醒未能送达") % {"agency": agency.name, "n": len(rows)}
        intro = _("以下提醒多次发送失败,已停止重试(次日将自动再试一次)。请核对接收人的邮箱和群机器人设置:")
        body = "\n".join([intro, "", *(_line(row) for row in rows), "", absolute_url(FAILED_LIST_URL)])
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to, fail_silently=False)


def failures_report(*, limit: int = RECOVER_BATCH) -> int:
    """E-mail each agency's administrators its deliveries that failed for good, once each.

    Rows are marked reported before the e-mail goes out (two sweeps never report the
    same row) and unmarked if it cannot be sent, for the next sweep to try again.
    Returns how many rows were reported.
    """
    now = timezone.now()
    unreported = ReminderDelivery.objects.filter(status=DeliveryStatus.FAILED, failure_reported_at__isnull=True)
    with transaction.atomic():
        ids = list(locked(unreported.order_by("id")).values_list("id", flat=True)[:limit])
        unreported.filter(id__in=ids).update(failure_reported_at=now)
    by_agency: dict[int, list[ReminderDelivery]] = defaultdict(list)
    for row in ReminderDelivery.objects.filter(id__in=ids).select_related("agency", "recipient").order_by("id"):
        by_agency[row.agency_id].append(row)
    reported = 0
    for rows in by_agency.values():
        to = _administrators(rows[0].agency_id)
        if not to:
            logger.warning("agency %s has no administrator with an e-mail to tell of %d failed reminders",
                           rows[0].agency_id, len(rows))  # fmt: skip
            continue
        try:
            _report(rows[0].agency, rows, to)
        except Exception as exc:  # the mail server is down too: try again at the next sweep
            logger.warning("could not e-mail the failed reminders of agency %s: %s", rows[0].agency_id, exc)
            ReminderDelivery.objects.filter(id__in=[r.pk for r in rows]).update(failure_reported_at=None)
            continue
        reported += len(rows)
    return reported
