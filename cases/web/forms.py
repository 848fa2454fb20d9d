"""Forms of the pages. They only clean input; every write goes through cases/services/."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from cases.choices import AbsenceReason, Attendance, Ground, HearingKind, HearingStatus, Procedure, Status
from cases.choices.defence import DocumentKind
from cases.models import Agency, Case, Hearing, Membership
from cases.permissions import writable_agency_ids
from cases.services.cases import EDITABLE_FIELDS, KIND_FIELDS, open_hearings
from cases.services.dates import window_error
from cases.services.deadlines import simplified_procedure_available
from cases.services.hearings import hearing_kinds_for
from cases.uploads import DOCUMENT_TYPES, accept_attribute, allowed_list
from cases.web.templatetags.casetracker_web import outcome_label, person
from casetracker.followups import needs_grounds
from casetracker.outcomes import WITHDRAWAL_OUTCOMES, outcome_in_force, outcome_in_force_between, outcomes_for

User = get_user_model()

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MAX_ID = 2**31 - 1
HEARING_TIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def people(queryset: Any) -> Any:
    return queryset.order_by("last_name", "first_name", "username")


def agency_people(agency_id: int) -> Any:
    return people(User.objects.filter(membership__agency_id=agency_id, is_active=True))


def responsible_people(agency_id: int) -> Any:
    """SPC20 Art. 2: leaders of the agency itself whose rank counts as 负责人."""
    ids = Membership.objects.responsible_persons().filter(agency_id=agency_id).values("user_id")
    return people(User.objects.filter(pk__in=ids, is_active=True))


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return person(obj)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return person(obj)

    def _check_values(self, value: Any) -> Any:
        # Django checks each id with an exact lookup (range-safe) but then runs "id IN (...)", which
        # SQLite cannot bind for a number beyond 64 bits (a 500): refuse non-ids as invalid first.
        for pk in value:
            text = str(pk)
            if not text.isdigit() or int(text) > MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


class PeopleCheckboxes(forms.CheckboxSelectMultiple):
    """Ticked people; each carries the agency they belong to, so app.js can show the chosen agency's only."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency_of: dict[str, int] = {}

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        agency = self.agency_of.get(str(value))
        if agency is not None:
            option["attrs"]["data-agency"] = agency
        return option


