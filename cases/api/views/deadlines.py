"""/api/deadlines/ (complete, waive, manual ones) and /api/deadline-rules/ (D9 and the calculator)."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cases.api import serializers as s
from cases.api.views.common import OneCalendar, ScopedViewSet, validated_input
from cases.filtersets import DeadlineFilterSet
from cases.models import Deadline
from cases.services import deadlines as deadline_services
from casetracker.periods import RULES

# ---------------------------------------------------------------- deadlines


@extend_schema_view(create=extend_schema(request=s.DeadlineCreateSerializer, responses={201: s.DeadlineSerializer}))
class DeadlineViewSet(OneCalendar, ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Deadlines of cases (D9 and manual). Deadlines carry no version: their moves are one-way."""

    queryset = Deadline.objects.select_related("case__agency")
    serializer_class = s.DeadlineSerializer
    filterset_class = DeadlineFilterSet
    ordering_fields = ["id", "due_on", "trigger_on", "status", "rule", "updated_at"]

    def get_queryset(self) -> QuerySet[Deadline]:
        return super().get_queryset().for_user(self.request.user).with_urgency(calendar=self.workday_calendar)

    def _respond(self, deadline: Deadline, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=deadline.pk)).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated_input(s.DeadlineCreateSerializer, request)
        deadline = deadline_services.deadline_add_manual(by=request.user, **data)
        return self._respond(deadline, status.HTTP_201_CREATED)

    @extend_schema(request=s.DeadlineNoteSerializer, responses=s.DeadlineSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        """The duty was done in time (status met)."""
        deadline = self.get_object()
        data = validated_input(s.DeadlineNoteSerializer, request)
        return self._respond(deadline_services.deadline_complete(deadline=deadline, by=request.user, note=data["note"]))

    @extend_schema(request=s.DeadlineWaiveSerializer, responses=s.DeadlineSerializer)
    @action(detail=True, methods=["post"])
    def waive(self, request: Request, pk: str | None = None) -> Response:
        """The deadline no longer applies (status waived); the note says why."""
        deadline = self.get_object()
        data = validated_input(s.DeadlineWaiveSerializer, request)
        return self._respond(
            deadline_services.deadline_waive(deadline=deadline, by=request.user, reason=data["note"])
        )


# ---------------------------------------------------------------- deadline rules (D9)


_RULE_CODE = OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH, description="A D9 rule code")


@extend_schema_view(retrieve=extend_schema(parameters=[_RULE_CODE]))
class DeadlineRuleViewSet(ScopedViewSet):
    """The statutory periods of D9 and a calculator on the office's working-day calendar."""

    serializer_class = s.RuleSerializer
    pagination_class = None
    filter_backends: list[Any] = []
    lookup_field = "code"
    lookup_pattern = re.compile(r"[a-z_]{1,60}")

    def _rule(self, code: str) -> Any:
        rule = RULES.get(self.lookup_value())
        if rule is None:
            raise Http404
        return rule

    def list(self, request: Request) -> Response:
        return Response(s.RuleSerializer([r.as_dict() for r in RULES.values()], many=True).data)

    def retrieve(self, request: Request, code: str) -> Response:
        return Response(s.RuleSerializer(self._rule(code).as_dict()).data)

    @extend_schema(
        parameters=[_RULE_CODE, OpenApiParameter("trigger", OpenApiTypes.DATE, required=True,
                                     description="Trigger day YYYY-MM-DD (not counted, CPL 85)")],
        responses=s.ComputedPeriodSerializer,
    )
    @action(detail=True, methods=["get"])
    def compute(self, request: Request, code: str) -> Response:
        """The due day from a trigger day, on the calendar with the administrator's overrides (D5, D6)."""
        rule = self._rule(code)
        query = s.ComputeQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        period = deadline_services.deadline_compute(rule, query.validated_data["trigger"])
        return Response(s.ComputedPeriodSerializer(period.as_dict()).data)
