"""In-app notifications in the API: a user's own list, read and unread.

    GET  /api/notifications/[?unread=true]     the user's notifications, newest first
    GET  /api/notifications/{id}/              one of them (another user's is a 404)
    GET  /api/notifications/unread-count/      {"unread": n}, for the page header
    POST /api/notifications/{id}/read/         mark one read (again: no change)
    POST /api/notifications/read-all/          mark all read -> {"updated": n}
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from cases.api.serializers.notifications import NotificationSerializer
from cases.api.views.common import ScopedViewSet
from cases.filtersets import NotificationFilterSet
from cases.models.reminders import Notification
from cases.services.notifications import notifications_mark_read

_COUNT = inline_serializer("NotificationCount", {"unread": serializers.IntegerField()})
_UPDATED = inline_serializer("NotificationsUpdated", {"updated": serializers.IntegerField()})


class NotificationViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """The signed-in user's in-app reminders; nobody sees anyone else's.

    Scoped to the recipient, not to an agency (NotificationQuerySet.for_user), so any
    signed-in user may mark their own read: AgencyScopedPermission does not apply.
    """

    permission_classes = [IsAuthenticated]

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilterSet
    ordering_fields = ["created_at", "read_at"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self) -> QuerySet[Notification]:
        return Notification.objects.for_user(self.request.user).order_by("-created_at", "-id")

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: Any = None) -> Response:
        notification = self.get_object()
        notifications_mark_read(user=request.user, ids=[notification.pk])
        notification.refresh_from_db(fields=["read_at"])
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses=_UPDATED)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        return Response({"updated": notifications_mark_read(user=request.user)})

    @extend_schema(responses=_COUNT)
    @action(detail=False, methods=["get"], url_path="unread-count", filterset_class=None, pagination_class=None)
    def unread_count(self, request: Request) -> Response:
        return Response({"unread": Notification.objects.unread_count(request.user)})
