"""What every API viewset shares: the scoped lookup, version checks (If-Match / ``version``), input.

Every ``get_queryset()`` starts from ``for_user(user)``, so another agency's
object is a 404 for every method, actions included. Writes on versioned records
accept ``If-Match: "<version>"`` (stale -> 412) or a ``version`` field (stale ->
409); both are checked under the row lock the service then works under.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.request import Request
from rest_framework.response import Response

from cases.api import serializers as s
from cases.api.errors import PreconditionFailed
from cases.api.permissions import AgencyScopedPermission

User = get_user_model()
T = TypeVar("T")

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


def _if_match_versions(header: str) -> set[int] | None:
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
    """Check If-Match and ``version`` under a row lock, then let the service write."""

    request: Request
    get_object: Callable[[], Any]
    _respond: Callable[[Any], Response]

    def _act(self, serializer_class: type[Any], call: Callable[[Any, dict[str, Any]], Any],
             names: dict[str, str] | None = None) -> Response:
        """A POST action on one record: validate the body, check the version, call the service, answer.

        ``names`` reports the service's field errors under the API's field names.
        """
        obj = self.get_object()
        data = validated_input(serializer_class, self.request)
        version = data.pop("version", None)

        def write() -> Any:
            with renamed_errors(names) if names else nullcontext():
                return call(obj, data)

        return self._respond(self.guarded(obj, version, write))

    def guarded(self, obj: Any, body_version: int | None, write: Callable[[], T]) -> T:
        header = self.request.headers.get("If-Match")
        if not hasattr(obj, "version"):
            return write()
        with transaction.atomic():
            # select_for_update keeps the row locked until the service's own lock and save.
            locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
            if header is not None:
                versions = _if_match_versions(header)
                if versions is not None and locked.version not in versions:
                    raise PreconditionFailed(locked.version)
            if body_version is not None and body_version != locked.version:
                from cases.errors import StaleVersion

                raise StaleVersion(locked.version)
            return write()

    @staticmethod
    def with_etag(response: Response, obj: Any) -> Response:
        if hasattr(obj, "version"):
            response["ETag"] = f'"{obj.version}"'
        return response


def validated_input(serializer_class: type[Any], request: Request, **kwargs: Any) -> dict[str, Any]:
    serializer = serializer_class(data=request.data, context={"request": request}, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
