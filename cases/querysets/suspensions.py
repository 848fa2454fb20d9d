"""Reads for suspensions: scoped through their case's agency."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cases.querysets.scoped import ScopedQuerySet

if TYPE_CHECKING:
    from cases.models import Suspension  # noqa: F401


class SuspensionQuerySet(ScopedQuerySet["Suspension"]):
    agency_lookup = "case__agency_id"
