"""Admin for agencies, people and their roles: administrators only, saves through cases/services/accounts.py."""

from __future__ import annotations

from typing import Any

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cases.admin.common import AgencyScopedAdmin, ScopedPickers, scoped_users
from cases.admin.site import site
from cases.models import Agency, Membership
from cases.permissions import is_admin
from cases.services.accounts import agency_save, membership_save, user_save, user_text_check

User = get_user_model()


class AdministratorWritesAdmin(AgencyScopedAdmin):
    """Agencies and roles decide who sees what: only administrators change them."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_admin(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_admin(request.user) and super().has_change_permission(request, obj)


@admin.register(Agency, site=site)
class AgencyAdmin(AdministratorWritesAdmin):
    list_display = ("name", "code", "parent")
    search_fields = ("name", "code")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "parent":
            kwargs["queryset"] = Agency.objects.for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Agency, form: Any, change: bool) -> None:
        agency_save(agency=obj, by=request.user)


class MembershipInline(ScopedPickers, admin.StackedInline):
    model = Membership
    can_delete = False
    verbose_name_plural = _("所属机关与角色")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "agency":
            kwargs["queryset"] = Agency.objects.for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class _UserTextCheck:
    """The account service's text rule, shown next to the admin form's fields before saving."""

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        try:
            user_text_check(self.instance)  # type: ignore[attr-defined]
        except ValidationError as error:
            self._update_errors(error)  # type: ignore[attr-defined]


class UserAddForm(_UserTextCheck, UserCreationForm):
    pass


class UserEditForm(_UserTextCheck, UserChangeForm):
    pass


@admin.register(User, site=site)
class UserAdmin(BaseUserAdmin):
    form = UserEditForm
    add_form = UserAddForm
    inlines = [MembershipInline]
    list_display = ("username", "last_name", "first_name", "is_active", "agency_code", "role")
    list_select_related = ("membership__agency",)
    list_filter = ("is_active", "membership__agency", "membership__role", "membership__leader_rank")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # Administrators see everyone, including accounts not yet placed in an agency.
        return super().get_queryset(request) if is_admin(request.user) else scoped_users(request.user)

    @admin.display(description=_("机关"))
    def agency_code(self, obj: Any) -> str:
        member = getattr(obj, "membership", None)
        return member.agency.code if member else ""

    @admin.display(description=_("角色"))
    def role(self, obj: Any) -> str:
        member = getattr(obj, "membership", None)
        return member.get_role_display() if member else ""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        was_active = bool(form.initial.get("is_active", True)) if change else True
        user_save(user=obj, by=request.user, was_active=was_active)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        for membership in formset.save(commit=False):
            membership_save(membership=membership, by=request.user)
        formset.save_m2m()
        return None


@admin.register(Membership, site=site)
class MembershipAdmin(AdministratorWritesAdmin):
    list_display = ("user", "agency", "role", "leader_rank", "title")
    list_filter = ("agency", "role", "leader_rank")
    search_fields = ("user__username", "user__first_name", "user__last_name", "title")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "agency":
            kwargs["queryset"] = Agency.objects.for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        membership_save(membership=obj, by=request.user)


# Login lockout (django-axes): deleting a user's attempt row unlocks them at once.
site.register(AccessAttempt, AccessAttemptAdmin)
site.register(AccessFailureLog, AccessFailureLogAdmin)
