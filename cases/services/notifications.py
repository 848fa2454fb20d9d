"""Writes for in-app notifications: marking them read (the only change a user makes).

Shared by the API (cases/api/views/notifications.py) and the web pages
(cases/web/views/notifications.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from cases.models.reminders import Notification

if TYPE_CHECKING:
    from django.contrib.auth.models import User

__all__ = ["notifications_mark_read"]


def notifications_mark_read(*, user: User, ids: Sequence[int] | None = None) -> int:
    """Mark the user's unread notifications read (only ``ids`` when given); returns how many.

    Only the user's own rows are touched, so another user's id changes nothing; a
    notification read before keeps its first read time.
    """
    qs = Notification.objects.for_user(user).unread()
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    with transaction.atomic():
        return qs.update(read_at=timezone.now())
