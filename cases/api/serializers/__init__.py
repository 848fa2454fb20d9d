"""Serializers of the API: read shapes, and input shapes that the views hand to the services.

Serializers never write: the views pass ``validated_data`` to the services of
cases/services/, which validate the domain rules again (full_clean) under a lock.
Every related id in the input is looked up within what the user may see, so an
id of another agency reads as "does not exist", exactly like a wrong id.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.choices import (
    AbsenceReason,
    DeadlineStatus,
    DeadlineUrgency,
    Ground,
    HearingKind,
    HearingStatus,
    Instance,
    JudgmentForm,
    Outcome,
)
from cases.deadline_text import days_left, days_left_text
from cases.models import Agency, Case, Deadline, Hearing, Membership, Suspension
from cases.people import person_name
from cases.services.calendar import rest_day_warning, workday_calendar
from cases.services.cases import EDITABLE_FIELDS
from cases.services.dates import window_error
from casetracker.outcomes import Bucket
from casetracker.periods import Duty, Unit

User = get_user_model()

# History keeps the change reason in a text column (settings:
# SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD); a reason is a few sentences at most.
REASON_MAX_LENGTH = 1000
TEXT_MAX_LENGTH = 10_000
MAX_ID = 2**31 - 1


def users_visible_to(user: Any) -> Any:
    return User.objects.filter(membership__in=Membership.objects.for_user(user))


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """An id looked up only among the objects ``scope(queryset, user)`` lets the user see."""

    def __init__(self, *, scope: Any, **kwargs: Any) -> None:
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        return self.scope(super().get_queryset(), getattr(request, "user", None))


class AgencyCodeField(serializers.SlugRelatedField):
    """An agency given by its code, among the agencies the user may see."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "code")
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Agency.objects.all())
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        return super().get_queryset().for_user(getattr(request, "user", None))

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str) or "\x00" in data or len(data) > 60:
            self.fail("invalid")
        return super().to_internal_value(data)


def _cases_of(qs: Any, user: Any) -> Any:
    return qs.for_user(user).active()


def _users_of(qs: Any, user: Any) -> Any:
    return users_visible_to(user)


class BoundedDateTimeField(serializers.DateTimeField):
    """A hearing time; one outside the services' sane window is refused with their message."""

    def to_internal_value(self, value: Any) -> dt.datetime:
        try:
            parsed = super().to_internal_value(value)
        except OverflowError:  # DRF's timezone handling of year 1 or 9999 near the edge
            parsed = dt.datetime.min
        # Refused before the service sees it: year 1 cannot even be converted to UTC.
        message = window_error(parsed, str(Hearing._meta.get_field("scheduled_at").verbose_name))
        if message:
            raise serializers.ValidationError(message)
        return parsed


class VersionInput(serializers.Serializer):
    """Every write may carry the version it started from; a stale one is refused (409)."""

    version = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, write_only=True,
        help_text="The record's version you edited (as in its ETag); a stale one gets 409 and saves nothing.",
    )


# ---------------------------------------------------------------- agencies and people


class AgencySerializer(serializers.ModelSerializer):
    parent = AgencyCodeField(read_only=True, allow_null=True)

    class Meta:
        model = Agency
        fields = ["id", "code", "name", "parent", "archived_at"]


class PersonSerializer(serializers.ModelSerializer):
    """A member of an agency; ``id`` is the user id used by cases and hearings."""

    id = serializers.IntegerField(source="user_id", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)
    name = serializers.SerializerMethodField()
    agency = AgencyCodeField(read_only=True)
    is_responsible_person = serializers.BooleanField(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "username", "name", "agency", "role", "leader_rank", "title", "phone", "is_responsible_person"]

    def get_name(self, obj: Membership) -> str:
        return person_name(obj.user)


# ---------------------------------------------------------------- cases


