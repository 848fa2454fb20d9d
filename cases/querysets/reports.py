"""Reads for yearly report snapshots, scoped to the agencies a user may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cases.choices import ReportKind
from cases.querysets.scoped import ScopedQuerySet

if TYPE_CHECKING:
    from cases.models import YearlyReport  # noqa: F401


class YearlyReportQuerySet(ScopedQuerySet["YearlyReport"]):
    agency_lookup = "agency_id"

    def snapshots(self) -> YearlyReportQuerySet:
        """The frozen versions (year-end and on-demand), not the nightly running figures."""
        return self.exclude(kind=ReportKind.RUNNING)

    def running(self) -> YearlyReportQuerySet:
        return self.filter(kind=ReportKind.RUNNING)
