"""Admin for cases, hearings and documents: saves through the services, archiving instead of deleting."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cases.admin.common import AgencyScopedAdmin, add_service_errors, person_column
from cases.admin.deadlines import DeadlineInline
from cases.admin.site import site
from cases.choices import HearingStatus
from cases.models import Agency, Case, Document, Hearing, Membership
from cases.services.cases import EDITABLE_FIELDS, case_archive, case_create, case_update, case_validate
from cases.services.documents import document_upload
from cases.services.hearings import hearing_reschedule, hearing_schedule


class HearingInline(admin.TabularInline):
    """Read-only: hearings are scheduled and changed on their own page, through the services."""

    model = Hearing
    extra = 0
    max_num = 0
    fields = ("kind", "scheduled_at", "place", "status", "expected_leader", "bureau_appeared", "responsible_person")
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DocumentInline(admin.TabularInline):
    """Adds documents (through document_upload); existing ones are shown, never deleted."""

    model = Document
    extra = 0
    fields = ("title", "file", "uploaded_by", "uploaded_at")
    readonly_fields = ("uploaded_by", "uploaded_at")
    can_delete = False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CaseAdminForm(forms.ModelForm):
    """Runs every check of the case services on the form, so errors land on their fields."""

    class Meta:
        model = Case
        fields = ("agency", *EDITABLE_FIELDS, "handlers")  # the admin narrows it to its own field list

    def _post_clean(self) -> None:
        super()._post_clean()
        if self.errors:
            return
        try:
            # The whole record, including the read-only status and conclusion fields
            # the form leaves out (a receipt moved past the conclusion date).
            case_validate(self.instance, handlers=self.cleaned_data.get("handlers"))
        except ValidationError as error:
            add_service_errors(self, error)


@admin.register(Case, site=site)
class CaseAdmin(AgencyScopedAdmin):
    form = CaseAdminForm
    list_display = ("number", "kind", "litigation_instance", "subject", "applicant", "received_on", "status", "outcome", "agency")
    list_filter = ("agency", "kind", "litigation_instance", "status", "outcome", "subject", "procedure", "co_defendant")
    search_fields = ("number", "applicant", "third_parties", "act_description", "act_document_number")
    date_hierarchy = "received_on"
    list_select_related = ("agency",)
    autocomplete_fields = ("previous",)
    filter_horizontal = ("handlers",)
    readonly_fields = ("status", "outcome", "concluded_on", "act_changed", "suspended_on", "archived_at", "version")
    inlines = [HearingInline, DeadlineInline, DocumentInline]
    actions = ["archive_selected"]

    def get_readonly_fields(self, request: HttpRequest, obj: Case | None = None) -> tuple[str, ...]:
        # A case never moves to another agency (case_update does not accept it).
        fields = tuple(super().get_readonly_fields(request, obj))
        return (*fields, "agency") if obj is not None else fields

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "agency":
            kwargs["queryset"] = Agency.objects.writable_by(request.user)
        elif db_field.name == "previous":
            kwargs["queryset"] = Case.objects.for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Case, form: Any, change: bool) -> None:
        data = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS if name in form.cleaned_data}
        handlers = list(form.cleaned_data["handlers"]) if "handlers" in form.cleaned_data else None
        if change:
            saved = case_update(
                case=obj, by=request.user, data=data, handlers=handlers, expected_version=obj.version
            )
        else:
            # No handler picked: the service makes the author the handler.
            saved = case_create(agency=form.cleaned_data["agency"], by=request.user, handlers=handlers or (), **data)
        obj.pk, obj.version = saved.pk, saved.version

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The service set the handlers; form.save_m2m() would set them again (and clear
        # the author it defaulted to). Only the inline documents are left to save.
        form.instance = Case.objects.get(pk=form.instance.pk)
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        # Hearings and deadlines are read-only inlines; a new document goes through
        # document_upload (who uploaded it, history); existing ones are not edited here.
        # The admin's change message reads these three lists.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is not Document:
            return
        for document_form in formset.extra_forms:
            if document_form.has_changed() and not document_form.cleaned_data.get("DELETE"):
                data = document_form.cleaned_data
                formset.new_objects.append(
                    document_upload(case=form.instance, title=data["title"], file=data["file"], by=request.user)
                )

    @admin.action(description=_("归档所选案件"))
    def archive_selected(self, request: HttpRequest, queryset: QuerySet[Case]) -> None:
        for case in queryset:
            try:
                case_archive(case=case, by=request.user, reason=str(_("管理后台批量归档")))
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(request, f"{case}: {exc}", messages.WARNING)


_HEARING_SCHEDULE_FIELDS = ("case", "kind", "scheduled_at", "place", "expected_leader", "notes")
_HEARING_RECORD_FIELDS = (
    "status", "bureau_appeared", "responsible_person", "attending_staff", "lawyer_names", "absence_reason",
    "absence_detail", "absence_proof", "recorded_by", "archived_at", "version",
)  # fmt: skip


class HearingAdminForm(forms.ModelForm):
    """Checks the arranged leader (SPC20 Art. 2) on the form, as hearing_schedule will."""

    class Meta:
        model = Hearing
        fields = _HEARING_SCHEDULE_FIELDS

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        case, leader = data.get("case") or getattr(self.instance, "case", None), data.get("expected_leader")
        if case is not None and leader is not None and "expected_leader" in self.changed_data:
            is_responsible = Membership.objects.responsible_persons().filter(user=leader, agency_id=case.agency_id)
            if not is_responsible.exists():
                self.add_error("expected_leader", _("拟出庭负责人必须是本机关计入负责人的领导(出庭应诉规定第2条)。"))
        return data


@admin.register(Hearing, site=site)
class HearingAdmin(AgencyScopedAdmin):
    """Schedules and reschedules through the services; attendance is recorded on the case page (D7)."""

    form = HearingAdminForm
    list_display = ("case", "kind", "scheduled_at", "status", "bureau_appeared", person_column("responsible_person", _("出庭负责人")),
                    "lawyer_names")
    list_filter = ("kind", "status", "bureau_appeared", "case__agency")
    search_fields = ("case__number", "case__applicant", "place")
    list_select_related = ("case", "responsible_person")
    date_hierarchy = "scheduled_at"
    autocomplete_fields = ("case",)

    def get_fields(self, request: HttpRequest, obj: Hearing | None = None) -> tuple[str, ...]:
        return _HEARING_SCHEDULE_FIELDS if obj is None else _HEARING_SCHEDULE_FIELDS + _HEARING_RECORD_FIELDS

    def get_readonly_fields(self, request: HttpRequest, obj: Hearing | None = None) -> tuple[str, ...]:
        # Only time, place and the arranged leader change here, and only before the
        # hearing is held or cancelled (hearing_reschedule).
        if obj is None:
            return ()
        if obj.status not in (HearingStatus.SCHEDULED, HearingStatus.POSTPONED):
            return _HEARING_SCHEDULE_FIELDS + _HEARING_RECORD_FIELDS
        return ("case", "kind", "notes", *_HEARING_RECORD_FIELDS)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "case":
            kwargs["queryset"] = Case.objects.writable_by(request.user).active()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Hearing, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if change:
            saved = hearing_reschedule(
                hearing=obj, by=request.user, scheduled_at=data["scheduled_at"], place=data["place"],
                expected_leader=data["expected_leader"], expected_version=obj.version,
            )  # fmt: skip
        else:
            saved = hearing_schedule(
                case=data["case"], scheduled_at=data["scheduled_at"], by=request.user, kind=data["kind"],
                place=data["place"], expected_leader=data["expected_leader"], notes=data["notes"],
            )  # fmt: skip
        obj.pk, obj.version = saved.pk, saved.version

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Nothing to save: attending staff are set only when attendance is recorded."""


@admin.register(Document, site=site)
class DocumentAdmin(AgencyScopedAdmin):
    """Adds a document through document_upload (type, size, permission); a stored one is only viewed."""

    list_display = ("title", "case", "uploaded_at", person_column("uploaded_by", _("上传人")))
    search_fields = ("title", "case__number")
    list_select_related = ("case", "uploaded_by")
    fields = ("case", "title", "file")
    autocomplete_fields = ("case",)

    def get_readonly_fields(self, request: HttpRequest, obj: Document | None = None) -> tuple[str, ...]:
        return ("case", "title", "file", "uploaded_by", "uploaded_at", "archived_at") if obj else ()

    def get_fields(self, request: HttpRequest, obj: Document | None = None) -> tuple[str, ...]:
        return self.get_readonly_fields(request, obj) if obj else self.fields

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "case":
            kwargs["queryset"] = Case.objects.writable_by(request.user).active()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Document, form: Any, change: bool) -> None:
        data = form.cleaned_data
        saved = document_upload(case=data["case"], title=data["title"], file=data["file"], by=request.user)
        obj.pk = saved.pk
