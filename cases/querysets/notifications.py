"""Reads for in-app notifications: each user sees only their own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from cases.users import Viewer

if TYPE_CHECKING:
    from cases.models.reminders import Notification  # noqa: F401


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
