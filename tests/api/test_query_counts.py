"""Every list endpoint costs the same queries for 1 row as for 50 (no N+1)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.api.urls import router
from cases.choices import LeaderRank, Role
from cases.services.common import SYSTEM
from cases.services.deadlines import deadlines_sync
from tests.api.conftest import GLOBAL_RESOURCES, MAKERS
from tests.factories import CaseFactory, HearingFactory, member

pytestmark = pytest.mark.django_db

LISTS = [
    (basename, f"{basename}-list")
    for _prefix, viewset, basename in router.registry
    if basename not in GLOBAL_RESOURCES and "get" in router.get_method_map(viewset, {"get": "list"})
]


def _count(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("basename", "name"), LISTS, ids=[b for b, _ in LISTS])
def test_it_lists_50_rows_with_the_queries_of_1(basename, name, client_for, agency, django_assert_num_queries):
    admin = member(agency, Role.ADMIN)
    client = client_for(admin)
    url = reverse(f"api:{name}")
    MAKERS[basename](agency, 1, admin)
    client.get(url)  # warm the per-process caches (the working-day calendar) first
    one = _count(client, url)

    MAKERS[basename](agency, 49, admin)
    with django_assert_num_queries(one):
        response = client.get(url, {"page_size": 50})
    assert len(response.json()["results"]) >= min(50, response.json()["count"])
    assert response.json()["count"] >= 50 or basename == "agency"


def test_it_lists_cases_with_hearings_handlers_and_deadlines_in_constant_queries(client_for, agency, staff):
    leader = member(agency, Role.LEADER, LeaderRank.PRINCIPAL)
    client = client_for(leader)

    def add_case():
        case = CaseFactory(agency=agency)
        case.handlers.set([staff])
        HearingFactory(case=case, expected_leader=leader)
        deadlines_sync(case=case, by=SYSTEM)

    add_case()
    client.get("/api/cases/")  # warm the per-process working-day calendar
    filters = {"q": "原告", "has_overdue_deadline": "false", "hearing_after": "2000-01-01", "ordering": "-received_on"}
    one = _count(client, "/api/cases/", filters)
    for _ in range(49):
        add_case()
    assert _count(client, "/api/cases/", {**filters, "page_size": 50}) == one