class DaysLeftMixin(serializers.Serializer):
    """days_left / days_left_text of an open deadline (cases.deadline_text), null once closed."""

    days_left = serializers.SerializerMethodField(
        help_text="Working days left for a working-day period, else days; negative: calendar days overdue."
    )
    days_left_text = serializers.SerializerMethodField(help_text="E.g. 还剩3个工作日 / 已逾期2天.")

    def _calendar(self) -> Any:
        # One calendar per response, shared by every row through the (root) context.
        if "workday_calendar" not in self.context:
            self.context["workday_calendar"] = workday_calendar()
        return self.context["workday_calendar"]

    def _days(self, deadline: Deadline, words: bool) -> Any:
        if deadline.status != DeadlineStatus.OPEN:
            return None
        func = days_left_text if words else days_left
        return func(deadline.rule, deadline.rule_version, deadline.due_on, timezone.localdate(), self._calendar())

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_days_left(self, deadline: Deadline) -> int | None:
        return self._days(deadline, words=False)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_days_left_text(self, deadline: Deadline) -> str | None:
        return self._days(deadline, words=True)


class OpenDeadlineSerializer(DaysLeftMixin, serializers.ModelSerializer):
    title = serializers.CharField(source="display_title", read_only=True)
    urgency = serializers.ChoiceField(choices=DeadlineUrgency.choices, read_only=True)
    basis = serializers.CharField(read_only=True, help_text="The law, the article and the period in words (D10).")

    class Meta:
        model = Deadline
        fields = [
            "id", "rule", "rule_version", "title", "due_on", "urgency", "days_left", "days_left_text", "basis",
            "provisional", "is_bureau_duty",
        ]


class HearingSummarySerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Hearings not cancelled.")
    held = serializers.IntegerField()
    leader_attended = serializers.BooleanField(help_text="A responsible person attended at least one held hearing.")
    next_id = serializers.IntegerField(allow_null=True)
    next_at = serializers.DateTimeField(allow_null=True)
    leader_arranged = serializers.BooleanField(
        allow_null=True, help_text="The next hearing has a leader arranged to attend (null without a next hearing)."
    )


class CaseSerializer(serializers.ModelSerializer):
    """A case as read: codes of D8, its open deadlines and a hearings summary."""

    agency = AgencyCodeField(read_only=True)
    instance = serializers.ChoiceField(
        source="litigation_instance", choices=Instance.choices, allow_blank=True, read_only=True
    )
    bucket = serializers.ChoiceField(
        choices=[(b.value, b.value) for b in Bucket], read_only=True,
        help_text="The outcome's yearly bucket (D3) as of today; pending while open.",
    )
    # Read-only model fields lose allow_blank in DRF; say so, or the schema forbids "".
    outcome = serializers.ChoiceField(choices=Outcome.choices, allow_blank=True, read_only=True)
    judgment_form = serializers.ChoiceField(choices=JudgmentForm.choices, allow_blank=True, read_only=True)
    handlers = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    deadlines = OpenDeadlineSerializer(source="open_deadlines", many=True, read_only=True)
    hearings = serializers.SerializerMethodField()

    class Meta:
        model = Case
        # Every editable fact (cases/services/cases.py), then the state the actions move.
        fields = [
            "id", "agency", "instance", *[f for f in EDITABLE_FIELDS if f != "litigation_instance"], "handlers",
            "status", "suspended_on", "outcome", "bucket", "concluded_on", "act_changed", "archived_at",
            "version", "created_at", "updated_at", "deadlines", "hearings",
        ]
        read_only_fields = fields

    @extend_schema_field(HearingSummarySerializer)
    def get_hearings(self, case: Case) -> dict[str, Any]:
        # Annotated by cases.api.views.cases.case_queryset (a list page: case_list.CaseRows).
        next_id = getattr(case, "next_hearing_id", None)
        return {
            "count": getattr(case, "hearings_count", 0) or 0,
            "held": getattr(case, "hearings_held", 0) or 0,
            "leader_attended": bool(getattr(case, "leader_attended", False)),
            "next_id": next_id,
            "next_at": serializers.DateTimeField().to_representation(case.next_hearing_at) if next_id else None,
            "leader_arranged": (case.next_hearing_leader_id is not None) if next_id else None,
        }


