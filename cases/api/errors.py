"""One JSON error shape for the whole API, and its place in the OpenAPI schema.

    {"detail": "...", "code": "invalid", "errors": {"field": ["message", ...]}}

Domain errors from the services (Django ValidationError, PermissionDenied,
StaleVersion) are mapped here, so views never build error responses by hand.
A service's StaleVersion is a 412 when the request's ``If-Match`` named another
version, else (a stale ``version`` in the body) a 409. Messages follow the request's language
(Accept-Language: zh-hans by default, en on request).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, SuspiciousOperation
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from cases.errors import StaleVersion

logger = logging.getLogger(__name__)


PRECONDITION_FAILED = gettext_lazy("记录已被他人修改(If-Match 与当前版本不符),未保存。")


def if_match_versions(header: str) -> set[int] | None:
    """The versions an If-Match header names; None for ``*`` (any version)."""
    versions: set[int] = set()
    for tag in header.split(","):
        tag = tag.strip()
        if tag == "*":
            return None
        tag = tag.removeprefix("W/").strip('"')
        if tag.isdigit() and len(tag) < 12:
            versions.add(int(tag))
    return versions  # empty when malformed: matches nothing, so 412


class LockedOut(exceptions.APIException):
    """Too many wrong passwords for this user from this address (django-axes)."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = gettext_lazy("密码连续输错次数过多,该账号在本地址已暂时锁定;请稍后再试或请系统管理员解除锁定。")
    default_code = "locked_out"


def _key(key: Any) -> str:
    return "non_field_errors" if key in (NON_FIELD_ERRORS, None) else str(key)


def _flatten(data: Any, prefix: str = "") -> dict[str, list[str]]:
    """Nested DRF/Django errors as ``{"field": [...], "items.0.name": [...]}``."""
    out: dict[str, list[str]] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            name = f"{prefix}.{_key(key)}" if prefix else _key(key)
            for sub, messages in _flatten(value, name).items():
                out.setdefault(sub, []).extend(messages)
    elif isinstance(data, (list, tuple)):
        for index, value in enumerate(data):
            if isinstance(value, (dict, list, tuple)):
                for sub, messages in _flatten(value, f"{prefix}.{index}" if prefix else str(index)).items():
                    out.setdefault(sub, []).extend(messages)
            else:
                out.setdefault(prefix or "non_field_errors", []).append(str(value))
    else:
        out.setdefault(prefix or "non_field_errors", []).append(str(data))
    return out


def _django_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {_key(field): [str(m) for m in messages] for field, messages in exc.message_dict.items()}
    return {"non_field_errors": [str(m) for m in exc.messages]}


def _body(detail: Any, code: str, errors: dict[str, list[str]] | None = None, **extra: Any) -> dict[str, Any]:
    return {"detail": str(detail), "code": code, "errors": errors or {}, **extra}


def _stale(exc: StaleVersion, request: Any) -> Response:
    """412 when the If-Match header named another version than the record's, else 409."""
    header = request.headers.get("If-Match") if request is not None else None
    versions = if_match_versions(header) if header is not None else None
    if versions is not None and exc.current_version not in versions:
        return Response(
            _body(PRECONDITION_FAILED, "precondition_failed", current_version=exc.current_version),
            status=status.HTTP_412_PRECONDITION_FAILED,
        )
    return Response(
        _body(exc, "stale_version", {"version": [str(exc)]}, current_version=exc.current_version),
        status=status.HTTP_409_CONFLICT,
    )


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, StaleVersion):
        return _stale(exc, context.get("request"))
    if isinstance(exc, DjangoValidationError):
        return Response(
            _body(_("输入有误,未保存。"), "invalid", _django_errors(exc)), status=status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, SuspiciousOperation):  # e.g. a request body over DATA_UPLOAD_MAX_MEMORY_SIZE
        return Response(_body(_("请求无效或过大。"), "bad_request"), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, IntegrityError):
        # Two writers raced past full_clean(); the database kept the rule. Nothing was saved.
        logger.warning("API write refused by a database constraint: %s", exc)
        return Response(_body(_("与已有记录冲突,未保存。"), "conflict"), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = _body(_("输入有误,未保存。"), "invalid", _flatten(exc.detail))
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        code = getattr(getattr(exc, "detail", None), "code", None) or getattr(exc, "default_code", "error")
        response.data = _body(detail, code)
    return response


class ErrorSerializer(serializers.Serializer):
    """The one error shape (documentation only)."""

    detail = serializers.CharField(help_text="Human-readable message in the request's language.")
    code = serializers.CharField(help_text="Machine code: invalid, not_found, permission_denied, stale_version, ...")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per field; 'non_field_errors' for the record as a whole.",
    )
    current_version = serializers.IntegerField(required=False, help_text="On 409/412: the record's version now.")


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema plus the error responses every operation can give.

    Documented so clients (and Schemathesis) know the error shape: 400 on any input
    or filter, 401/403 on auth, 404 on a path with an id (or a page past the end),
    409/412 on writes to a versioned record.
    """

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        codes = ["400", "401", "403"]
        if "{" in self.path or self._is_list_view():
            codes.append("404")
        if self.method in ("PUT", "PATCH") or (self.method == "POST" and "{" in self.path):
            codes += ["409", "412"]
        if self.method == "POST" and "{" not in self.path:
            codes.append("409")
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code, direction=direction)
        return responses
