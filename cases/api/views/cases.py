"""/api/cases/: cases with their open deadlines and hearings summary; writes and actions call the case services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from cases.api import serializers as s
from cases.api.serializers.case_list import case_rows
from cases.api.views.common import (
    IF_MATCH,
    OneCalendar,
    ScopedViewSet,
    User,
    VersionedWrites,
    renamed_errors,
    validated_input,
)
from cases.filtersets import CaseFilterSet
from cases.models import Agency, Case, Deadline
from cases.services import cases as case_services
from cases.services import grounds as grounds_services
from casetracker.calendar import WorkdayCalendar

# ---------------------------------------------------------------- querysets (one query per page each)


def case_queryset(user: Any, calendar: WorkdayCalendar | None = None) -> QuerySet[Case]:
    """Cases the user may read, with the bucket, open deadlines and the hearing summary, as
    CaseSerializer reads them for one case (the list reads values: CaseViewSet.list)."""
    return (
        Case.objects.for_user(user)
        .with_bucket()
        .with_hearing_summary()
        .select_related("agency")
        .prefetch_related(
            Prefetch("handlers", queryset=User.objects.only("id")),
            Prefetch(
                "deadlines",
                queryset=Deadline.objects.open().with_urgency(calendar=calendar).order_by("due_on", "id"),
                to_attr="open_deadlines",
            ),
        )
    )


# ---------------------------------------------------------------- cases

_CASE_FIELD_NAMES = {"litigation_instance": "instance"}


@extend_schema_view(
    create=extend_schema(request=s.CaseWriteSerializer, responses={201: s.CaseSerializer}),
    update=extend_schema(request=s.CaseWriteSerializer, responses=s.CaseSerializer, parameters=[IF_MATCH]),
    partial_update=extend_schema(request=s.CaseWriteSerializer, responses=s.CaseSerializer, parameters=[IF_MATCH]),
)
class CaseViewSet(
    OneCalendar, VersionedWrites, ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin,
):
    """Cases (one proceeding each, D1). No DELETE: archive instead (POST .../archive/)."""

    queryset = Case.objects.all()
    serializer_class = s.CaseSerializer
    filterset_class = CaseFilterSet
    ordering_fields = [
        "id", "received_on", "accepted_on", "concluded_on", "number", "kind", "status", "subject",
        "updated_at", "created_at",
    ]

    def get_queryset(self) -> QuerySet[Case]:
        if self.action != "list":
            return case_queryset(self.request.user, self.workday_calendar)
        # The list reads values (case_rows): no prefetch, and the agency's code without a join.
        queryset = Case.objects.for_user(self.request.user).with_agency_code()
        return queryset if "archived" in self.request.query_params else queryset.active()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """CaseSerializer's answer for a page read as values (cases/api/serializers/case_list.py)."""
        rows = case_rows()
        queryset = self.filter_queryset(self.get_queryset()).values(*rows.columns)
        page = self.paginate_queryset(queryset)
        data = rows.represent(queryset if page is None else page, today=timezone.localdate(),
                              calendar=self.workday_calendar)
        return Response(data) if page is None else self.get_paginated_response(data)

    def get_serializer_class(self) -> type[Any]:
        return s.CaseSerializer if self.action == "list" else s.CaseDetailSerializer

    def _respond(self, case: Case, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().prefetch_related("grounds", "suspensions").get(pk=case.pk)
        response = Response(self.get_serializer(fresh).data, status=code)
        return self.with_etag(response, fresh)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._respond(self.get_object())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated_input(s.CaseWriteSerializer, request)
        data.pop("version", None)
        agency = data.pop("agency", None) or _own_agency(request.user)
        handlers = data.pop("handlers", ())
        with renamed_errors(_CASE_FIELD_NAMES):
            case = case_services.case_create(agency=agency, by=request.user, handlers=handlers, **data)
        return self._respond(case, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, partial: bool = False, **kwargs: Any) -> Response:
        case = self.get_object()
        data = validated_input(s.CaseWriteSerializer, request, instance=case, partial=partial)
        expected = self.expected_version(case, data.pop("version", None))
        data.pop("agency", None)
        handlers = data.pop("handlers", None)
        with renamed_errors(_CASE_FIELD_NAMES):
            case = case_services.case_update(
                case=case, by=request.user, data=data, handlers=handlers, expected_version=expected
            )
        return self._respond(case)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    def _act(self, serializer_class: type[Any], call: Callable[[Case, dict[str, Any], int | None], Case],
             names: dict[str, str] | None = None) -> Response:
        return super()._act(serializer_class, call, names or _CASE_FIELD_NAMES)

    @extend_schema(request=s.ConcludeSerializer, responses=s.CaseSerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def conclude(self, request: Request, pk: str | None = None) -> Response:
        """Record how the proceeding ended (D8 outcome code, conclusion date)."""
        return self._act(s.ConcludeSerializer, lambda case, d, v: case_services.case_conclude(
            case=case, by=request.user, expected_version=v, outcome=d["outcome"], concluded_on=d["concluded_on"],
            act_changed=d["act_changed"], decision_number=d["document_number"],
            cancel_hearings=d["cancel_hearings"], grounds=d["grounds"],
        ), names={"decision_number": "document_number"})

    @extend_schema(request=s.GroundsSerializer, responses=s.CaseSerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def grounds(self, request: Request, pk: str | None = None) -> Response:
        """Enter or correct the grounds of a case concluded as corrected/lost (D12)."""
        return self._act(s.GroundsSerializer, lambda case, d, v: grounds_services.case_grounds_record(
            case=case, by=request.user, expected_version=v, grounds=d["grounds"],
        ))

    @extend_schema(request=s.SuspendSerializer, responses=s.CaseSerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def suspend(self, request: Request, pk: str | None = None) -> Response:
        """中止: the case stays pending in the figures (D2)."""
        return self._act(s.SuspendSerializer, lambda case, d, v: case_services.case_suspend(
            case=case, by=request.user, expected_version=v, reason=d["reason"], suspended_on=d.get("suspended_on"),
        ))

    @extend_schema(request=s.ResumeSerializer, responses=s.CaseSerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: str | None = None) -> Response:
        """Resume a suspended case (恢复审理); the 中止 record gets its end date."""
        return self._act(s.ResumeSerializer, lambda case, d, v: case_services.case_resume(
            case=case, by=request.user, expected_version=v, reason=d["reason"], resumed_on=d.get("resumed_on"),
        ))

    @extend_schema(request=s.ReasonSerializer, responses=s.CaseSerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        """Undo a conclusion entered by mistake; the old outcome stays in the history."""
        return self._act(s.ReasonSerializer, lambda case, d, v: case_services.case_reopen(
            case=case, by=request.user, expected_version=v, reason=d["reason"],
        ))

    @extend_schema(request=s.ReasonSerializer, responses=s.CaseSerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def archive(self, request: Request, pk: str | None = None) -> Response:
        """Archive instead of delete: the case leaves lists and figures but is kept."""
        return self._act(s.ReasonSerializer, lambda case, d, v: case_services.case_archive(
            case=case, by=request.user, expected_version=v, reason=d["reason"],
        ))

    @extend_schema(request=s.ReasonSerializer, responses=s.CaseSerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def unarchive(self, request: Request, pk: str | None = None) -> Response:
        """Bring an archived case back."""
        return self._act(s.ReasonSerializer, lambda case, d, v: case_services.case_unarchive(
            case=case, by=request.user, expected_version=v, reason=d["reason"],
        ))


def _own_agency(user: Any) -> Agency:
    membership = getattr(user, "membership", None) if user.is_authenticated else None
    if membership is None:
        raise ValidationError({"agency": [_("请填写机关代码。")]})
    return membership.agency

