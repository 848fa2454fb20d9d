"""API viewsets: reads scoped to the user's agencies, writes through the services.

Every ``get_queryset()`` starts from ``for_user(user)``, so another agency's
object is a 404 for every method, actions included. Writes on versioned records
accept ``If-Match: "<version>"`` (stale -> 412) or a ``version`` field (stale ->
409); both are checked under the row lock the service then works under.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken as BaseObtainAuthToken
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from cases.api import serializers as s
from cases.api.errors import ErrorSerializer, PreconditionFailed
from cases.api.filtersets import AgencyFilterSet, CaseFilterSet, DeadlineFilterSet, HearingFilterSet, PersonFilterSet
from cases.api.permissions import AgencyScopedPermission
from cases.choices import HearingStatus
from cases.models import Agency, Case, Deadline, Hearing, Membership
from cases.services import cases as case_services
from cases.services import deadlines as deadline_services
from cases.services import hearings as hearing_services
from casetracker.periods import RULES

User = get_user_model()
T = TypeVar("T")

IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description='The ETag of the version you edited, e.g. "3"; a stale one gets 412 and saves nothing.',
)


# ---------------------------------------------------------------- querysets (one query per page each)


def case_queryset(user: Any) -> QuerySet[Case]:
    """Cases the user may read, with the bucket, open deadlines and a hearings summary.

    The summary is computed by correlated subqueries and the deadlines by one
    prefetch, so a page of 200 cases costs the same queries as a page of one.
    """
    hearings = Hearing.objects.filter(case=OuterRef("pk"), archived_at__isnull=True)
    not_cancelled = hearings.exclude(status=HearingStatus.CANCELLED)
    held = hearings.filter(status=HearingStatus.HELD)
    upcoming = hearings.filter(status=HearingStatus.SCHEDULED, scheduled_at__gte=timezone.now()).order_by(
        "scheduled_at", "id"
    )

    def count(qs: QuerySet[Hearing]) -> Coalesce:
        counted = qs.order_by().values("case").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))

    return (
        Case.objects.for_user(user)
        .with_bucket()
        .select_related("agency")
        .annotate(
            hearings_count=count(not_cancelled),
            hearings_held=count(held),
            leader_attended=Exists(held.filter(responsible_person__isnull=False)),
            next_hearing_id=Subquery(upcoming.values("id")[:1]),
            next_hearing_at=Subquery(upcoming.values("scheduled_at")[:1]),
            next_hearing_leader_id=Subquery(upcoming.values("expected_leader")[:1]),
        )
        .prefetch_related(
            Prefetch("handlers", queryset=User.objects.only("id")),
            Prefetch(
                "deadlines",
                queryset=Deadline.objects.open().with_urgency().order_by("due_on", "id"),
                to_attr="open_deadlines",
            ),
        )
    )


# ---------------------------------------------------------------- shared behaviour


class ScopedViewSet(viewsets.GenericViewSet):
    """Token first, so a script without credentials gets 401 with WWW-Authenticate.

    The URL takes any lookup value, so a malformed one is this API's JSON 404
    (not the HTML page of the site), and it never reaches the database.
    """

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [AgencyScopedPermission]
    lookup_pattern = re.compile(r"[0-9]{1,10}")

    def lookup_value(self) -> str:
        value = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        if not self.lookup_pattern.fullmatch(value) or (value.isdigit() and int(value) > s.MAX_ID):
            raise Http404
        return value

    def get_object(self) -> Any:
        self.lookup_value()
        return super().get_object()


def _if_match_versions(header: str) -> set[int] | None:
    """The versions an If-Match header names; None for ``*`` (any version)."""
    versions: set[int] = set()
    for tag in header.split(","):
        tag = tag.strip()
        if tag == "*":
            return None
        tag = tag.removeprefix("W/").strip('"')
        if tag.isdigit() and len(tag) < 12:
            versions.add(int(tag))
    return versions  # empty when malformed: matches nothing, so 412


@contextmanager
def renamed_errors(names: dict[str, str]) -> Iterator[None]:
    """Report service errors under the API's field names (e.g. litigation_instance -> instance)."""
    try:
        yield
    except DjangoValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise DjangoValidationError(
            {names.get(field, field): errors for field, errors in exc.error_dict.items()}
        ) from None


