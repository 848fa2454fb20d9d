"""Helpers the page views share: scoped lookups and running a service behind a form."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from cases.errors import StaleVersion
from cases.models import Case
from cases.permissions import can_write

T = TypeVar("T")


def visible_case(request: HttpRequest, pk: int) -> Case:
    """A case the user may read; another agency's case is a 404, never a 403 (no probing)."""
    queryset = Case.objects.for_user(request.user).active().select_related("agency", "previous")
    return get_object_or_404(queryset, pk=pk)


def writable_case(request: HttpRequest, pk: int) -> Case:
    """A case the user may change: 404 when it is not visible, 403 when it is only readable."""
    case = visible_case(request, pk)
    ensure_writer(request, case.agency_id)
    return case


def ensure_writer(request: HttpRequest, agency_id: int) -> None:
    if not can_write(request.user, agency_id):
        raise PermissionDenied(_("您无权修改该机关的案件。"))


def add_validation_errors(form: forms.BaseForm, error: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Put a service's ValidationError next to the fields it names; the rest on top of the form."""
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for field, errors in error.message_dict.items():
        name = aliases.get(field, field)
        target = name if name in form.fields and name != NON_FIELD_ERRORS else None
        for message in errors:
            form.add_error(target, message)


def run_service(
    request: HttpRequest,
    form: forms.BaseForm,
    call: Callable[[], T],
    *,
    success: str = "",
    aliases: dict[str, str] | None = None,
) -> T | None:
    """Call a service; on a domain error attach it to the form and return None (nothing saved).

    PermissionDenied is not caught: Django answers it with the 403 page.
    """
    try:
        result = call()
    except ValidationError as error:
        add_validation_errors(form, error, aliases)
        return None
    except StaleVersion as error:
        form.add_error(None, str(error))
        return None
    if success:
        messages.success(request, success)
    return result


def is_htmx(request: HttpRequest) -> bool:
    """An htmx request that wants a fragment (a history restore wants the whole page)."""
    headers = request.headers
    return headers.get("HX-Request") == "true" and headers.get("HX-History-Restore-Request") != "true"


def user_agency_id(request: HttpRequest) -> int | None:
    member = getattr(request.user, "membership", None)
    return member.agency_id if member is not None else None
