"""Reads for hearings."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

from cases.choices import HearingStatus, Status
from cases.querysets.scoped import ScopedQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from cases.models import Hearing  # noqa: F401


class HearingQuerySet(ScopedQuerySet["Hearing"]):
    agency_lookup = "case__agency_id"

    def active(self) -> HearingQuerySet:
        return self.filter(archived_at__isnull=True, case__archived_at__isnull=True)

    def needing_record(self) -> HearingQuerySet:
        """Past hearings still marked scheduled: someone must record what happened."""
        return self.active().filter(status=HearingStatus.SCHEDULED, scheduled_at__lt=timezone.now())

    def upcoming(self, days: int = 14) -> HearingQuerySet:
        """Scheduled in the coming ``days`` on cases still open: a concluded case's hearing is not "coming"
        (it is listed by ``scheduled_after_conclusion()`` instead, to be cancelled or recorded)."""
        now = timezone.now()
        return self.active().exclude(case__status=Status.CONCLUDED).filter(
            status=HearingStatus.SCHEDULED, scheduled_at__gte=now, scheduled_at__lt=now + dt.timedelta(days=days)
        )

    def scheduled_after_conclusion(self) -> HearingQuerySet:
        """Still scheduled ahead although the case is concluded: left over, to be cancelled."""
        return self.active().filter(
            status=HearingStatus.SCHEDULED, scheduled_at__gte=timezone.now(), case__status=Status.CONCLUDED
        )

    def of_cases_handled_by(self, user: User) -> HearingQuerySet:
        """Hearings of the cases the user is a handler (承办人) of."""
        return self.filter(case__handlers=user)

    def nobody_attended(self) -> HearingQuerySet:
        """我局无人出庭: held hearings at which neither a responsible person nor own staff appeared (D7)."""
        return self.active().filter(status=HearingStatus.HELD, bureau_appeared=False)

    def held_in(self, year: int) -> HearingQuerySet:
        """Hearings whose Beijing-time date falls in ``year`` (the attendance rates' year, D4)."""
        from cases.querysets.statistics import REPORT_TIMEZONE as tz
        return self.filter(
            scheduled_at__gte=dt.datetime(year, 1, 1, tzinfo=tz), scheduled_at__lt=dt.datetime(year + 1, 1, 1, tzinfo=tz)
        )
