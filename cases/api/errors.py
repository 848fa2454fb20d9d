"""One JSON error shape for the whole API.

    {"detail": "...", "code": "invalid", "errors": {"field": ["message", ...]}}

Domain errors from the services (Django ValidationError, PermissionDenied,
StaleVersion) are mapped here, so views never build error responses by hand.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from cases.errors import StaleVersion


def _django_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for m in errs.messages] if hasattr(errs, "messages") else [str(e) for e in errs]
                for field, errs in exc.message_dict.items()}
    return {"non_field_errors": [str(m) for m in exc.messages]}


def _flatten(data: Any) -> dict[str, list[str]]:
    if isinstance(data, dict):
        out: dict[str, list[str]] = {}
        for key, value in data.items():
            if isinstance(value, (list, tuple)):
                out[key] = [str(v) if not isinstance(v, (dict, list)) else str(v) for v in value]
            else:
                out[key] = [str(value)]
        return out
    if isinstance(data, list):
        return {"non_field_errors": [str(v) for v in data]}
    return {"non_field_errors": [str(data)]}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, StaleVersion):
        return Response(
            {"detail": str(exc), "code": "stale_version", "errors": {"version": [str(exc)]},
             "current_version": exc.current_version},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        errors = _django_errors(exc)
        return Response(
            {"detail": _("输入有误,未保存。"), "code": "invalid", "errors": errors},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, (DjangoPermissionDenied, Http404)):
        exc = exceptions.PermissionDenied(str(exc)) if isinstance(exc, DjangoPermissionDenied) else exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": _("输入有误,未保存。"), "code": "invalid", "errors": _flatten(exc.detail)}
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        code = getattr(getattr(exc, "detail", None), "code", None) or getattr(exc, "default_code", "error")
        response.data = {"detail": str(detail), "code": code, "errors": {}}
    return response
