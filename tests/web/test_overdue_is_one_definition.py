"""Overdue means one thing: the API's ``has_overdue_deadline`` and the ledger's ``overdue`` filter
return the same cases, on any mix of open, closed, bureau and watched deadlines (hypothesis)."""

from __future__ import annotations

import datetime as dt
import re

import time_machine
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from rest_framework.test import APIClient

from cases.choices import DeadlineStatus, Role
from cases.models import Case
from tests.factories import AgencyFactory, CaseFactory, DeadlineFactory, member

TODAY = dt.date(2025, 10, 15)

deadline_specs = st.fixed_dictionaries({
    "days_from_today": st.integers(min_value=-5, max_value=5),
    "status": st.sampled_from(DeadlineStatus.values),
    "is_bureau_duty": st.booleans(),
})
case_specs = st.lists(st.lists(deadline_specs, max_size=4), min_size=1, max_size=6)


def _ledger_ids(client: Client, value: str) -> set[int]:
    html = client.get("/cases/", {"overdue": value}).content.decode()
    return {int(pk) for pk in re.findall(r'data-case="(\d+)"', html)}


def _api_ids(client: APIClient, value: str) -> set[int]:
    body = client.get("/api/cases/", {"has_overdue_deadline": value, "page_size": 200}).json()
    return {row["id"] for row in body["results"]}


@time_machine.travel(dt.datetime(2025, 10, 15, 10, 0, tzinfo=dt.UTC))
class TestOverdue(TestCase):
    @settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(cases=case_specs)
    def test_the_api_and_the_ledger_call_the_same_cases_overdue(self, cases):
        agency = AgencyFactory(code="wuzhou-hrss")
        staff = member(agency, Role.STAFF, username="staff")
        expected: set[int] = set()
        for deadlines in cases:
            case = CaseFactory(agency=agency)
            for spec in deadlines:
                due = TODAY + dt.timedelta(days=spec["days_from_today"])
                closed_at = None if spec["status"] == DeadlineStatus.OPEN else timezone.now()
                DeadlineFactory(case=case, due_on=due, status=spec["status"], closed_at=closed_at,
                                is_bureau_duty=spec["is_bureau_duty"])
                if spec["status"] == DeadlineStatus.OPEN and spec["is_bureau_duty"] and due < TODAY:
                    expected.add(case.pk)
        page, api = Client(), APIClient()
        page.force_login(staff)
        api.force_authenticate(staff)
        everyone = set(Case.objects.values_list("pk", flat=True))

        assert _api_ids(api, "true") == _ledger_ids(page, "true") == expected
        assert _api_ids(api, "false") == _ledger_ids(page, "false") == everyone - expected