class VersionedForm(forms.Form):
    """Carries the version the user saw, so a concurrent edit is refused, not overwritten."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CaseForm(forms.ModelForm):
    """Log or edit a case: the facts that trigger statutory periods (D9) and the parties."""

    agency = forms.ModelChoiceField(label=_("机关"), queryset=Agency.objects.none(), required=False)
    handlers = PeopleChoiceField(label=_("承办人"), queryset=User.objects.none(), required=False,
                                 widget=PeopleCheckboxes)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Case
        fields = list(EDITABLE_FIELDS)
        widgets = {
            name: DATE for name in (
                "act_date", "received_on", "accepted_on", "appeal_received_on", "judgment_served_on",
                "decision_served_on", "effective_on",
                "retrial_application_received_on", "decision_received_on", "redo_due_on",
            )
        } | {
            "third_parties": forms.Textarea(attrs={"rows": 2}),
            "act_description": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        editing = self.instance.pk is not None
        writable = writable_agency_ids(user)
        agencies = Agency.objects.filter(archived_at__isnull=True)
        if writable is not None:
            agencies = agencies.filter(pk__in=writable)
        if editing or agencies.count() <= 1:
            del self.fields["agency"]
            self.agency = self.instance.agency if editing else agencies.first()
        else:
            self.fields["agency"].queryset = agencies
            self.fields["agency"].required = True
            self.agency = None
        agency_id = self.agency.pk if self.agency else None
        scope = [agency_id] if agency_id else list(agencies.values_list("pk", flat=True))
        self.fields["handlers"].queryset = people(User.objects.filter(membership__agency_id__in=scope).distinct())
        previous = Case.objects.filter(agency_id__in=scope, archived_at__isnull=True)
        if editing:
            previous = previous.exclude(pk=self.instance.pk)
            self.fields["handlers"].initial = list(self.instance.handlers.values_list("pk", flat=True))
            self.fields["version"].initial = self.instance.version
        else:
            self._offer_the_author_as_handler(user, scope)
        if "agency" in self.fields:  # several agencies: each person is shown under their own
            members = Membership.objects.filter(agency_id__in=scope).values_list("user_id", "agency_id")
            self.fields["handlers"].widget.agency_of = {str(u): a for u, a in members}
        for kind, names in KIND_FIELDS.items():
            for name in names:
                self.fields[name].widget.attrs["data-only-for-kind"] = kind
        self.fields["previous"].queryset = previous.order_by("-received_on")
        self.fields["number_year"].help_text = _("留空时从案号中识别")
        self._offer_only_procedures_in_force()

    def _offer_the_author_as_handler(self, user: Any, scope: list[Any]) -> None:
        """A new case is handled by whoever logs it when they belong to the agency (as the service does)."""
        own = Membership.objects.filter(user_id=user.pk, agency_id__in=scope).values_list("agency_id", flat=True).first()
        if own is None:
            return
        self.fields["handlers"].initial = [user.pk]
        if "agency" in self.fields:
            self.fields["agency"].initial = own

    def _offer_only_procedures_in_force(self) -> None:
        """D10: a case whose simplified rules did not yet exist is not offered the simplified procedure.

        On a new case the received date is not known yet; the service refuses it then,
        next to this field.
        """
        case = self.instance
        if case.pk is None or case.procedure != Procedure.ORDINARY:
            return
        if not simplified_procedure_available(case):
            self.fields["procedure"].choices = [(Procedure.ORDINARY.value, Procedure.ORDINARY.label)]
            self.fields["procedure"].help_text = _("简易程序在本案的收到/立案日期尚未施行。")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # The other kind's fields stay on the page, hidden by app.js: whatever they still hold
        # (a value typed before the kind changed) is not part of this case. The rules are the service's.
        kind = data.get("kind")
        for other, names in KIND_FIELDS.items():
            if kind and other != kind:
                for name in names:
                    data[name] = Case._meta.get_field(name).get_default()
        return data

    def _post_clean(self) -> None:
        # The services validate the model (constraints included) under a lock;
        # validating an unsaved instance here would miss the agency and duplicate it.
        pass

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS if name in self.cleaned_data}

    def chosen_agency(self) -> Agency:
        return self.agency or self.cleaned_data["agency"]


class OutcomeSelect(forms.Select):
    """Outcomes that changed with the law carry the dates they were in force (D10).

    The options not in force on the form's conclusion date are rendered hidden and disabled;
    app.js shows the right ones again when the date changes. The service refuses the rest.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.in_force: dict[str, tuple[Any, Any]] = {}
        self.not_in_force: set[str] = set()
        self.needs_grounds: set[str] = set()
        self.withdrawals: set[str] = set()

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        since, before = self.in_force.get(str(value), (None, None))
        if since:
            option["attrs"]["data-in-force-since"] = since.isoformat()
        if before:
            option["attrs"]["data-in-force-before"] = before.isoformat()
        if str(value) in self.not_in_force:
            option["attrs"].update(hidden=True, disabled=True)
        # Which of the form's other fields this outcome calls for (app.js shows only those).
        if str(value) in self.needs_grounds:
            option["attrs"]["data-needs-grounds"] = "1"
        if str(value) in self.withdrawals:
            option["attrs"]["data-withdrawal"] = "1"
        return option


