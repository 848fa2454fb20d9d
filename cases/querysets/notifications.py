"""Reads for in-app notifications (each user sees only their own) and failed reminder deliveries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from cases.choices import DeliveryStatus
from cases.users import Viewer

if TYPE_CHECKING:
    from cases.models.reminders import Notification, ReminderDelivery  # noqa: F401


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_user(self, user: Viewer) -> NotificationQuerySet:
        """A user's own notifications; nobody, an administrator included, reads another's."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(recipient_id=user.pk)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def unread_count(self, user: Viewer) -> int:
        """The header badge: one COUNT on the partial index notification_unread_idx."""
        return self.for_user(user).unread().count()


class ReminderDeliveryQuerySet(models.QuerySet["ReminderDelivery"]):
    def failed_for(self, user: Viewer) -> ReminderDeliveryQuerySet:
        """Deliveries that failed for good, for an administrator's eyes only (others: none).

        The dashboard counts them and the e-mail links to their admin list
        (cases/services/reminder_failures.py); the status index serves both.
        """
        from cases.permissions import is_admin, visible_agency_ids

        if not is_admin(user):
            return self.none()
        failed = self.filter(status=DeliveryStatus.FAILED)
        ids = visible_agency_ids(user)
        return failed if ids is None else failed.filter(agency_id__in=ids)