class SuspensionSerializer(serializers.ModelSerializer):
    """One 中止/恢复 pair; ``days`` is what it extends the court's or reviewing body's limit by."""

    days = serializers.IntegerField(read_only=True, help_text="Suspended days; 0 while not yet resumed.")

    class Meta:
        model = Suspension
        fields = ["suspended_on", "reason", "resumed_on", "resume_note", "days"]
        read_only_fields = fields


class CaseDetailSerializer(CaseSerializer):
    """One case (GET /api/cases/{id}/ and every action's answer): also the grounds of a correction
    or loss (D12) and every suspension. Lists leave them out to stay at their query budget; filter
    them with ``?ground=`` and ``?grounds_missing=true``."""

    grounds = serializers.SerializerMethodField()
    suspensions = SuspensionSerializer(many=True, read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "grounds", "suspensions"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Ground.choices)))
    def get_grounds(self, case: Case) -> list[str]:
        return [row.ground for row in case.grounds.all()]


class CaseWriteSerializer(VersionInput, serializers.ModelSerializer):
    """Input of POST/PUT/PATCH /api/cases/: the editable facts (status moves only by actions)."""

    agency = AgencyCodeField(
        required=False, help_text="Agency code; defaults to your own agency. Cannot change after creation."
    )
    instance = serializers.ChoiceField(
        source="litigation_instance", choices=Instance.choices, allow_blank=True, required=False,
        help_text="Litigation instance (first/second/retrial); required for litigation, empty for reconsideration.",
    )
    handlers = ScopedPrimaryKeyField(
        many=True, required=False, queryset=User.objects.all(), scope=_users_of,
        help_text="User ids of the handling staff (承办人); members of the case's agency.",
    )
    previous = ScopedPrimaryKeyField(
        required=False, allow_null=True, queryset=Case.objects.all(), scope=_cases_of,
        help_text="Id of the proceeding before this one in its chain.",
    )

    class Meta:
        model = Case
        fields = [
            "agency", "instance", "handlers", "version",
            *[f for f in EDITABLE_FIELDS if f not in ("litigation_instance", "previous")], "previous",
        ]
        extra_kwargs = {name: {"max_length": TEXT_MAX_LENGTH} for name in ("third_parties", "act_description", "notes")}
        # The unique case number is checked by the service's full_clean, under its lock.
        validators: list[Any] = []

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # The kind/instance pair and every other rule of a case are the service's
        # (case_validate); only what the service does not take at all is refused here.
        current = self.instance
        if current is not None and attrs.get("agency") not in (None, current.agency):
            raise serializers.ValidationError({"agency": _("案件不能转到其他机关。")})
        return attrs


class ConcludeSerializer(VersionInput):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    concluded_on = serializers.DateField()
    act_changed = serializers.BooleanField(
        default=False, help_text="Withdrawals only: the bureau changed or withdrew its act first (ALL 62)."
    )
    document_number = serializers.CharField(
        max_length=100, allow_blank=True, default="", help_text="Number of the decision or judgment."
    )
    cancel_hearings = serializers.BooleanField(
        default=False, help_text="Also cancel the case's hearings still scheduled or postponed.",
    )
    grounds = serializers.ListField(
        child=serializers.ChoiceField(choices=Ground.choices), default=list, max_length=len(Ground.choices),
        help_text="Grounds the reviewing body gave (D12); required for a corrected/lost outcome, empty otherwise.",
    )


class GroundsSerializer(VersionInput):
    grounds = serializers.ListField(
        child=serializers.ChoiceField(choices=Ground.choices), allow_empty=False, max_length=len(Ground.choices),
        help_text="Grounds the reviewing body gave (D12), e.g. for a case concluded before they were asked for.",
    )


class ReasonSerializer(VersionInput):
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH)


class OptionalReasonSerializer(VersionInput):
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH, allow_blank=True, default="")


