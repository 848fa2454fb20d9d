"""Reads for cases: scoping to the user, the year a case is handled in (D2), buckets (D3)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import Case as When_
from django.db.models import Q, Value, When

from casetracker.outcomes import BUCKET_OF, Bucket


def bucket_expression(year: int | None = None) -> When_:
    """SQL expression giving a case's bucket (D3); with a year, as seen at that year's end (D2).

    The outcome -> bucket map itself lives in casetracker.outcomes; this only
    translates it into a CASE WHEN so the database can group by it.
    """
    concluded = Q(status="concluded")
    if year is not None:
        concluded &= Q(concluded_on__lte=dt.date(year, 12, 31))
    whens = [
        When(concluded & Q(outcome=outcome.value), then=Value(bucket.value))
        for outcome, bucket in BUCKET_OF.items()
    ]
    return When_(*whens, default=Value(Bucket.PENDING.value), output_field=models.CharField())


class CaseQuerySet(models.QuerySet):
    def for_user(self, user: Any) -> CaseQuerySet:
        """Cases the user may read (cases.permissions decides)."""
        from cases.permissions import visible_agency_ids

        ids = visible_agency_ids(user)
        return self if ids is None else self.filter(agency_id__in=ids)

    def writable_by(self, user: Any) -> CaseQuerySet:
        from cases.permissions import writable_agency_ids

        ids = writable_agency_ids(user)
        return self if ids is None else self.filter(agency_id__in=ids)

    def active(self) -> CaseQuerySet:
        """Not archived: archived cases are kept but left out of ledgers and figures."""
        return self.filter(archived_at__isnull=True)

    def open(self) -> CaseQuerySet:
        return self.exclude(status="concluded")

    def handled_in(self, year: int) -> CaseQuerySet:
        """D2: received on or before 31 Dec of the year and not concluded before 1 Jan."""
        return self.active().filter(received_on__lte=dt.date(year, 12, 31)).filter(
            Q(concluded_on__isnull=True) | Q(concluded_on__gte=dt.date(year, 1, 1))
        )

    def with_bucket(self, year: int | None = None) -> CaseQuerySet:
        return self.annotate(bucket=bucket_expression(year))

    def search(self, text: str) -> CaseQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(number__icontains=text)
            | Q(applicant__icontains=text)
            | Q(third_parties__icontains=text)
            | Q(act_description__icontains=text)
            | Q(act_document_number__icontains=text)
            | Q(reviewing_body__icontains=text)
        )
