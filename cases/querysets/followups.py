"""Reads for follow-up letters and corrective actions: scoping, open, overdue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone

from cases.choices import FollowUpStatus


def _scoped(qs: Any, user: Any) -> Any:
    from cases.permissions import visible_agency_ids

    ids = visible_agency_ids(user)
    return qs if ids is None else qs.filter(agency_id__in=ids)


class FollowUpQuerySet(models.QuerySet):
    def for_user(self, user: Any) -> FollowUpQuerySet:
        """Follow-ups of the agencies the user may read (cases.permissions decides)."""
        return _scoped(self, user)

    def active(self) -> FollowUpQuerySet:
        """Not archived (an archived follow-up leaves lists and figures but is kept)."""
        return self.filter(archived_at__isnull=True)

    def open(self) -> FollowUpQuerySet:
        return self.filter(status=FollowUpStatus.OPEN)

    def overdue(self, today: dt.date | None = None) -> FollowUpQuerySet:
        """Still unanswered after the reply deadline's last day."""
        return self.open().filter(due_on__lt=today or timezone.localdate())

    def not_overdue(self, today: dt.date | None = None) -> FollowUpQuerySet:
        return self.exclude(Q(status=FollowUpStatus.OPEN) & Q(due_on__lt=today or timezone.localdate()))


class CorrectiveActionQuerySet(models.QuerySet):
    def for_user(self, user: Any) -> CorrectiveActionQuerySet:
        return _scoped(self, user)

    def active(self) -> CorrectiveActionQuerySet:
        return self.filter(archived_at__isnull=True)

    def open(self) -> CorrectiveActionQuerySet:
        return self.filter(done_on__isnull=True)

    def overdue(self, today: dt.date | None = None) -> CorrectiveActionQuerySet:
        return self.open().filter(due_on__lt=today or timezone.localdate())
