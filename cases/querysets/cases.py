"""Reads for cases: scoping to the user, the year a case is handled in (D2), buckets (D3),
and the derived columns every list shows (next deadline, overdue, hearing summary).

The API list, the ledger and its export, and the dashboard all read these columns
from here, so "overdue" or "next deadline" means the same thing on every page.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Case as When_
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from cases.choices import HearingStatus, Status
from cases.querysets.scoped import ScopedQuerySet
from casetracker.outcomes import BUCKET_OF, Bucket

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from cases.models import Case  # noqa: F401
    from cases.querysets.deadlines import DeadlineQuerySet
    from cases.querysets.hearings import HearingQuerySet
    from casetracker.calendar import WorkdayCalendar


def bucket_expression(year: int | None = None) -> When_:
    """SQL expression giving a case's bucket (D3); with a year, as seen at that year's end (D2).

    The outcome -> bucket map itself lives in casetracker.outcomes; this only
    translates it into a CASE WHEN so the database can group by it.
    """
    concluded = Q(status=Status.CONCLUDED)
    if year is not None:
        concluded &= Q(concluded_on__lte=dt.date(year, 12, 31))
    whens = [
        When(concluded & Q(outcome=outcome.value), then=Value(bucket.value))
        for outcome, bucket in BUCKET_OF.items()
    ]
    return When_(*whens, default=Value(Bucket.PENDING.value), output_field=models.CharField())


URGENCY = ("urgency",)  # the annotation DeadlineQuerySet.with_urgency() adds (no model field)


def concluded_or_open() -> Coalesce:
    """The conclusion day, or the last day there is for a case not concluded: the expression
    of the index ``case_handled_idx`` (cases/models/case.py), so it must stay the same."""
    return Coalesce("concluded_on", Value(dt.date.max))


def next_deadlines() -> DeadlineQuerySet:
    """The correlated subquery behind "next deadline": the case's open bureau duties, soonest first.

    Watched limits (the court's, the reviewing body's) are shown on the case but
    are not the bureau's to meet, so they never make a case "next due" or overdue.
    """
    from cases.models import Deadline

    return Deadline.objects.filter(case=OuterRef("pk")).open().bureau().order_by("due_on", "id")


def _hearings() -> HearingQuerySet:
    from cases.models import Hearing

    return Hearing.objects.filter(case=OuterRef("pk"), archived_at__isnull=True)


def _count(subquery: Any) -> Coalesce:
    counted = subquery.order_by().values("case").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


class CaseQuerySet(ScopedQuerySet["Case"]):
    agency_lookup = "agency_id"

    def active(self) -> CaseQuerySet:
        """Not archived: archived cases are kept but left out of ledgers and figures."""
        return self.filter(archived_at__isnull=True)

    def open(self) -> CaseQuerySet:
        return self.exclude(status=Status.CONCLUDED)

    def urgency_counts(self, *, today: dt.date, calendar: WorkdayCalendar) -> dict[str, int]:
        """How many of these cases have their next bureau deadline at each DeadlineUrgency
        level, with ``none`` (no open bureau deadline) and ``total``: what
        ``with_next_deadline()``'s ``next_urgency`` would give, counted set-based.

        A case's next deadline is its soonest one, so its level is overdue if any open duty
        is past due, due within 3 working days if any is due by then (and none is past),
        and so on: four distinct counts of cases over the deadlines at or before each
        bound, and the levels are their differences. Two queries whatever the number of
        cases, instead of a correlated subquery per case (issue 17, the national dashboard).
        """
        from cases.models import Deadline
        from casetracker.periods import urgency_bounds

        bounds = urgency_bounds(today, calendar)
        duties = Deadline.objects.open().bureau().filter(case_id__in=self.order_by().values("id")).order_by()
        reached = duties.aggregate(
            overdue=Count("case_id", distinct=True, filter=Q(due_on__lt=bounds.today)),
            by_3=Count("case_id", distinct=True, filter=Q(due_on__lte=bounds.last_3_working_days)),
            # Before a long holiday 3 working days can reach past 7 calendar days; the first
            # level that applies wins (casetracker.periods.Urgency), so the bounds nest.
            by_7=Count("case_id", distinct=True, filter=Q(due_on__lte=max(bounds.last_7_days,
                                                                           bounds.last_3_working_days))),
            any=Count("case_id", distinct=True),
        )
        total = self.order_by().count()
        return {
            "overdue": reached["overdue"],
            "due_3_working_days": reached["by_3"] - reached["overdue"],
            "due_7_days": reached["by_7"] - reached["by_3"],
            "later": reached["any"] - reached["by_7"],
            "none": total - reached["any"],
            "total": total,
        }

    def handled_by(self, user: User) -> CaseQuerySet:
        """Cases the user is a handler (承办人) of."""
        return self.filter(handlers=user)

    def unassigned(self) -> CaseQuerySet:
        """Cases nobody is a handler of yet."""
        return self.filter(handlers__isnull=True)

    def handled_in(self, year: int) -> CaseQuerySet:
        """D2: received on or before 31 Dec of the year and not concluded before 1 Jan.

        "Not concluded, or concluded on or after 1 Jan" is written as one range on
        ``concluded_or_open()``, the expression of the covering index ``case_handled_idx``:
        a province's roll-up then reads that index alone (issue 17)."""
        return self.active().alias(concluded_or_open=concluded_or_open()).filter(
            received_on__lte=dt.date(year, 12, 31), concluded_or_open__gte=dt.date(year, 1, 1)
        )

    def with_bucket(self, year: int | None = None) -> CaseQuerySet:
        return self.annotate(bucket=bucket_expression(year))

    def overdue(self, *, today: dt.date | None = None) -> CaseQuerySet:
        """Overdue (已逾期): the case has an open bureau deadline whose due day has passed.

        The one definition behind the API's ``has_overdue_deadline``, the ledger's
        ``overdue`` filter and the dashboard; the deadlines themselves come from
        ``Deadline.objects.overdue()``. Equivalent to "the next deadline is past due".
        """
        return self.filter(self._overdue(today))

    def not_overdue(self, *, today: dt.date | None = None) -> CaseQuerySet:
        return self.filter(~self._overdue(today))

    @staticmethod
    def _overdue(today: dt.date | None) -> Exists:
        from cases.models import Deadline

        return Exists(Deadline.objects.overdue(today=today).filter(case=OuterRef("pk")))

    def with_next_deadline(
        self, *, today: dt.date | None = None, calendar: WorkdayCalendar | None = None
    ) -> CaseQuerySet:
        """Annotate the next open bureau deadline: ``next_due``, ``next_deadline_id``,
        ``next_rule``, ``next_rule_version``, ``next_title`` and ``next_urgency`` (a DeadlineUrgency code), one
        correlated subquery each, so a page costs the same queries whatever its size."""
        upcoming = next_deadlines()
        with_level = upcoming.with_urgency(today=today, calendar=calendar)
        return self.annotate(
            next_due=Subquery(upcoming.values("due_on")[:1]),
            next_deadline_id=Subquery(upcoming.values("id")[:1]),
            next_rule=Subquery(upcoming.values("rule")[:1]),
            next_rule_version=Subquery(upcoming.values("rule_version")[:1]),
            next_title=Subquery(upcoming.values("title")[:1]),
            next_urgency=Subquery(with_level.values(*URGENCY)[:1]),
        )

    def with_hearing_summary(self) -> CaseQuerySet:
        """Annotate ``hearings_count`` (not cancelled), ``hearings_held``, ``leader_attended``
        (a responsible person attended a held hearing) and the next scheduled hearing
        (``next_hearing_id``, ``next_hearing_at``, ``next_hearing_leader_id``).

        For one case (the API's detail). A list page computes the same summary from its
        hearings in one query, cases.querysets.case_list.hearing_summaries_of(): six
        correlated subqueries cost Django ~10 ms of CPU to build and compile per page.
        tests/api/test_case_list_rows.py holds the two equal."""
        hearings = _hearings()
        held = hearings.filter(status=HearingStatus.HELD)
        upcoming = hearings.filter(status=HearingStatus.SCHEDULED, scheduled_at__gte=timezone.now()).order_by(
            "scheduled_at", "id"
        )
        return self.annotate(
            hearings_count=_count(hearings.exclude(status=HearingStatus.CANCELLED)),
            hearings_held=_count(held),
            leader_attended=Exists(held.filter(responsible_person__isnull=False)),
            next_hearing_id=Subquery(upcoming.values("id")[:1]),
            next_hearing_at=Subquery(upcoming.values("scheduled_at")[:1]),
            next_hearing_leader_id=Subquery(upcoming.values("expected_leader")[:1]),
        )

    def with_agency_code(self) -> CaseQuerySet:
        """Annotate ``agency_code``: a subquery per row shown, not a join, so a wide list's
        count (up to 10,000 rows, cases/api/pagination.py) does not join every row to its agency."""
        from cases.models import Agency

        code = Agency.objects.filter(pk=OuterRef("agency_id")).order_by().values("code")[:1]
        return self.annotate(agency_code=Subquery(code))

    def grounds_missing(self) -> CaseQuerySet:
        """Concluded as corrected/lost but without the grounds D12 asks for (cases from before it asked)."""
        from cases.models import CaseGround

        corrected = [o.value for o, b in BUCKET_OF.items() if b is Bucket.CORRECTED]
        return self.filter(status="concluded", outcome__in=corrected).exclude(
            Exists(CaseGround.objects.filter(case=OuterRef("pk")))
        )

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

    def with_late_evidence(self) -> CaseQuerySet:
        """How many evidence submissions (and items) of the case were filed after the defence deadline (ALL 34)."""
        from cases.models import EvidenceSubmission

        late = EvidenceSubmission.objects.filter(case=OuterRef("pk"), late=True).order_by().values("case")
        count = late.annotate(n=Count("pk")).values("n")
        items = late.annotate(n=Sum("items_count")).values("n")
        return self.annotate(
            late_evidence_submissions=Coalesce(Subquery(count, output_field=IntegerField()), Value(0)),
            late_evidence_items=Coalesce(Subquery(items, output_field=IntegerField()), Value(0)),
        )
