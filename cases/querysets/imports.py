"""Reads for ledger imports: scoped to their agency like every agency's rows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cases.querysets.scoped import ScopedQuerySet

if TYPE_CHECKING:
    from cases.models import LedgerImport  # noqa: F401


class LedgerImportQuerySet(ScopedQuerySet["LedgerImport"]):
    agency_lookup = "agency_id"
