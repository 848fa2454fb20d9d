"""The one way rows are scoped to a user's agencies.

Every model whose rows belong to an agency gets its queryset from ScopedQuerySet
and names, in ``agency_lookup``, the path from a row to its agency's id
("agency_id" for a case, "case__agency_id" for a hearing, "pk" for an agency).
``for_user`` (what a user may read) and ``writable_by`` (what they may change)
are then the same two lines for every model, and ``agency_id_of(obj)`` follows
the same path on one object, for permission checks (API, admin) that hold an
object rather than a queryset. Who may see which agencies is cases.permissions.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from django.db import models

from cases.users import Viewer

M = TypeVar("M", bound=models.Model)


class ScopedQuerySet(models.QuerySet[M]):
    """Rows of the agencies a user may read or write, through ``agency_lookup``."""

    agency_lookup: ClassVar[str] = "agency_id"

    def for_user(self, user: Viewer) -> Any:
        """Rows the user may read; administrators see every agency's, nobody signed in sees none."""
        from cases.permissions import visible_agency_ids

        return self._within(visible_agency_ids(user))

    def writable_by(self, user: Viewer) -> Any:
        """Rows the user may change (legal staff of the row's agency, or an administrator)."""
        from cases.permissions import writable_agency_ids

        return self._within(writable_agency_ids(user))

    def _within(self, ids: set[int] | None) -> Any:
        return self if ids is None else self.filter(**{f"{self.agency_lookup}__in": ids})


def agency_id_of(obj: models.Model) -> int | None:
    """The id of the agency an object belongs to, by its queryset's ``agency_lookup``; None if unscoped."""
    queryset = type(obj)._default_manager.all()
    if not isinstance(queryset, ScopedQuerySet):
        return None
    value: Any = obj
    for part in queryset.agency_lookup.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return int(value)