class VersionedWrites:
    """Check If-Match and ``version`` under a row lock, then let the service write."""

    request: Request

    def guarded(self, obj: Any, body_version: int | None, write: Callable[[], T]) -> T:
        header = self.request.headers.get("If-Match")
        if not hasattr(obj, "version"):
            return write()
        with transaction.atomic():
            # select_for_update keeps the row locked until the service's own lock and save.
            locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
            if header is not None:
                versions = _if_match_versions(header)
                if versions is not None and locked.version not in versions:
                    raise PreconditionFailed(locked.version)
            if body_version is not None and body_version != locked.version:
                from cases.errors import StaleVersion

                raise StaleVersion(locked.version)
            return write()

    @staticmethod
    def with_etag(response: Response, obj: Any) -> Response:
        if hasattr(obj, "version"):
            response["ETag"] = f'"{obj.version}"'
        return response


def _input(serializer_class: type[Any], request: Request, **kwargs: Any) -> dict[str, Any]:
    serializer = serializer_class(data=request.data, context={"request": request}, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# ---------------------------------------------------------------- agencies and people


class AgencyViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Agencies you may see: your own and, for leaders and viewers, those below it."""

    queryset = Agency.objects.select_related("parent")
    serializer_class = s.AgencySerializer
    filterset_class = AgencyFilterSet
    lookup_field = "code"
    lookup_pattern = re.compile(r"[-a-zA-Z0-9_]{1,60}")
    ordering_fields = ["code", "name", "id"]

    def get_queryset(self) -> QuerySet[Agency]:
        return super().get_queryset().for_user(self.request.user)


@extend_schema_view(
    retrieve=extend_schema(parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH,
                                                        description="User id")]),
)
class PersonViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Members of the agencies you may see, with role and leader rank; ``id`` is the user id."""

    queryset = Membership.objects.select_related("user", "agency").order_by("agency__code", "user__username")
    serializer_class = s.PersonSerializer
    filterset_class = PersonFilterSet
    lookup_field = "user_id"
    lookup_url_kwarg = "id"
    ordering_fields = ["user__username", "role", "leader_rank", "agency__code"]

    def get_queryset(self) -> QuerySet[Membership]:
        return super().get_queryset().for_user(self.request.user)


# ---------------------------------------------------------------- cases

_CASE_FIELD_NAMES = {"litigation_instance": "instance"}


@extend_schema_view(
    create=extend_schema(request=s.CaseWriteSerializer, responses={201: s.CaseSerializer}),
    update=extend_schema(request=s.CaseWriteSerializer, responses=s.CaseSerializer, parameters=[IF_MATCH]),
    partial_update=extend_schema(request=s.CaseWriteSerializer, responses=s.CaseSerializer, parameters=[IF_MATCH]),
)
class CaseViewSet(
    VersionedWrites, ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin,
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
        queryset = case_queryset(self.request.user)
        if self.action == "list" and "archived" not in self.request.query_params:
            queryset = queryset.active()
        return queryset

    def _respond(self, case: Case, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=case.pk)
        response = Response(self.get_serializer(fresh).data, status=code)
        return self.with_etag(response, fresh)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._respond(self.get_object())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = _input(s.CaseWriteSerializer, request)
        data.pop("version", None)
        agency = data.pop("agency", None) or _own_agency(request.user)
        handlers = data.pop("handlers", ())
        _check_handlers(handlers, agency.pk)
        with renamed_errors(_CASE_FIELD_NAMES):
            case = case_services.case_create(agency=agency, by=request.user, handlers=handlers, **data)
        return self._respond(case, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, partial: bool = False, **kwargs: Any) -> Response:
        case = self.get_object()
        data = _input(s.CaseWriteSerializer, request, instance=case, partial=partial)
        version = data.pop("version", None)
        data.pop("agency", None)
        handlers = data.pop("handlers", None)
        if handlers is not None:
            _check_handlers(handlers, case.agency_id)

        def write() -> Case:
            with renamed_errors(_CASE_FIELD_NAMES):
                return case_services.case_update(case=case, by=request.user, data=data, handlers=handlers)

        return self._respond(self.guarded(case, version, write))

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    def _act(self, serializer_class: type[Any], call: Callable[[Case, dict[str, Any]], Case],
             names: dict[str, str] | None = None) -> Response:
        case = self.get_object()
        data = _input(serializer_class, self.request)
        version = data.pop("version", None)

        def write() -> Case:
            with renamed_errors(names or _CASE_FIELD_NAMES):
                return call(case, data)

        return self._respond(self.guarded(case, version, write))

    @extend_schema(request=s.ConcludeSerializer, responses=s.CaseSerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def conclude(self, request: Request, pk: str | None = None) -> Response:
        """Record how the proceeding ended (D8 outcome code, conclusion date)."""
        return self._act(s.ConcludeSerializer, lambda case, d: case_services.case_conclude(
            case=case, by=request.user, outcome=d["outcome"], concluded_on=d["concluded_on"],
            act_changed=d["act_changed"], decision_number=d["document_number"],
        ), names={"decision_number": "document_number"})

    @extend_schema(request=s.SuspendSerializer, responses=s.CaseSerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def suspend(self, request: Request, pk: str | None = None) -> Response:
        """中止: the case stays pending in the figures (D2)."""
        return self._act(s.SuspendSerializer, lambda case, d: case_services.case_suspend(
            case=case, by=request.user, reason=d["reason"], suspended_on=d.get("suspended_on"),
        ))

    @extend_schema(request=s.OptionalReasonSerializer, responses=s.CaseSerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: str | None = None) -> Response:
        """Resume a suspended case (恢复审理)."""
        return self._act(s.OptionalReasonSerializer, lambda case, d: case_services.case_resume(
            case=case, by=request.user, reason=d["reason"],
        ))

    @extend_schema(request=s.ReasonSerializer, responses=s.CaseSerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        """Undo a conclusion entered by mistake; the old outcome stays in the history."""
        return self._act(s.ReasonSerializer, lambda case, d: case_services.case_reopen(
            case=case, by=request.user, reason=d["reason"],
        ))

    @extend_schema(request=s.ReasonSerializer, responses=s.CaseSerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def archive(self, request: Request, pk: str | None = None) -> Response:
        """Archive instead of delete: the case leaves lists and figures but is kept."""
        return self._act(s.ReasonSerializer, lambda case, d: case_services.case_archive(
            case=case, by=request.user, reason=d["reason"],
        ))

    @extend_schema(request=s.ReasonSerializer, responses=s.CaseSerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def unarchive(self, request: Request, pk: str | None = None) -> Response:
        """Bring an archived case back."""
        return self._act(s.ReasonSerializer, lambda case, d: case_services.case_unarchive(
            case=case, by=request.user, reason=d["reason"],
        ))


def _own_agency(user: Any) -> Agency:
    membership = getattr(user, "membership", None) if user.is_authenticated else None
    if membership is None:
        raise ValidationError({"agency": [_("请填写机关代码。")]})
    return membership.agency


def _check_handlers(handlers: Any, agency_id: int) -> None:
    ids = {user.pk for user in handlers}
    if ids and Membership.objects.filter(user_id__in=ids, agency_id=agency_id).count() != len(ids):
        raise ValidationError({"handlers": [_("承办人必须是该机关的工作人员。")]})


# ---------------------------------------------------------------- hearings


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
        data = _input(s.HearingCreateSerializer, request)
        hearing = hearing_services.hearing_schedule(by=request.user, **data)
        return self._respond(hearing, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, partial: bool = False, **kwargs: Any) -> Response:
        hearing = self.get_object()
        data = _input(s.HearingUpdateSerializer, request, partial=partial)
        version = data.pop("version", None)
        leader = data.pop("expected_leader", ...)

        def write() -> Hearing:
            return hearing_services.hearing_reschedule(
                hearing=hearing, by=request.user, expected_leader=leader, **data
            )

        return self._respond(self.guarded(hearing, version, write))

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    def _act(self, serializer_class: type[Any], call: Callable[[Hearing, dict[str, Any]], Hearing]) -> Response:
        hearing = self.get_object()
        data = _input(serializer_class, self.request)
        version = data.pop("version", None)
        return self._respond(self.guarded(hearing, version, lambda: call(hearing, data)))

    @extend_schema(request={"application/json": s.HearingRecordSerializer,
                            "multipart/form-data": s.HearingRecordSerializer},
                   responses=s.HearingSerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def record(self, request: Request, pk: str | None = None) -> Response:
        """Record that the hearing was held and who of the bureau attended (D7)."""
        return self._act(s.HearingRecordSerializer, lambda hearing, d: hearing_services.hearing_record(
            hearing=hearing, by=request.user, responsible_person=d["responsible_person"],
            staff=d.get("staff", ()), lawyer_names=d["lawyer_names"], absence_reason=d["absence_reason"],
            absence_detail=d["absence_detail"], absence_proof=d.get("absence_proof"), notes=d["notes"],
        ))

    @extend_schema(request=s.ReasonSerializer, responses=s.HearingSerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def postpone(self, request: Request, pk: str | None = None) -> Response:
        return self._act(s.ReasonSerializer, lambda hearing, d: hearing_services.hearing_postpone(
            hearing=hearing, by=request.user, reason=d["reason"],
        ))

    @extend_schema(request=s.ReasonSerializer, responses=s.HearingSerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        return self._act(s.ReasonSerializer, lambda hearing, d: hearing_services.hearing_cancel(
            hearing=hearing, by=request.user, reason=d["reason"],
        ))


# ---------------------------------------------------------------- deadlines


@extend_schema_view(create=extend_schema(request=s.DeadlineCreateSerializer, responses={201: s.DeadlineSerializer}))
class DeadlineViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Deadlines of cases (D9 and manual). Deadlines carry no version: their moves are one-way."""

    queryset = Deadline.objects.select_related("case__agency")
    serializer_class = s.DeadlineSerializer
    filterset_class = DeadlineFilterSet
    ordering_fields = ["id", "due_on", "trigger_on", "status", "rule", "updated_at"]

    def get_queryset(self) -> QuerySet[Deadline]:
        return super().get_queryset().for_user(self.request.user).with_urgency()

    def _respond(self, deadline: Deadline, code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=deadline.pk)).data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = _input(s.DeadlineCreateSerializer, request)
        deadline = deadline_services.deadline_add_manual(by=request.user, **data)
        return self._respond(deadline, status.HTTP_201_CREATED)

    @extend_schema(request=s.DeadlineNoteSerializer, responses=s.DeadlineSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        """The duty was done in time (status met)."""
        deadline = self.get_object()
        data = _input(s.DeadlineNoteSerializer, request)
        return self._respond(deadline_services.deadline_complete(deadline=deadline, by=request.user, note=data["note"]))

    @extend_schema(request=s.DeadlineWaiveSerializer, responses=s.DeadlineSerializer)
    @action(detail=True, methods=["post"])
    def waive(self, request: Request, pk: str | None = None) -> Response:
        """The deadline no longer applies (status waived); the note says why."""
        deadline = self.get_object()
        data = _input(s.DeadlineWaiveSerializer, request)
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


# ---------------------------------------------------------------- token


@extend_schema(request=AuthTokenSerializer, responses={200: s.TokenSerializer, 400: ErrorSerializer}, auth=[])
class ObtainAuthToken(BaseObtainAuthToken):
    """POST username and password, get ``{"token": ...}``; send it as ``Authorization: Token <token>``."""

    parser_classes = [JSONParser, FormParser, MultiPartParser]
