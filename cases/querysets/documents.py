"""Reads for documents: scoped through their case's agency."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cases.querysets.scoped import ScopedQuerySet

if TYPE_CHECKING:
    from cases.models import Document  # noqa: F401


class DocumentQuerySet(ScopedQuerySet["Document"]):
    agency_lookup = "case__agency_id"

    def active(self) -> DocumentQuerySet:
        """Not archived, on a case that is not archived."""
        return self.filter(archived_at__isnull=True, case__archived_at__isnull=True)
