"""Follow-up letters in the API (D11, D12): 检察建议, 司法建议 and 行政复议意见书.

    GET    /api/follow-ups/[?type=&status=&overdue=true]   the agency's letters, newest first
    POST   /api/follow-ups/                                 log one; ``due_on`` computed when not given
    GET    /api/follow-ups/{id}/                            one (another agency's is a 404)
    PUT    /api/follow-ups/{id}/  PATCH                     correct it (If-Match / ``version``)
    DELETE /api/follow-ups/{id}/                            archive it (kept, out of lists and figures)
    POST   /api/follow-ups/{id}/answer/                     record the reply -> answered / answered_late

Every write goes through cases/services/followups.py.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cases.api.serializers.followups import (
    ArchiveReasonSerializer,
    FollowUpAnswerSerializer,
    FollowUpSerializer,
    FollowUpWriteSerializer,
)
from cases.api.views.common import IF_MATCH, ScopedViewSet, VersionedWrites, validated_input
from cases.filtersets import FollowUpFilterSet
from cases.models import Agency, FollowUp
from cases.services import followups as follow_up_services


@extend_schema_view(
    create=extend_schema(request=FollowUpWriteSerializer, responses={201: FollowUpSerializer}),
    update=extend_schema(request=FollowUpWriteSerializer, responses=FollowUpSerializer, parameters=[IF_MATCH]),
    partial_update=extend_schema(request=FollowUpWriteSerializer, responses=FollowUpSerializer, parameters=[IF_MATCH]),
    destroy=extend_schema(request=ArchiveReasonSerializer, responses={204: None}),
)
class FollowUpViewSet(VersionedWrites, ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Follow-up letters of the user's agencies. DELETE archives (the row and its history stay)."""

    queryset = FollowUp.objects.all()
    serializer_class = FollowUpSerializer
    filterset_class = FollowUpFilterSet
    ordering_fields = ["id", "received_on", "due_on", "answered_on", "status", "type", "updated_at"]

    def get_queryset(self) -> QuerySet[FollowUp]:
        queryset = FollowUp.objects.for_user(self.request.user).select_related("agency")
        if self.action == "list" and "archived" not in self.request.query_params:
            queryset = queryset.active()
        return queryset

    def _respond(self, follow_up: FollowUp, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=follow_up.pk)
        return self.with_etag(Response(self.get_serializer(fresh).data, status=code), fresh)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated_input(FollowUpWriteSerializer, request)
        data.pop("version", None)
        agency = data.pop("agency", None) or _own_agency(request.user)
        follow_up = follow_up_services.follow_up_create(agency=agency, by=request.user, **data)
        return self._respond(follow_up, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, partial: bool = False, **kwargs: Any) -> Response:
        follow_up = self.get_object()
        serializer = FollowUpWriteSerializer(data=request.data, partial=partial, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = {name: value for name, value in serializer.validated_data.items() if name in request.data
                or not partial}  # a PATCH changes only what it names (defaults would overwrite)
        expected = self.expected_version(follow_up, data.pop("version", None))
        agency = data.pop("agency", None)
        if agency is not None and agency != follow_up.agency:
            raise serializers.ValidationError({"agency": [_("跟进事项不能转到其他机关。")]})
        return self._respond(follow_up_services.follow_up_update(
            follow_up=follow_up, by=request.user, data=data, expected_version=expected))

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        follow_up = self.get_object()
        data = validated_input(ArchiveReasonSerializer, request)
        reason = data["reason"].strip() or _("通过接口删除")
        follow_up_services.follow_up_archive(follow_up=follow_up, by=request.user, reason=reason)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=FollowUpAnswerSerializer, responses=FollowUpSerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str | None = None) -> Response:
        """Record the reply (date and document number): answered, or answered late after ``due_on``."""
        return self._act(FollowUpAnswerSerializer, lambda follow_up, d, v: follow_up_services.follow_up_answer(
            follow_up=follow_up, by=request.user, expected_version=v, answered_on=d["answered_on"],
            reply_document_number=d["reply_document_number"],
        ))


def _own_agency(user: Any) -> Agency:
    membership = getattr(user, "membership", None) if user.is_authenticated else None
    if membership is None:
        raise serializers.ValidationError({"agency": [_("请填写机关代码。")]})
    return membership.agency
