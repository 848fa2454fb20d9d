"""/api/hearings/: schedule, reschedule, record attendance (D7), postpone, cancel."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from cases.api import serializers as s
from cases.api.parsers import JSONParser
from cases.api.views.common import IF_MATCH, ScopedViewSet, User, VersionedWrites, validated_input
from cases.filtersets import HearingFilterSet
from cases.models import Hearing
from cases.services import hearings as hearing_services


@extend_schema_view(
    create=extend_schema(request=s.HearingCreateSerializer, responses={201: s.HearingSerializer}),
    update=extend_schema(request=s.HearingUpdateSerializer, responses=s.HearingSerializer, parameters=[IF_MATCH]),
    partial_update=extend_schema(request=s.HearingUpdateSerializer, responses=s.HearingSerializer,
                                 parameters=[IF_MATCH]),
)
class HearingViewSet(VersionedWrites, ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Court hearings and reconsideration hearings; writes go through the hearing services."""

    queryset = Hearing.objects.select_related("case__agency").prefetch_related(
        Prefetch("attending_staff", queryset=User.objects.only("id"))
    )
    serializer_class = s.HearingSerializer
    filterset_class = HearingFilterSet
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    ordering_fields = ["id", "scheduled_at", "status", "updated_at"]

    def get_queryset(self) -> QuerySet[Hearing]:
        queryset = super().get_queryset().for_user(self.request.user)
        if self.action == "list" and "archived" not in self.request.query_params:
            queryset = queryset.filter(archived_at__isnull=True)
        return queryset

    def _respond(self, hearing: Hearing, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=hearing.pk)
        return self.with_etag(Response(self.get_serializer(fresh).data, status=code), fresh)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._respond(self.get_object())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated_input(s.HearingCreateSerializer, request)
        hearing = hearing_services.hearing_schedule(by=request.user, **data)
        return self._respond(hearing, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, partial: bool = False, **kwargs: Any) -> Response:
        hearing = self.get_object()
        data = validated_input(s.HearingUpdateSerializer, request, partial=partial)
        expected = self.expected_version(hearing, data.pop("version", None))
        leader = data.pop("expected_leader", ...)
        hearing = hearing_services.hearing_reschedule(
            hearing=hearing, by=request.user, expected_leader=leader, expected_version=expected, **data
        )
        return self._respond(hearing)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(request={"application/json": s.HearingRecordSerializer,
                            "multipart/form-data": s.HearingRecordSerializer},
                   responses=s.HearingSerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def record(self, request: Request, pk: str | None = None) -> Response:
        """Record that the hearing was held and who of the bureau attended (D7)."""
        return self._act(s.HearingRecordSerializer, lambda hearing, d, v: hearing_services.hearing_record(
            hearing=hearing, by=request.user, expected_version=v, responsible_person=d["responsible_person"],
            staff=d.get("staff", ()), lawyer_names=d["lawyer_names"], absence_reason=d["absence_reason"],
            absence_detail=d["absence_detail"], absence_proof=d.get("absence_proof"), notes=d["notes"],
        ))

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def proof(self, request: Request, pk: str | None = None) -> FileResponse:
        """Download the proof of the leader's absence; only readers of the case get it."""
        hearing = self.get_object()
        if not hearing.absence_proof:
            raise Http404
        return FileResponse(hearing.absence_proof.open("rb"), as_attachment=True,
                            filename=hearing.absence_proof.name.rsplit("/", 1)[-1])

    @extend_schema(request=s.ReasonSerializer, responses=s.HearingSerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def postpone(self, request: Request, pk: str | None = None) -> Response:
        return self._act(s.ReasonSerializer, lambda hearing, d, v: hearing_services.hearing_postpone(
            hearing=hearing, by=request.user, expected_version=v, reason=d["reason"],
        ))

    @extend_schema(request=s.ReasonSerializer, responses=s.HearingSerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        return self._act(s.ReasonSerializer, lambda hearing, d, v: hearing_services.hearing_cancel(
            hearing=hearing, by=request.user, expected_version=v, reason=d["reason"],
        ))
