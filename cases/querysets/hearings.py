"""Reads for hearings."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

from cases.choices import HearingStatus
from cases.querysets.scoped import ScopedQuerySet

if TYPE_CHECKING:
    from cases.models import Hearing  # noqa: F401


class HearingQuerySet(ScopedQuerySet["Hearing"]):
    agency_lookup = "case__agency_id"

    def active(self) -> HearingQuerySet:
        return self.filter(archived_at__isnull=True, case__archived_at__isnull=True)

    def needing_record(self) -> HearingQuerySet:
        """Past hearings still marked scheduled: someone must record what happened."""
        return self.active().filter(status=HearingStatus.SCHEDULED, scheduled_at__lt=timezone.now())

    def upcoming(self, days: int = 14) -> HearingQuerySet:
        now = timezone.now()
        return self.active().filter(
            status=HearingStatus.SCHEDULED, scheduled_at__gte=now, scheduled_at__lt=now + dt.timedelta(days=days)
        )
