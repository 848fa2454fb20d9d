"""Reads for ledger imports: scoped to their agency like every agency's rows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cases.choices import LedgerImportStatus
from cases.querysets.scoped import ScopedQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from cases.models import LedgerImport  # noqa: F401


class LedgerImportQuerySet(ScopedQuerySet["LedgerImport"]):
    agency_lookup = "agency_id"

    def awaiting_confirmation(self) -> LedgerImportQuerySet:
        """Checked (the dry run is done) but not yet confirmed: someone must look and confirm."""
        return self.filter(status=LedgerImportStatus.CHECKED)

    def started_by(self, user: User) -> LedgerImportQuerySet:
        return self.filter(created_by=user)
