"""Issue 17: open cases counted by the urgency of their next bureau deadline, set-based, give
exactly what the per-case ``next_urgency`` annotation gives (the ledger's colour)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from cases.choices import DeadlineStatus
from cases.models import Case, Deadline
from casetracker.calendar import WorkdayCalendar
from tests.factories import AgencyFactory, CaseFactory, DeadlineFactory

CALENDAR = WorkdayCalendar()
# 2025-09-30: the eve of the National Day week, where 3 working days reach past 7 calendar days.
CLOSED_AT = dt.datetime(2025, 9, 1, tzinfo=dt.UTC)
DAYS = [dt.date(2025, 9, 15), dt.date(2025, 9, 30), dt.date(2026, 2, 13)]

deadline_specs = st.tuples(
    st.integers(-10, 25),  # due, days from today
    st.sampled_from([DeadlineStatus.OPEN, DeadlineStatus.OPEN, DeadlineStatus.MET]),
    st.booleans(),  # the bureau's own duty, or a watched limit
)


def expected(cases, today):
    annotated = cases.with_next_deadline(today=today, calendar=CALENDAR).values_list("next_urgency", flat=True)
    counts = Counter(level or "none" for level in annotated)
    return {**{key: counts.get(key, 0) for key in ("overdue", "due_3_working_days", "due_7_days", "later",
                                                     "none")}, "total": cases.count()}


@hypothesis_settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(st.lists(deadline_specs, max_size=4), max_size=8), today=st.sampled_from(DAYS))
def test_the_counts_are_what_each_cases_next_deadline_says(db, specs, today):
    with transaction.atomic():
        agency = AgencyFactory(code="u")
        for index, deadlines in enumerate(specs):
            case = CaseFactory(agency=agency, number=f"U{index}")
            for offset, status, duty in deadlines:
                closed = None if status == DeadlineStatus.OPEN else CLOSED_AT
                Deadline.objects.create(case=case, rule="manual", title="t", due_on=today + dt.timedelta(offset),
                                        status=status, closed_at=closed, is_bureau_duty=duty)
        cases = Case.objects.filter(agency=agency)
        assert cases.urgency_counts(today=today, calendar=CALENDAR) == expected(cases, today)
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 50])
def test_it_takes_two_queries_whatever_the_number_of_cases(django_assert_num_queries, n):
    agency = AgencyFactory(code="u")
    for index in range(n):
        DeadlineFactory(case=CaseFactory(agency=agency, number=f"Q{index}"), due_on=dt.date(2025, 9, 1))
    with django_assert_num_queries(2):
        counts = Case.objects.filter(agency=agency).urgency_counts(today=DAYS[0], calendar=CALENDAR)
    assert counts["overdue"] == counts["total"] == n
