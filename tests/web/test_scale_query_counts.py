"""Issue 17: the case list, the dashboard and the roll-up cost queries that do not grow
with the rows shown or the number of agencies in scope."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from cases.choices import Role
from cases.querysets.statistics import yearly_statistics
from cases.services.deadlines import deadlines_sync
from cases.users import SYSTEM
from tests.factories import AgencyFactory, CaseFactory, HearingFactory, member

pytestmark = pytest.mark.django_db

YEAR = 2025


def queries(call) -> int:
    with CaptureQueriesContext(connection) as ctx:
        call()
    return len(ctx.captured_queries)


def add_cases(agency, handler, n: int) -> None:
    for _ in range(n):
        case = CaseFactory(agency=agency)
        case.handlers.set([handler])
        HearingFactory(case=case)
        deadlines_sync(case=case, by=SYSTEM)


def test_the_case_list_shows_200_rows_in_the_same_at_most_6_queries_as_1(agency, staff):
    client = APIClient()
    client.force_authenticate(staff)
    add_cases(agency, staff, 1)
    client.get("/api/cases/")  # warm the per-process working-day calendar

    def page(size: int):
        def get():
            response = client.get("/api/cases/", {"page_size": size})
            assert response.status_code == 200
            assert len(response.json()["results"]) == min(size, response.json()["count"])

        return get

    one = queries(page(1))
    add_cases(agency, staff, 199)
    two_hundred = queries(page(200))
    assert two_hundred == one
    assert one <= 6


def tree(children: int):
    """A supervising body with ``children`` bureaus under it, each with one case."""
    root = AgencyFactory()
    bureaus = [AgencyFactory(parent=root) for _ in range(children)]
    for bureau in bureaus:
        CaseFactory(agency=bureau)
    return root, bureaus


def test_the_roll_up_of_a_supervising_body_costs_the_same_queries_for_1_and_100_agencies():
    small, _ = tree(1)
    large, _ = tree(100)
    one = queries(lambda: yearly_statistics(year=YEAR, agency=small, with_children=True))
    hundred = queries(lambda: yearly_statistics(year=YEAR, agency=large, with_children=True))
    assert hundred == one


def test_the_dashboard_of_a_supervising_body_costs_the_same_queries_for_1_and_100_agencies(client):
    def dashboard_queries(children: int) -> int:
        root, _ = tree(children)
        admin = member(root, Role.ADMIN)
        client.force_login(admin)
        client.get("/dashboard/", {"agency": root.code, "children": "1"})  # warm caches

        def get():
            response = client.get("/dashboard/", {"agency": root.code, "children": "1"})
            assert response.status_code == 200

        return queries(get)

    one = dashboard_queries(1)
    assert dashboard_queries(100) == one