class ConcludeForm(VersionedForm):
    """结案: outcome codes allowed for the case's kind and instance (D8) and the law in force (D10)."""

    outcome = forms.ChoiceField(label=_("结果"), widget=OutcomeSelect)
    concluded_on = forms.DateField(label=_("结案日期"), widget=DATE)
    act_changed = forms.BooleanField(
        label=_("我局先行改变或撤回行政行为"), required=False,
        help_text=_("仅撤回/撤诉结案时适用(行政诉讼法第62条)。"),
    )
    decision_number = forms.CharField(label=_("决定书/裁判文书号"), max_length=100, required=False)
    cancel_hearings = forms.BooleanField(label=_("同时取消本案尚未开庭的庭审/听证"), required=False, initial=True)
    grounds = forms.MultipleChoiceField(
        label=_("纠错/败诉理由"), choices=Ground.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("纠错/败诉结案时必填:审理机关认定的理由(行政诉讼法第70条、行政复议法第64条),可多选。"),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = case.litigation_instance or None
        fitting = outcomes_for(case.kind, instance)
        self.fields["outcome"].choices = [("", "---------"), *((o.value, outcome_label(o)) for o in fitting)]
        self.fields["concluded_on"].initial = timezone.localdate()
        widget = self.fields["outcome"].widget
        widget.in_force = {o.value: outcome_in_force_between(o, case.kind, instance) for o in fitting}
        on = self._conclusion_date()
        widget.not_in_force = {o.value for o in fitting if not outcome_in_force(o, case.kind, instance, on)}
        widget.needs_grounds = {o.value for o in fitting if needs_grounds(o)}
        widget.withdrawals = {o.value for o in fitting if o in WITHDRAWAL_OUTCOMES}
        self.fields["decision_number"].initial = case.decision_number
        self.fields["version"].initial = case.version
        # D11: a concluding case's hearings still on the calendar are offered for cancellation.
        hearings = open_hearings(case)
        if hearings:
            when = "、".join(f"{timezone.localtime(h.scheduled_at):%Y-%m-%d %H:%M}" for h in hearings)
            self.fields["cancel_hearings"].help_text = _("尚未开庭：%(w)s") % {"w": when}
        else:
            del self.fields["cancel_hearings"]


    def _conclusion_date(self) -> Any:
        """The date the list is shown for: the one entered, else today's."""
        if self.is_bound:
            try:
                return self.fields["concluded_on"].clean(self.data.get("concluded_on"))
            except forms.ValidationError:
                pass
        return self.fields["concluded_on"].initial


class GroundsForm(VersionedForm):
    """纠错/败诉理由 of a case concluded before they were asked for (D12)."""

    grounds = forms.MultipleChoiceField(
        label=_("纠错/败诉理由"), choices=Ground.choices, widget=forms.CheckboxSelectMultiple,
        help_text=_("审理机关认定的理由,可多选。"),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grounds"].initial = list(case.grounds.values_list("ground", flat=True))
        self.fields["version"].initial = case.version


class SuspendForm(VersionedForm):
    reason = forms.CharField(label=_("中止原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    suspended_on = forms.DateField(label=_("中止日期"), widget=DATE, required=False)


class ResumeForm(VersionedForm):
    resumed_on = forms.DateField(label=_("恢复日期"), widget=DATE, required=False)
    reason = forms.CharField(label=_("说明"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(VersionedForm):
    reason = forms.CharField(label=_("重新打开原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


def _bounded_hearing_time(value: Any) -> Any:
    # The services' window, checked here already: year 1 cannot even be converted to UTC.
    message = window_error(value, str(Hearing._meta.get_field("scheduled_at").verbose_name))
    if message:
        raise forms.ValidationError(message)
    return value


class HearingScheduleForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=HearingKind.choices, initial=HearingKind.COURT)
    scheduled_at = forms.DateTimeField(label=_("开庭时间"), widget=DATETIME, input_formats=HEARING_TIME_FORMATS)
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    expected_leader = PersonChoiceField(label=_("拟出庭负责人"), queryset=User.objects.none(), required=False,
                                        empty_label=_("尚未安排"))
    notes = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expected_leader"].queryset = responsible_people(case.agency_id)
        kinds = hearing_kinds_for(case)
        self.fields["kind"].choices = [(k, HearingKind(k).label) for k in kinds]
        self.fields["kind"].initial = kinds[0]

    def clean_scheduled_at(self) -> Any:
        return _bounded_hearing_time(self.cleaned_data.get("scheduled_at"))


class HearingRescheduleForm(VersionedForm):
    """改期: a new time, place or leader arranged; a postponed hearing is scheduled again."""

    scheduled_at = forms.DateTimeField(label=_("开庭时间"), widget=DATETIME, input_formats=HEARING_TIME_FORMATS)
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    expected_leader = PersonChoiceField(label=_("拟出庭负责人"), queryset=User.objects.none(), required=False,
                                        empty_label=_("尚未安排"))
    reason = forms.CharField(label=_("改期原因"), max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, hearing: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expected_leader"].queryset = responsible_people(hearing.case.agency_id)
        self.fields["scheduled_at"].initial = timezone.localtime(hearing.scheduled_at)
        self.fields["place"].initial = hearing.place
        self.fields["expected_leader"].initial = hearing.expected_leader_id
        self.fields["version"].initial = hearing.version

    def clean_scheduled_at(self) -> Any:
        return _bounded_hearing_time(self.cleaned_data.get("scheduled_at"))


class HearingPostponeForm(VersionedForm):
    """延期: the court or reviewing body put the hearing off without a new date yet."""

    reason = forms.CharField(label=_("延期原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, hearing: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = hearing.version


class HearingCancelForm(HearingPostponeForm):
    """取消: the hearing will not take place (e.g. the suit was withdrawn)."""

    reason = forms.CharField(label=_("取消原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class HearingRecordForm(VersionedForm):
    """出庭情况 (D7): the responsible person, or the reason and proof of their absence, and own staff.

    ``attendance`` is the explicit choice; the fields it does not call for are cleared (they
    stay on the page, hidden by app.js). A post without it (an older page) is read from the fields.
    """

    attendance = forms.ChoiceField(label=_("出庭情况"), choices=Attendance.choices, required=False,
                                   widget=forms.RadioSelect)
    responsible_person = PersonChoiceField(label=_("出庭负责人"), queryset=User.objects.none(), required=False)
    staff = PeopleChoiceField(label=_("出庭工作人员"), queryset=User.objects.none(), required=False,
                              widget=forms.CheckboxSelectMultiple)
    lawyer_names = forms.CharField(label=_("委托律师"), max_length=300, required=False)
    absence_reason = forms.ChoiceField(label=_("负责人未出庭事由"), required=False,
                                       choices=[("", "---------"), *AbsenceReason.choices])
    absence_detail = forms.CharField(label=_("事由说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                     help_text=_("我局无人出庭的,必须写明原因。"))
    absence_proof = forms.FileField(label=_("未出庭证明材料"), required=False,
                                    help_text=_("加盖公章或由正职负责人签字的证明(出庭应诉规定第9条)"))
    notes = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, hearing: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency_id = hearing.case.agency_id
        self.fields["responsible_person"].queryset = responsible_people(agency_id)
        self.fields["responsible_person"].initial = hearing.responsible_person_id or hearing.expected_leader_id
        self.fields["staff"].queryset = agency_people(agency_id)
        self.fields["staff"].initial = list(hearing.attending_staff.values_list("pk", flat=True))
        self.fields["version"].initial = hearing.version
        self.fields["attendance"].initial = self._attendance_of(hearing)

    @staticmethod
    def _attendance_of(hearing: Any) -> str:
        if hearing.nobody_attended:
            return Attendance.NOBODY
        if hearing.status == HearingStatus.HELD and not hearing.responsible_person_id:
            return Attendance.STAFF
        return Attendance.LEADER if hearing.responsible_person_id or hearing.expected_leader_id else Attendance.STAFF

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        attendance = data.get("attendance") or (
            Attendance.LEADER if data.get("responsible_person")
            else Attendance.STAFF if data.get("staff") else Attendance.NOBODY
        )
        data["attendance"] = attendance
        if attendance != Attendance.LEADER:
            data["responsible_person"] = None
        elif not data.get("responsible_person"):
            self.add_error("responsible_person", _("请选择出庭的负责人。"))
        if attendance == Attendance.NOBODY:
            data["staff"] = []
        elif attendance == Attendance.STAFF and not data.get("staff"):
            self.add_error("staff", _("请选择出庭的工作人员;没有工作人员出庭的,请选择“我局无人出庭”。"))
        return data


class DeadlineForm(forms.Form):
    title = forms.CharField(label=_("期限名称"), max_length=200)
    due_on = forms.DateField(label=_("届满日"), widget=DATE)
    is_bureau_duty = forms.BooleanField(label=_("我局义务(需提醒)"), required=False, initial=True)


class DeadlineCompleteForm(forms.Form):
    note = forms.CharField(label=_("办结说明"), max_length=500, required=False)


class DeadlineWaiveForm(forms.Form):
    reason = forms.CharField(label=_("免除原因"), max_length=500)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    kind = forms.ChoiceField(label=_("文书类型"), choices=DocumentKind.choices, initial=DocumentKind.OTHER,
                             required=False)
    dated_on = forms.DateField(label=_("收到/发出日期"), widget=DATE, required=False)
    file = forms.FileField(
        label=_("文件"), widget=forms.ClearableFileInput(attrs={"accept": accept_attribute(DOCUMENT_TYPES)}),
        help_text=lazy(lambda: _("可上传:%(types)s") % {"types": allowed_list(DOCUMENT_TYPES)}, str)(),
    )


def status_actions(case: Case) -> list[str]:
    """Which state changes the case allows now (the page shows only those)."""
    if case.status == Status.CONCLUDED:
        return ["reopen"]
    if case.status == Status.SUSPENDED:
        return ["resume", "conclude"]
    return ["conclude", "suspend"]
