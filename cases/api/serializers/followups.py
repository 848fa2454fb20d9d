"""Serializers of the follow-up letters (D11, D12): the read shape and the inputs of the writes."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from cases.api.serializers import (
    REASON_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    AgencyCodeField,
    ScopedPrimaryKeyField,
    VersionInput,
)
from cases.choices import FollowUpStatus, FollowUpType
from cases.models import Case, FollowUp


def _cases_of(qs: Any, user: Any) -> Any:
    return qs.for_user(user).active()


class FollowUpSerializer(serializers.ModelSerializer):
    """A follow-up letter as read; ``status`` follows from ``answered_on`` and ``due_on``."""

    agency = AgencyCodeField(read_only=True)
    status = serializers.ChoiceField(choices=FollowUpStatus.choices, read_only=True)

    class Meta:
        model = FollowUp
        fields = [
            "id", "agency", "type", "issuing_body", "document_number", "received_on", "case", "summary", "due_on",
            "due_given", "provisional", "answered_on", "reply_document_number", "status", "archived_at", "version",
            "created_at", "updated_at",
        ]
        read_only_fields = fields


class FollowUpWriteSerializer(VersionInput):
    """Input of POST/PUT/PATCH: leave ``due_on`` out (or null) for the statutory reply deadline."""

    agency = AgencyCodeField(required=False, help_text="Agency code; defaults to your own agency.")
    type = serializers.ChoiceField(choices=FollowUpType.choices)
    issuing_body = serializers.CharField(max_length=200)
    document_number = serializers.CharField(max_length=100, allow_blank=True, default="")
    received_on = serializers.DateField()
    case = ScopedPrimaryKeyField(
        queryset=Case.objects.all(), scope=_cases_of, allow_null=True, default=None,
        help_text="Id of the case the letter is about; null for a letter to the agency alone.",
    )
    summary = serializers.CharField(max_length=TEXT_MAX_LENGTH, allow_blank=True, default="")
    due_on = serializers.DateField(
        allow_null=True, default=None,
        help_text="The reply deadline the letter sets; null or absent: computed (recommendation_reply / "
        "opinion_letter_correction).",
    )
    answered_on = serializers.DateField(allow_null=True, default=None)
    reply_document_number = serializers.CharField(max_length=100, allow_blank=True, default="")


class FollowUpAnswerSerializer(VersionInput):
    answered_on = serializers.DateField()
    reply_document_number = serializers.CharField(max_length=100, allow_blank=True, default="")


class ArchiveReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH, required=False, allow_blank=True, default="")
