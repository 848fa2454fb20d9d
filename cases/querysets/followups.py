"""Reads for follow-up letters and corrective actions: scoping, open, overdue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import timezone

from cases.choices import FollowUpStatus
from cases.querysets.scoped import ScopedQuerySet


class FollowUpQuerySet(ScopedQuerySet[Any]):
    """Letters scoped by their own agency (``for_user``, ``writable_by`` come from ScopedQuerySet)."""

    def active(self) -> FollowUpQuerySet:
        """Not archived (an archived follow-up leaves lists and figures but is kept)."""
        return self.filter(archived_at__isnull=True)

    def open(self) -> FollowUpQuerySet:
        return self.filter(status=FollowUpStatus.OPEN)

    def overdue(self, today: dt.date | None = None) -> FollowUpQuerySet:
        """Still unanswered after the reply deadline's last day."""
        return self.open().filter(due_on__lt=today or timezone.localdate())

    def due_by(self, day: dt.date) -> FollowUpQuerySet:
        """Still unanswered with a reply deadline on or before ``day`` (overdue ones included)."""
        return self.open().filter(due_on__lte=day)

    def not_overdue(self, today: dt.date | None = None) -> FollowUpQuerySet:
        return self.exclude(Q(status=FollowUpStatus.OPEN) & Q(due_on__lt=today or timezone.localdate()))


class CorrectiveActionQuerySet(ScopedQuerySet[Any]):
    """Corrective actions scoped by their own agency (set from their case or letter)."""

    def active(self) -> CorrectiveActionQuerySet:
        return self.filter(archived_at__isnull=True)

    def open(self) -> CorrectiveActionQuerySet:
        return self.filter(done_on__isnull=True)

    def overdue(self, today: dt.date | None = None) -> CorrectiveActionQuerySet:
        return self.open().filter(due_on__lt=today or timezone.localdate())


class CaseGroundQuerySet(ScopedQuerySet[Any]):
    """Grounds of a case, scoped through their case's agency."""

    agency_lookup = "case__agency_id"
