"""Reads for hearings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils import timezone


class HearingQuerySet(models.QuerySet):
    def for_user(self, user: Any) -> HearingQuerySet:
        from cases.permissions import visible_agency_ids

        ids = visible_agency_ids(user)
        return self if ids is None else self.filter(case__agency_id__in=ids)

    def active(self) -> HearingQuerySet:
        return self.filter(archived_at__isnull=True, case__archived_at__isnull=True)

    def needing_record(self) -> HearingQuerySet:
        """Past hearings still marked scheduled: someone must record what happened."""
        return self.active().filter(status="scheduled", scheduled_at__lt=timezone.now())

    def upcoming(self, days: int = 14) -> HearingQuerySet:
        now = timezone.now()
        return self.active().filter(
            status="scheduled", scheduled_at__gte=now, scheduled_at__lt=now + dt.timedelta(days=days)
        )
