"""What every admin shares: scoping by agency, scoped history and pickers, service errors as messages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from cases.errors import StaleVersion
from cases.models import Agency, Membership
from cases.people import person_name

User = get_user_model()


def errors_text(exc: ValidationError | PermissionDenied) -> str:
    return "; ".join(getattr(exc, "messages", [str(exc)]))


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError next to the form's fields; the rest on top."""
    for field, messages_ in error.message_dict.items():
        target = field if field in form.fields and field != NON_FIELD_ERRORS else None
        for message in messages_:
            form.add_error(target, message)


def scoped_users(user: Any) -> QuerySet[Any]:
    """The people a picker may offer: members of the agencies the user may see (their memberships, scoped)."""
    return User.objects.filter(membership__in=Membership.objects.for_user(user)).select_related("membership")


class ScopedPickers:
    """Every user picker (handlers, leaders, staff) offers only people of visible agencies."""

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.related_model is User and "queryset" not in kwargs:
            kwargs["queryset"] = scoped_users(request.user)
        return _named(db_field, super().formfield_for_foreignkey(db_field, request, **kwargs))  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.related_model is User and "queryset" not in kwargs:
            kwargs["queryset"] = scoped_users(request.user)
        return _named(db_field, super().formfield_for_manytomany(db_field, request, **kwargs))  # type: ignore[misc]


def person_column(field: str, label: Any) -> Any:
    """A list column naming the user in ``field`` as the pages do (王建国), sortable by that field."""

    @admin.display(description=label, ordering=field)
    def column(obj: Any) -> str:
        return person_name(getattr(obj, field))

    return column


def _named(db_field: Any, formfield: Any) -> Any:
    """A user picker lists people by name (王建国), as the pages do, not by username."""
    if db_field.related_model is User and formfield is not None and hasattr(formfield, "label_from_instance"):
        formfield.label_from_instance = person_name
    return formfield


class ServiceErrorsAsMessages(ScopedPickers, SimpleHistoryAdmin):
    """An admin whose saves call services; history only of rows the user may see, never reverted.

    The forms run the services' checks first; what still fails inside the service (a
    concurrent edit, a stale version) has rolled back with the admin's transaction.
    Say so and show the page again instead of answering 500.

    simple_history's history pages fall back to the history table when the live row is
    not in get_queryset(), which let anyone read another agency's history: here a row
    outside the user's scope is a 404 on both history pages. A revert would write
    around the services, so a POST to a history entry is refused.
    """

    def changeform_view(
        self, request: HttpRequest, object_id: str | None = None, form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (ValidationError, StaleVersion) as error:
            text = errors_text(error) if isinstance(error, ValidationError) else str(error)
            self.message_user(request, _("未保存:%(e)s") % {"e": text}, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def _visible_or_404(self, request: HttpRequest, object_id: str) -> Any:
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404
        return obj

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> HttpResponse:
        self._visible_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        self._visible_or_404(request, object_id)
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class Scoped:
    """Rows through the model's one scoped queryset API (cases/querysets/scoped.py), never a path of our own.

    Reading is ``for_user``; changing a row is ``writable_by`` on the same queryset.
    A model whose rows belong to a person rather than an agency (notifications,
    reminder deliveries: not ScopedQuerySets) overrides ``scope`` with the scoped
    queryset of what it belongs to.
    """

    def scope(self, queryset: QuerySet[Any], user: Any) -> QuerySet[Any]:
        return queryset.for_user(user)  # type: ignore[attr-defined, no-any-return]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return self.scope(super().get_queryset(request), request.user)  # type: ignore[misc]


def may_write_somewhere(user: Any) -> bool:
    return Agency.objects.writable_by(user).exists()


class AgencyScopedAdmin(Scoped, ServiceErrorsAsMessages):
    """Shows each user only the agencies they may see; no hard deletes."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and may_write_somewhere(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        if obj is None:
            return may_write_somewhere(request.user)
        return bool(self.model._default_manager.all().writable_by(request.user).filter(pk=obj.pk).exists())


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written elsewhere (tasks, services); nobody adds, edits or deletes them here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyScopedAdmin(Scoped, ReadOnlyAdmin):
    """Rows of the agencies the user may see, read-only."""
