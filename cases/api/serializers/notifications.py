"""Serializer of a user's in-app notifications."""

from __future__ import annotations

from rest_framework import serializers

from cases.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "title", "body", "url", "case", "deadline", "hearing", "created_at", "read_at", "is_read"]
        read_only_fields = fields