class SuspendSerializer(ReasonSerializer):
    suspended_on = serializers.DateField(required=False, help_text="Defaults to today.")


class ResumeSerializer(OptionalReasonSerializer):
    resumed_on = serializers.DateField(required=False, help_text="Defaults to today.")


# ---------------------------------------------------------------- hearings


class HearingSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)
    agency = AgencyCodeField(source="case.agency", read_only=True)
    attending_staff = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    absence_reason = serializers.ChoiceField(choices=AbsenceReason.choices, allow_blank=True, read_only=True)
    absence_proof = serializers.SerializerMethodField(
        help_text="Download address of the proof; it checks the reader may see the case (media is never public).",
    )
    leader_attended = serializers.BooleanField(read_only=True)
    lawyer_only = serializers.BooleanField(read_only=True)
    warnings = serializers.SerializerMethodField(
        help_text="Non-blocking warnings about a scheduled hearing, e.g. it falls on a weekend or a statutory holiday.",
    )
    nobody_attended = serializers.BooleanField(
        read_only=True, help_text="我局无人出庭: held, and neither a responsible person nor own staff attended.",
    )

    class Meta:
        model = Hearing
        fields = [
            "id", "case", "case_number", "agency", "kind", "scheduled_at", "place", "status",
            "expected_leader", "bureau_appeared", "responsible_person", "attending_staff", "lawyer_names",
            "absence_reason", "absence_detail", "absence_proof", "notes", "recorded_by", "leader_attended",
            "lawyer_only", "nobody_attended", "warnings", "version", "created_at", "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_warnings(self, hearing: Hearing) -> list[str]:
        if hearing.status != HearingStatus.SCHEDULED:
            return []
        # One calendar per response, shared by every row through the (root) context.
        if "workday_calendar" not in self.context:
            self.context["workday_calendar"] = workday_calendar()
        warning = rest_day_warning(hearing.scheduled_at, self.context["workday_calendar"])
        return [warning] if warning else []

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_absence_proof(self, hearing: Hearing) -> str | None:
        if not hearing.absence_proof:
            return None
        path = reverse("api:hearing-proof", args=[hearing.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class HearingCreateSerializer(serializers.Serializer):
    case = ScopedPrimaryKeyField(queryset=Case.objects.all(), scope=_cases_of)
    kind = serializers.ChoiceField(choices=HearingKind.choices, default=HearingKind.COURT)
    scheduled_at = BoundedDateTimeField()
    place = serializers.CharField(max_length=200, allow_blank=True, default="")
    expected_leader = ScopedPrimaryKeyField(
        queryset=User.objects.all(), scope=_users_of, allow_null=True, default=None,
        help_text="User id of the responsible person (负责人) arranged to attend.",
    )
    notes = serializers.CharField(max_length=TEXT_MAX_LENGTH, allow_blank=True, default="")


class HearingUpdateSerializer(VersionInput):
    scheduled_at = BoundedDateTimeField()
    place = serializers.CharField(max_length=200, allow_blank=True, required=False)
    expected_leader = ScopedPrimaryKeyField(
        queryset=User.objects.all(), scope=_users_of, allow_null=True, required=False
    )
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH, allow_blank=True, required=False)


class HearingRecordSerializer(VersionInput):
    """Attendance (D7): a responsible person, or the reason and proof of their absence."""

    responsible_person = ScopedPrimaryKeyField(
        queryset=User.objects.all(), scope=_users_of, allow_null=True, default=None,
        help_text="User id of the responsible person who attended (SPC20 Art. 2).",
    )
    staff = ScopedPrimaryKeyField(
        many=True, queryset=User.objects.all(), scope=_users_of, required=False,
        help_text="User ids of the bureau's own staff who attended.",
    )
    lawyer_names = serializers.CharField(max_length=300, allow_blank=True, default="")
    absence_reason = serializers.ChoiceField(choices=AbsenceReason.choices, allow_blank=True, default="")
    absence_detail = serializers.CharField(max_length=TEXT_MAX_LENGTH, allow_blank=True, default="")
    absence_proof = serializers.FileField(
        required=False, allow_null=True, max_length=100,
        help_text="Proof of the leader's absence (SPC20 Art. 9); send as multipart/form-data.",
    )
    notes = serializers.CharField(max_length=TEXT_MAX_LENGTH, allow_blank=True, default="")


# ---------------------------------------------------------------- deadlines


class DeadlineSerializer(DaysLeftMixin, serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number", read_only=True)
    agency = AgencyCodeField(source="case.agency", read_only=True)
    title = serializers.CharField(source="display_title", read_only=True)
    urgency = serializers.SerializerMethodField()
    basis = serializers.CharField(read_only=True, help_text="The law, the article and the period in words (D10).")

    class Meta:
        model = Deadline
        fields = [
            "id", "case", "case_number", "agency", "rule", "rule_version", "title", "trigger_on", "due_on",
            "provisional",
            "is_bureau_duty", "status", "urgency", "days_left", "days_left_text", "basis", "closed_by", "closed_at",
            "close_note",
            "auto_closed", "overridden", "override_reason", "created_at", "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=DeadlineUrgency.choices, allow_null=True))
    def get_urgency(self, deadline: Deadline) -> str | None:
        return getattr(deadline, "urgency", None) if deadline.status == DeadlineStatus.OPEN else None


class DeadlineCreateSerializer(serializers.Serializer):
    case = ScopedPrimaryKeyField(queryset=Case.objects.all(), scope=_cases_of)
    title = serializers.CharField(max_length=200)
    due_on = serializers.DateField()
    is_bureau_duty = serializers.BooleanField(default=True)


class DeadlineNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=REASON_MAX_LENGTH, allow_blank=True, default="")


class DeadlineWaiveSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=REASON_MAX_LENGTH, help_text="Why the deadline no longer applies.")


# ---------------------------------------------------------------- deadline rules (D9)


class RuleVersionSerializer(serializers.Serializer):
    version = serializers.CharField()
    variant = serializers.CharField(help_text="Parallel variants of one rule, e.g. procuratorial / judicial.")
    valid_from = serializers.DateField(allow_null=True, help_text="First trigger day it applies to (null: no bound).")
    valid_until = serializers.DateField(allow_null=True, help_text="Last trigger day it applies to (null: in force).")
    length = serializers.IntegerField(allow_null=True, help_text="null: the deciding document sets the period.")
    unit = serializers.ChoiceField(choices=[(u.value, u.value) for u in Unit])
    set_by_document = serializers.BooleanField()
    law = serializers.CharField()
    articles = serializers.CharField()
    basis = serializers.CharField()
    basis_en = serializers.CharField()


class RuleSerializer(serializers.Serializer):
    code = serializers.CharField()
    length = serializers.IntegerField(allow_null=True, help_text="The version in force today.")
    unit = serializers.ChoiceField(choices=[(u.value, u.value) for u in Unit])
    trigger = serializers.CharField()
    trigger_zh = serializers.CharField()
    duty = serializers.ChoiceField(choices=[(d.value, d.value) for d in Duty])
    is_bureau_duty = serializers.BooleanField()
    basis = serializers.CharField()
    title_zh = serializers.CharField()
    title_en = serializers.CharField()
    versions = RuleVersionSerializer(many=True, help_text="D10: each version and the trigger days it applies to.")


class ComputeQuerySerializer(serializers.Serializer):
    trigger = serializers.DateField(help_text="The trigger day, YYYY-MM-DD (not counted, CPL 85).")


class ComputedPeriodSerializer(serializers.Serializer):
    rule = serializers.CharField()
    version = serializers.CharField(help_text="The version in force on the trigger day (D10).")
    trigger = serializers.DateField()
    due = serializers.DateField()
    provisional = serializers.BooleanField(help_text="A year on the way has no official calendar yet (D6).")
    basis = serializers.CharField()


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)

