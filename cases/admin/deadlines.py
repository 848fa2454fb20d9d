"""Admin for deadlines and the holiday calendar; every write goes through a service."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from cases.admin.common import ServiceErrorsAsMessages, errors_text, person_column
from cases.admin.site import site
from cases.choices import DeadlineStatus, DeadlineUrgency
from cases.models.deadlines import CalendarYear, Deadline, HolidayOverride
from cases.permissions import is_admin
from cases.services.deadlines import deadline_add_manual, deadline_complete, deadline_override, deadline_waive
from cases.services.holidays import holiday_override_delete, holiday_override_set

_DEADLINE_FIELDS = (
    "case", "rule", "title", "trigger_on", "due_on", "provisional", "is_bureau_duty", "status",
    "closed_by", "closed_at", "close_note", "auto_closed", "overridden", "override_reason",
    "created_at", "updated_at",
)  # fmt: skip
_MANUAL_ADD_FIELDS = ("case", "title", "due_on", "is_bureau_duty")
_OVERRIDE_FIELDS = ("due_on", "override_reason")


class DeadlineInline(admin.TabularInline):
    """Read-only list of a case's deadlines (changes go through the deadline services)."""

    model = Deadline
    fields = ("rule", "title", "trigger_on", "due_on", "provisional", "status", "overridden")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Deadline, site=site)
class DeadlineAdmin(ServiceErrorsAsMessages):
    list_display = (
        "display_title", "case", "trigger_on", "due_on", "urgency_label", "status", "is_bureau_duty", "provisional",
        "overridden",
    )  # fmt: skip
    list_filter = ("status", "is_bureau_duty", "provisional", "overridden", "rule", "case__agency")
    search_fields = ("case__number", "case__applicant", "title")
    list_select_related = ("case",)
    date_hierarchy = "due_on"
    autocomplete_fields = ("case",)
    actions = ["mark_met", "waive"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Deadline]:
        qs = Deadline.objects.for_user(request.user).with_urgency()
        return qs.select_related("case")

    def get_fields(self, request: HttpRequest, obj: Deadline | None = None) -> tuple[str, ...]:
        return _DEADLINE_FIELDS if obj is not None else _MANUAL_ADD_FIELDS

    def get_readonly_fields(self, request: HttpRequest, obj: Deadline | None = None) -> tuple[str, ...]:
        # An open deadline's due day may be set by hand with a reason (deadline_override);
        # everything else is computed or closed through the actions.
        if obj is None:
            return ()
        if obj.status == DeadlineStatus.OPEN:
            return tuple(f for f in _DEADLINE_FIELDS if f not in _OVERRIDE_FIELDS)
        return _DEADLINE_FIELDS

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "case":
            from cases.models import Case

            kwargs["queryset"] = Case.objects.writable_by(request.user).active()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request: HttpRequest, obj: Deadline | None = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None and "title" in form.base_fields:
            form.base_fields["title"].required = True  # a manual deadline needs its name
        return form

    @admin.display(description=_("紧急程度"), ordering="due_on")
    def urgency_label(self, obj: Deadline) -> str:
        level = getattr(obj, "urgency", "")
        if obj.status != DeadlineStatus.OPEN or not level:
            return "—"
        return str(DeadlineUrgency(level).label)

    def save_model(self, request: HttpRequest, obj: Deadline, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if change:
            if "due_on" in form.changed_data:
                deadline_override(deadline=obj, due_on=data["due_on"], reason=data.get("override_reason", ""),
                                  by=request.user)
            return
        saved = deadline_add_manual(
            case=data["case"], title=data["title"], due_on=data["due_on"], by=request.user,
            is_bureau_duty=data["is_bureau_duty"],
        )  # fmt: skip
        obj.pk = saved.pk

    @admin.action(description=_("标记为已完成"))
    def mark_met(self, request: HttpRequest, queryset: QuerySet[Deadline]) -> None:
        for deadline in queryset:
            try:
                deadline_complete(deadline=deadline, by=request.user, note=str(_("管理后台标记完成")))
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(request, f"{deadline}: {errors_text(exc)}", messages.WARNING)

    @admin.action(description=_("免除所选期限"))
    def waive(self, request: HttpRequest, queryset: QuerySet[Deadline]) -> None:
        for deadline in queryset:
            try:
                deadline_waive(deadline=deadline, by=request.user, reason=str(_("管理后台免除")))
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(request, f"{deadline}: {errors_text(exc)}", messages.WARNING)


class CalendarAdminPermissions:
    """Only administrators see and change the calendar; everyone computes on it."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_admin(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_admin(request.user)


@admin.register(HolidayOverride, site=site)
class HolidayOverrideAdmin(CalendarAdminPermissions, ServiceErrorsAsMessages):
    list_display = ("date", "weekday", "is_working", "note", "source", person_column("created_by", _("录入人")), "updated_at")
    list_filter = ("is_working",)
    search_fields = ("note", "source")
    date_hierarchy = "date"
    fields = ("date", "is_working", "note", "source")

    def get_readonly_fields(self, request: HttpRequest, obj: HolidayOverride | None = None) -> tuple[str, ...]:
        # A day is corrected in place; moving it to another date is delete + add.
        return ("date",) if obj is not None else ()

    @admin.display(description=_("星期"))
    def weekday(self, obj: HolidayOverride) -> str:
        return "一二三四五六日"[obj.date.weekday()]

    def save_model(self, request: HttpRequest, obj: HolidayOverride, form: Any, change: bool) -> None:
        data = form.cleaned_data
        saved, moved = holiday_override_set(
            day=obj.date, is_working=data["is_working"], note=data["note"], source=data["source"], by=request.user
        )
        obj.pk = saved.pk
        self.message_user(request, _("已重新计算 %(n)d 个期限。") % {"n": len(moved)}, messages.INFO)

    def delete_model(self, request: HttpRequest, obj: HolidayOverride) -> None:
        moved = holiday_override_delete(override=obj, by=request.user)
        self.message_user(request, _("已重新计算 %(n)d 个期限。") % {"n": len(moved)}, messages.INFO)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[HolidayOverride]) -> None:
        for override in queryset:
            self.delete_model(request, override)


@admin.register(CalendarYear, site=site)
class CalendarYearAdmin(CalendarAdminPermissions, SimpleHistoryAdmin):
    """Years loaded with `manage.py load_holidays`; read-only here."""

    list_display = ("year", "source", person_column("loaded_by", _("导入人")), "loaded_at")
    readonly_fields = ("year", "source", "loaded_by", "loaded_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
