"""The admin, usable by legal staff on day one: Chinese labels, filters, history.

Saves go through the services (never a bare model.save()), so the admin obeys
the same rules as the pages and the API. Deleting is replaced by archiving.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from cases.admin_deadlines import DeadlineInline
from cases.models import Agency, Case, Document, Hearing, Membership
from cases.permissions import visible_agency_ids, writable_agency_ids
from cases.services.cases import EDITABLE_FIELDS, case_archive, case_create, case_update

User = get_user_model()


class AgencyScopedAdmin(SimpleHistoryAdmin):
    """Shows each user only the agencies they may see; no hard deletes."""

    agency_path = "agency"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        ids = visible_agency_ids(request.user)
        return qs if ids is None else qs.filter(**{f"{self.agency_path}__in": ids})

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        ids = writable_agency_ids(request.user)
        if obj is None or ids is None:
            return ids is None or bool(ids)
        return self._agency_id(obj) in ids

    def _agency_id(self, obj: Any) -> int:
        target = obj
        for part in self.agency_path.split("__"):
            target = getattr(target, part)
        return target if isinstance(target, int) else target.pk


@admin.register(Agency)
class AgencyAdmin(AgencyScopedAdmin):
    agency_path = "id"
    list_display = ("name", "code", "parent")
    search_fields = ("name", "code")


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    verbose_name_plural = _("所属机关与角色")


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ("username", "last_name", "first_name", "is_active", "agency_code", "role")
    list_select_related = ("membership__agency",)
    list_filter = ("is_active", "membership__agency", "membership__role", "membership__leader_rank")

    @admin.display(description=_("机关"))
    def agency_code(self, obj: Any) -> str:
        member = getattr(obj, "membership", None)
        return member.agency.code if member else ""

    @admin.display(description=_("角色"))
    def role(self, obj: Any) -> str:
        member = getattr(obj, "membership", None)
        return member.get_role_display() if member else ""


@admin.register(Membership)
class MembershipAdmin(AgencyScopedAdmin):
    list_display = ("user", "agency", "role", "leader_rank", "title")
    list_filter = ("agency", "role", "leader_rank")
    search_fields = ("user__username", "user__first_name", "user__last_name", "title")


class HearingInline(admin.TabularInline):
    model = Hearing
    extra = 0
    fields = ("kind", "scheduled_at", "place", "status", "expected_leader", "bureau_appeared", "responsible_person")
    readonly_fields = ("status", "bureau_appeared", "responsible_person")
    show_change_link = True
    can_delete = False


class DocumentInline(admin.TabularInline):
    model = Document
    extra = 0
    fields = ("title", "file", "uploaded_at")
    readonly_fields = ("uploaded_at",)
    can_delete = False


@admin.register(Case)
class CaseAdmin(AgencyScopedAdmin):
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

    def save_model(self, request: HttpRequest, obj: Case, form: Any, change: bool) -> None:
        data = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS if name in form.cleaned_data}
        try:
            if change:
                saved = case_update(case=obj, by=request.user, data=data)
            else:
                saved = case_create(agency=form.cleaned_data["agency"], by=request.user, **data)
        except (ValidationError, PermissionDenied) as exc:
            # The form already ran full_clean and has_change_permission the scope, so
            # only a race lands here: the transaction rolls back and the error is shown.
            self.message_user(request, "; ".join(getattr(exc, "messages", [str(exc)])), messages.ERROR)
            raise
        obj.pk, obj.version = saved.pk, saved.version

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        form.instance = Case.objects.get(pk=form.instance.pk)
        super().save_related(request, form, formsets, change)

    @admin.action(description=_("归档所选案件"))
    def archive_selected(self, request: HttpRequest, queryset: QuerySet[Case]) -> None:
        for case in queryset:
            try:
                case_archive(case=case, by=request.user, reason=str(_("管理后台批量归档")))
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(request, f"{case}: {exc}", messages.WARNING)


@admin.register(Hearing)
class HearingAdmin(AgencyScopedAdmin):
    agency_path = "case__agency"
    list_display = ("case", "kind", "scheduled_at", "status", "bureau_appeared", "responsible_person", "lawyer_names")
    list_filter = ("kind", "status", "bureau_appeared", "case__agency")
    search_fields = ("case__number", "case__applicant", "place")
    list_select_related = ("case", "responsible_person")
    date_hierarchy = "scheduled_at"
    filter_horizontal = ("attending_staff",)


@admin.register(Document)
class DocumentAdmin(AgencyScopedAdmin):
    agency_path = "case__agency"
    list_display = ("title", "case", "uploaded_at", "uploaded_by")
    search_fields = ("title", "case__number")
    list_select_related = ("case", "uploaded_by")

# Registers the reminder outbox and notification admins (issue 4) and the yearly report admin (issue 5).
from cases import admin_reminders, admin_reports  # noqa: E402,F401
