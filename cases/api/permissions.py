"""Who may call what in the API; the agency rules themselves live in cases.permissions.

Order matters: an object of another agency is filtered out of ``get_queryset()``,
so it is a 404 before any permission is asked; only objects the user can see
reach ``has_object_permission``, where a reader's write gets a 403.
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission

from cases.permissions import can_write, writable_agency_ids
from cases.querysets.scoped import agency_id_of


def may_write_somewhere(user: Any) -> bool:
    ids = writable_agency_ids(user)
    return ids is None or bool(ids)


class AgencyScopedPermission(BasePermission):
    """Readers read; legal staff write within their agency; administrators do everything.

    A write on a detail route is decided per object (after the scoped lookup), so a
    user never learns from a 403 that another agency's object exists.
    """

    def has_permission(self, request: Any, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in SAFE_METHODS or getattr(view, "detail", False):
            return True
        return may_write_somewhere(request.user)

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        agency_id = agency_id_of(obj)
        return agency_id is not None and can_write(request.user, agency_id)
