"""What every API viewset shares: the scoped lookup, version checks (If-Match / ``version``), input.

Every ``get_queryset()`` starts from ``for_user(user)``, so another agency's
object is a 404 for every method, actions included. Writes on versioned records
accept ``If-Match: "<version>"`` (stale -> 412) or a ``version`` field (stale ->
409); both become the service's ``expected_version``, checked under its row lock.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.functional import cached_property
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.request import Request
from rest_framework.response import Response

from cases.api import serializers as s
from cases.api.errors import if_match_versions
from cases.api.permissions import AgencyScopedPermission
from cases.errors import StaleVersion
from cases.services.calendar import workday_calendar
from casetracker.calendar import WorkdayCalendar

User = get_user_model()

IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description='The ETag of the version you edited, e.g. "3"; a stale one gets 412 and saves nothing.',
)


class ScopedViewSet(viewsets.GenericViewSet):
    """Token first, so a script without credentials gets 401 with WWW-Authenticate.

    The URL takes any lookup value, so a malformed one is this API's JSON 404
    (not the HTML page of the site), and it never reaches the database.
    """

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [AgencyScopedPermission]
    lookup_pattern = re.compile(r"[0-9]{1,10}")

    def lookup_value(self) -> str:
        value = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        if not self.lookup_pattern.fullmatch(value) or (value.isdigit() and int(value) > s.MAX_ID):
            raise Http404
        return value

    def get_object(self) -> Any:
        self.lookup_value()
        return super().get_object()


@contextmanager
def renamed_errors(names: dict[str, str]) -> Iterator[None]:
    """Report service errors under the API's field names (e.g. litigation_instance -> instance)."""
    try:
        yield
    except DjangoValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise DjangoValidationError(
            {names.get(field, field): errors for field, errors in exc.error_dict.items()}
        ) from None


class VersionedWrites:
    """Turn If-Match and a body ``version`` into the service's ``expected_version``.

    The service checks it under its own row lock and raises StaleVersion; the one
    exception handler (cases.api.errors) answers 412 when the If-Match header was
    stale and 409 when the body's version was. No lock or transaction here.
    """

    request: Request
    get_object: Callable[[], Any]
    _respond: Callable[[Any], Response]

    def _act(self, serializer_class: type[Any], call: Callable[[Any, dict[str, Any], int | None], Any],
             names: dict[str, str] | None = None) -> Response:
        """A POST action on one record: validate the body, call the service with the
        expected version, answer. ``names`` reports the service's field errors under
        the API's field names."""
        obj = self.get_object()
        data = validated_input(serializer_class, self.request)
        expected = self.expected_version(obj, data.pop("version", None))
        with renamed_errors(names) if names else nullcontext():
            return self._respond(call(obj, data, expected))

    def expected_version(self, obj: Any, body_version: int | None) -> int | None:
        """The version the caller edited, from If-Match (``*`` = any) and/or the body's ``version``.

        A header or body that disagrees with the record as read is refused at once;
        otherwise the service re-checks under its lock, so a write racing in between
        is refused there.
        """
        if not hasattr(obj, "version"):
            return None
        header = self.request.headers.get("If-Match")
        tags = if_match_versions(header) if header is not None else None
        if tags is not None and obj.version not in tags:
            raise StaleVersion(obj.version)
        from_header = obj.version if tags is not None else None
        if from_header is not None and body_version is not None and body_version != from_header:
            raise StaleVersion(obj.version)
        return from_header if from_header is not None else body_version

    @staticmethod
    def with_etag(response: Response, obj: Any) -> Response:
        if hasattr(obj, "version"):
            response["ETag"] = f'"{obj.version}"'
        return response


def validated_input(serializer_class: type[Any], request: Request, **kwargs: Any) -> dict[str, Any]:
    serializer = serializer_class(data=request.data, context={"request": request}, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class OneCalendar:
    """One working-day calendar per request, shared by the urgency levels and the days left.

    Each workday_calendar() call costs its two fingerprint queries; a list that asked
    once for the queryset and once for the serializer would cost two more than needed.
    """

    @cached_property
    def workday_calendar(self) -> WorkdayCalendar:
        return workday_calendar()

    def get_serializer_context(self) -> dict[str, Any]:
        context: dict[str, Any] = super().get_serializer_context()  # type: ignore[misc]
        context["workday_calendar"] = self.workday_calendar
        return context
