"""Values every page's header needs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def header(request: HttpRequest) -> dict[str, Any]:
    """The unread notification count (one COUNT on a partial index) and the user's role."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from cases.models import Notification
    from cases.permissions import writable_agency_ids

    def unread() -> int:
        return Notification.objects.unread_count(user)

    writable = writable_agency_ids(user)
    return {"unread_notifications": unread, "user_can_write": writable is None or bool(writable)}
