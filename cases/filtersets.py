"""One FilterSet per resource (NetBox style), each with a ``q`` search.

Shared by the API lists and the pages (NetBox's ``filtersets.py`` serves both
``views.py`` and ``api/views.py``): the ledger runs CaseFilterSet too, so a
filter added here works in ``/api/cases/`` and on the ledger at once.

tests/api/test_filtersets.py fails when a model field users filter on has no
filter here, so a new field gets a filter or an explicit reason not to.
Multi-valued filters repeat the parameter: ``?status=pending&status=suspended``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from cases.choices import (
    RULE_CHOICES,
    AbsenceReason,
    DeadlineStatus,
    DeadlineUrgency,
    FollowUpStatus,
    FollowUpType,
    Ground,
    HearingKind,
    HearingStatus,
    Instance,
    JudgmentForm,
    Kind,
    LeaderRank,
    Outcome,
    Procedure,
    Role,
    Status,
    Subject,
)
from cases.models import Agency, Case, Deadline, FollowUp, Hearing, Membership, Notification, YearlyReport
from cases.querysets.cases import bucket_expression, next_deadlines
from casetracker.outcomes import Bucket

MAX_ID = 2**31 - 1


class IntegerFilter(filters.NumberFilter):
    """An integer filter (NumberFilter takes decimals); bounds keep the database happy."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.DATE)
class MethodDateFilter(filters.DateFilter):
    """A date filter computed by a method: the schema cannot infer its type from a model field."""


@extend_schema_field(OpenApiTypes.BOOL)
class MethodBooleanFilter(filters.BooleanFilter):
    """A true/false filter computed by a method (typed in the schema like a model field's)."""


def _visible_agencies(request: Any) -> Any:
    return Agency.objects.for_user(getattr(request, "user", None))


@extend_schema_field(OpenApiTypes.STR)
class AgencyCodeFilter(filters.ModelMultipleChoiceFilter):
    """Agencies by code, among those the user may see; an unknown or hidden code is a 400."""


def _agency_filter(field_name: str) -> AgencyCodeFilter:
    return AgencyCodeFilter(
        field_name=field_name, to_field_name="code", queryset=_visible_agencies,
        label="Agency code (repeat for several)",
    )


def _search_term(value: str) -> str:
    return value.strip()[:200]


_YEAR_BOUNDS = {"min_value": 1990, "max_value": 2100}


class CaseFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", label="Search number, parties, the contested act, reviewing body")
    kind = filters.MultipleChoiceFilter(choices=Kind.choices)
    instance = filters.MultipleChoiceFilter(field_name="litigation_instance", choices=Instance.choices)
    procedure = filters.MultipleChoiceFilter(choices=Procedure.choices)
    status = filters.MultipleChoiceFilter(choices=Status.choices)
    outcome = filters.MultipleChoiceFilter(choices=Outcome.choices)
    subject = filters.MultipleChoiceFilter(choices=Subject.choices)
    judgment_form = filters.MultipleChoiceFilter(choices=JudgmentForm.choices)
    bucket = filters.MultipleChoiceFilter(
        choices=[(b.value, b.value) for b in Bucket], method="filter_bucket",
        label="Bucket (D3); with year, as at that year's end (D2)",
    )
    agency = _agency_filter("agency__code")
    handler = IntegerFilter(field_name="handlers", label="User id of a handler")
    previous = IntegerFilter(field_name="previous")
    number = filters.CharFilter(lookup_expr="icontains")
    number_year = IntegerFilter(**_YEAR_BOUNDS)
    reviewing_body = filters.CharFilter(lookup_expr="icontains")
    applicant = filters.CharFilter(lookup_expr="icontains")
    act_document_number = filters.CharFilter(lookup_expr="icontains")
    decision_number = filters.CharFilter(lookup_expr="icontains")
    co_defendant = filters.BooleanFilter()
    decision_extended = filters.BooleanFilter()
    act_changed = filters.BooleanFilter()
    archived = filters.BooleanFilter(field_name="archived_at", lookup_expr="isnull", exclude=True,
                                     label="Archived cases (lists leave them out unless asked)")
    year = IntegerFilter(method="filter_year", label="Handled in year (D2)", **_YEAR_BOUNDS)
    received_after = filters.DateFilter(field_name="received_on", lookup_expr="gte")
    received_before = filters.DateFilter(field_name="received_on", lookup_expr="lte")
    accepted_after = filters.DateFilter(field_name="accepted_on", lookup_expr="gte")
    accepted_before = filters.DateFilter(field_name="accepted_on", lookup_expr="lte")
    act_after = filters.DateFilter(field_name="act_date", lookup_expr="gte")
    act_before = filters.DateFilter(field_name="act_date", lookup_expr="lte")
    concluded_after = filters.DateFilter(field_name="concluded_on", lookup_expr="gte")
    concluded_before = filters.DateFilter(field_name="concluded_on", lookup_expr="lte")
    suspended_after = filters.DateFilter(field_name="suspended_on", lookup_expr="gte")
    suspended_before = filters.DateFilter(field_name="suspended_on", lookup_expr="lte")
    updated_after = filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte",
                                              label="Changed at or after (for syncing)")
    created_after = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    has_overdue_deadline = MethodBooleanFilter(
        method="filter_overdue", label="Has an open bureau deadline past due (CaseQuerySet.overdue)"
    )
    due_before = MethodDateFilter(method="filter_due", label="Next open bureau deadline due on or before")
    due_after = MethodDateFilter(method="filter_due", label="Next open bureau deadline due on or after")
    hearing_after = MethodDateFilter(method="filter_hearing", label="Has a hearing on or after")
    hearing_before = MethodDateFilter(method="filter_hearing", label="Has a hearing on or before")
    ground = filters.MultipleChoiceFilter(field_name="grounds__ground", choices=Ground.choices, distinct=True,
                                          label="Ground of a correction or loss (D12)")
    grounds_missing = MethodBooleanFilter(method="filter_grounds_missing",
                                          label="Concluded as corrected/lost without grounds (D12)")
    leader_attended = MethodBooleanFilter(
        method="filter_leader_attended",
        label="true: a responsible person attended a held hearing; false: hearings held, none attended by one",
    )

    class Meta:
        model = Case
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.search(_search_term(value))  # type: ignore[attr-defined]

    def filter_year(self, queryset: QuerySet[Case], name: str, value: int) -> QuerySet[Case]:
        return queryset.handled_in(int(value))  # type: ignore[attr-defined]

    def filter_bucket(self, queryset: QuerySet[Case], name: str, value: list[str]) -> QuerySet[Case]:
        if not value:
            return queryset
        year = self.form.cleaned_data.get("year")
        return queryset.alias(filter_bucket=bucket_expression(int(year) if year else None)).filter(
            filter_bucket__in=value
        )

    def filter_overdue(self, queryset: QuerySet[Case], name: str, value: bool | None) -> QuerySet[Case]:
        if value is None:
            return queryset
        return queryset.overdue() if value else queryset.not_overdue()  # type: ignore[attr-defined]

    def filter_due(self, queryset: QuerySet[Case], name: str, value: dt.date | None) -> QuerySet[Case]:
        if value is None:
            return queryset
        next_due = next_deadlines().values("due_on")[:1]
        lookup = "lte" if name == "due_before" else "gte"
        return queryset.alias(next_due_on=Subquery(next_due)).filter(**{f"next_due_on__{lookup}": value})

    def filter_hearing(self, queryset: QuerySet[Case], name: str, value: dt.date | None) -> QuerySet[Case]:
        if value is None:
            return queryset
        lookup = "lte" if name == "hearing_before" else "gte"
        hearings = Hearing.objects.filter(case=OuterRef("pk"), archived_at__isnull=True).exclude(
            status=HearingStatus.CANCELLED
        )
        return queryset.filter(Exists(hearings.filter(**{f"scheduled_at__date__{lookup}": value})))

    def filter_grounds_missing(self, queryset: QuerySet[Case], name: str, value: bool | None) -> QuerySet[Case]:
        if value is None:
            return queryset
        missing = Case.objects.grounds_missing().values("pk")  # type: ignore[attr-defined]
        return queryset.filter(pk__in=missing) if value else queryset.exclude(pk__in=missing)

    def filter_leader_attended(self, queryset: QuerySet[Case], name: str, value: bool | None) -> QuerySet[Case]:
        if value is None:
            return queryset
        held = Hearing.objects.filter(case=OuterRef("pk"), archived_at__isnull=True, status=HearingStatus.HELD)
        attended = Exists(held.filter(responsible_person__isnull=False))
        return queryset.filter(attended) if value else queryset.filter(Exists(held), ~attended)


class HearingFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", label="Search case number, applicant, place, lawyers")
    case = IntegerFilter()
    agency = _agency_filter("case__agency__code")
    kind = filters.MultipleChoiceFilter(choices=HearingKind.choices)
    status = filters.MultipleChoiceFilter(choices=HearingStatus.choices)
    absence_reason = filters.MultipleChoiceFilter(choices=AbsenceReason.choices)
    scheduled_after = filters.DateFilter(field_name="scheduled_at", lookup_expr="date__gte")
    scheduled_before = filters.DateFilter(field_name="scheduled_at", lookup_expr="date__lte")
    place = filters.CharFilter(lookup_expr="icontains")
    lawyer_names = filters.CharFilter(lookup_expr="icontains")
    expected_leader = IntegerFilter()
    responsible_person = IntegerFilter()
    attending_staff = IntegerFilter()
    recorded_by = IntegerFilter()
    bureau_appeared = filters.BooleanFilter()
    leader_attended = filters.BooleanFilter(field_name="responsible_person", lookup_expr="isnull", exclude=True)
    needs_record = MethodBooleanFilter(method="filter_needs_record", label="Past hearings still to be recorded")
    archived = filters.BooleanFilter(field_name="archived_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Hearing
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet[Hearing], name: str, value: str) -> QuerySet[Hearing]:
        term = _search_term(value)
        if not term:
            return queryset
        return queryset.filter(
            Q(case__number__icontains=term) | Q(case__applicant__icontains=term)
            | Q(place__icontains=term) | Q(lawyer_names__icontains=term)
        )

    def filter_needs_record(self, queryset: QuerySet[Hearing], name: str, value: bool | None) -> QuerySet[Hearing]:
        if value is None:
            return queryset
        needing = Hearing.objects.needing_record().values("pk")
        return queryset.filter(pk__in=needing) if value else queryset.exclude(pk__in=needing)


class DeadlineFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", label="Search title and case number")
    case = IntegerFilter()
    agency = _agency_filter("case__agency__code")
    rule = filters.MultipleChoiceFilter(choices=RULE_CHOICES)
    rule_version = filters.CharFilter(label="The law version a deadline was computed under, e.g. ARL-1999 (D10)")
    follow_up = IntegerFilter(label="Id of the follow-up letter the deadline answers")
    status = filters.MultipleChoiceFilter(choices=DeadlineStatus.choices)
    urgency = filters.ChoiceFilter(choices=DeadlineUrgency.choices, method="filter_urgency",
                                   label="Urgency level of open deadlines")
    is_bureau_duty = filters.BooleanFilter()
    provisional = filters.BooleanFilter()
    overridden = filters.BooleanFilter()
    auto_closed = filters.BooleanFilter()
    closed_by = IntegerFilter()
    due_after = filters.DateFilter(field_name="due_on", lookup_expr="gte")
    due_before = filters.DateFilter(field_name="due_on", lookup_expr="lte")
    trigger_after = filters.DateFilter(field_name="trigger_on", lookup_expr="gte")
    trigger_before = filters.DateFilter(field_name="trigger_on", lookup_expr="lte")
    closed_after = filters.IsoDateTimeFilter(field_name="closed_at", lookup_expr="gte")
    closed_before = filters.IsoDateTimeFilter(field_name="closed_at", lookup_expr="lte")

    class Meta:
        model = Deadline
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet[Deadline], name: str, value: str) -> QuerySet[Deadline]:
        term = _search_term(value)
        if not term:
            return queryset
        return queryset.filter(Q(title__icontains=term) | Q(case__number__icontains=term))

    def filter_urgency(self, queryset: QuerySet[Deadline], name: str, value: str) -> QuerySet[Deadline]:
        # The list queryset is already annotated with ``urgency`` (cases.api.views.deadlines).
        return queryset.filter(status=DeadlineStatus.OPEN, urgency=value) if value else queryset


class AgencyFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", label="Search name and code")
    code = filters.CharFilter()
    name = filters.CharFilter(lookup_expr="icontains")
    parent = filters.CharFilter(field_name="parent__code", label="Code of the parent agency")
    archived = filters.BooleanFilter(field_name="archived_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Agency
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet[Agency], name: str, value: str) -> QuerySet[Agency]:
        term = _search_term(value)
        return queryset.filter(Q(name__icontains=term) | Q(code__icontains=term)) if term else queryset


class PersonFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", label="Search name, username, title")
    agency = _agency_filter("agency__code")
    role = filters.MultipleChoiceFilter(choices=Role.choices)
    leader_rank = filters.MultipleChoiceFilter(choices=LeaderRank.choices)
    title = filters.CharFilter(lookup_expr="icontains")
    phone = filters.CharFilter(lookup_expr="icontains")
    responsible_person = MethodBooleanFilter(method="filter_responsible",
                                               label="Counts as a responsible person (SPC20 Art. 2)")

    class Meta:
        model = Membership
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet[Membership], name: str, value: str) -> QuerySet[Membership]:
        term = _search_term(value)
        if not term:
            return queryset
        return queryset.filter(
            Q(user__username__icontains=term) | Q(user__first_name__icontains=term)
            | Q(user__last_name__icontains=term) | Q(title__icontains=term)
        )

    def filter_responsible(self, queryset: QuerySet[Membership], name: str, value: bool | None) -> QuerySet[Membership]:
        if value is None:
            return queryset
        responsible = Membership.objects.responsible_persons().values("pk")
        return queryset.filter(pk__in=responsible) if value else queryset.exclude(pk__in=responsible)


class ReportFilterSet(filters.FilterSet):
    agency = filters.CharFilter(field_name="agency__code")

    class Meta:
        model = YearlyReport
        fields = ["agency", "year", "kind"]


class NotificationFilterSet(filters.FilterSet):
    unread = filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label=_("仅未读"))

    class Meta:
        model = Notification
        fields = ["unread", "case"]


class FollowUpFilterSet(filters.FilterSet):
    """Follow-up letters (检察建议, 司法建议, 意见书); the 跟进事项 page uses the same filters."""

    q = filters.CharFilter(method="filter_q", label="Search document number, issuing body, summary, case number")
    agency = _agency_filter("agency__code")
    case = IntegerFilter()
    type = filters.MultipleChoiceFilter(choices=FollowUpType.choices)
    status = filters.MultipleChoiceFilter(choices=FollowUpStatus.choices)
    overdue = MethodBooleanFilter(method="filter_overdue", label="Still unanswered after the reply deadline")
    issuing_body = filters.CharFilter(lookup_expr="icontains")
    document_number = filters.CharFilter(lookup_expr="icontains")
    reply_document_number = filters.CharFilter(lookup_expr="icontains")
    due_given = filters.BooleanFilter(label="The letter set its own reply period")
    provisional = filters.BooleanFilter()
    received_after = filters.DateFilter(field_name="received_on", lookup_expr="gte")
    received_before = filters.DateFilter(field_name="received_on", lookup_expr="lte")
    due_after = filters.DateFilter(field_name="due_on", lookup_expr="gte")
    due_before = filters.DateFilter(field_name="due_on", lookup_expr="lte")
    answered_after = filters.DateFilter(field_name="answered_on", lookup_expr="gte")
    answered_before = filters.DateFilter(field_name="answered_on", lookup_expr="lte")
    year = IntegerFilter(method="filter_year", label="Received in year", **_YEAR_BOUNDS)
    archived = filters.BooleanFilter(field_name="archived_at", lookup_expr="isnull", exclude=True,
                                     label="Archived follow-ups (lists leave them out unless asked)")
    updated_after = filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    created_after = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")

    class Meta:
        model = FollowUp
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet[FollowUp], name: str, value: str) -> QuerySet[FollowUp]:
        term = _search_term(value)
        if not term:
            return queryset
        return queryset.filter(
            Q(document_number__icontains=term) | Q(issuing_body__icontains=term) | Q(summary__icontains=term)
            | Q(case__number__icontains=term) | Q(reply_document_number__icontains=term)
        )

    def filter_overdue(self, queryset: QuerySet[FollowUp], name: str, value: bool | None) -> QuerySet[FollowUp]:
        if value is None:
            return queryset
        return queryset.overdue() if value else queryset.not_overdue()  # type: ignore[attr-defined]

    def filter_year(self, queryset: QuerySet[FollowUp], name: str, value: int) -> QuerySet[FollowUp]:
        return queryset.filter(received_on__year=int(value))
