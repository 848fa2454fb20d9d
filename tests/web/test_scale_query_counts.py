"""Issue 17: the case list, the dashboard and the roll-up cost queries that do not grow
with the rows shown or the number of agencies in scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from cases.choices import HearingStatus, Role
from cases.models import Agency
from cases.querysets.statistics import yearly_statistics
from cases.services.deadlines import deadlines_sync
from cases.users import SYSTEM
from tests.factories import AgencyFactory, CaseFactory, HearingFactory, member

pytestmark = pytest.mark.django_db

YEAR = 2025
HELD_IN_YEAR = dt.datetime(YEAR, 6, 2, 2, 0, tzinfo=dt.UTC)


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


def test_a_national_administrators_case_list_shows_200_rows_in_the_queries_of_1(agency, staff):
    """The count is capped for administrators (cases/api/pagination.py): no extra query below the cap."""
    admin = member(AgencyFactory(), Role.ADMIN)
    client = APIClient()
    client.force_authenticate(admin)
    add_cases(agency, staff, 1)
    client.get("/api/cases/")

    def page(size: int):
        return lambda: client.get("/api/cases/", {"page_size": size})

    one = queries(page(1))
    add_cases(agency, staff, 199)
    assert queries(page(200)) == one <= 6
    assert set(client.get("/api/cases/").json()) == {"count", "next", "previous", "results"}


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
    AgencyFactory(code="elsewhere")  # so neither body below is the only root (that is the next test)

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


def test_the_national_dashboard_costs_the_same_queries_for_1_and_100_agencies(client):
    root, _ = tree(1)  # the only root: its subtree is every agency, read without an agency filter
    admin = member(root, Role.ADMIN)
    client.force_login(admin)

    def get():
        response = client.get("/dashboard/", {"agency": root.code, "children": "1"})
        assert response.status_code == 200

    get()  # warm caches
    one = queries(get)
    for _ in range(99):
        CaseFactory(agency=AgencyFactory(parent=root))
    assert queries(get) == one


def province(cities: int, bureaus_per_city: int):
    """A province over ``cities`` cities with ``bureaus_per_city`` bureaus each; every agency has
    one lawsuit received in YEAR with a court hearing held in YEAR that the agency attended."""
    root = AgencyFactory()
    cities_made, bureaus = [], []
    for _ in range(cities):
        city = AgencyFactory(parent=root)
        cities_made.append(city)
        bureaus += [AgencyFactory(parent=city) for _ in range(bureaus_per_city)]
    for agency in [root, *cities_made, *bureaus]:
        case = CaseFactory(agency=agency, received_on=dt.date(YEAR, 3, 1))
        HearingFactory(case=case, scheduled_at=HELD_IN_YEAR, status=HearingStatus.HELD, bureau_appeared=True,
                       absence_reason="另有公务")
    return root, cities_made, bureaus


def test_the_roll_up_of_a_bureau_a_city_and_a_province_costs_the_same_queries_for_1_and_100_agencies():
    small_root, small_cities, _ = province(1, 0)  # a province with 1 agency under it
    large_root, large_cities, large_bureaus = province(10, 9)  # 10 cities + 90 bureaus = 100
    assert len(large_cities) + len(large_bureaus) == 100

    def cost(agency, with_children):
        return queries(lambda: yearly_statistics(year=YEAR, agency=agency, with_children=with_children))

    bureau = cost(small_cities[0], False)
    assert cost(large_bureaus[0], False) == bureau
    city = cost(small_cities[0], True)
    assert cost(large_cities[0], True) == city  # a city with its 9 bureaus
    whole = cost(small_root, True)
    assert cost(large_root, True) == whole == city
    assert yearly_statistics(year=YEAR, agency=large_root, with_children=True)["total"] == 101


@pytest.mark.parametrize("role", [Role.LEADER, Role.ADMIN], ids=["provincial leader", "provincial administrator"])
def test_the_dashboard_of_a_province_costs_the_same_queries_for_1_and_100_agencies_under_it(client, role):
    def dashboard_queries(cities: int, bureaus_per_city: int) -> int:
        root, _, _ = province(cities, bureaus_per_city)
        client.force_login(member(root, role))
        params = {"year": YEAR, "agency": root.code, "children": "1"}
        client.get("/dashboard/", params)  # warm the per-process caches

        def get():
            response = client.get("/dashboard/", params)
            assert response.status_code == 200
            assert response.context["figures"]["total"] == 1 + cities * (1 + bureaus_per_city)

        return queries(get)

    one = dashboard_queries(1, 0)
    assert dashboard_queries(10, 9) == one


def test_the_dashboard_of_all_agencies_costs_the_same_queries_for_1_and_100_agencies(client):
    def dashboard_queries(cities: int, bureaus_per_city: int) -> int:
        root, _, _ = province(cities, bureaus_per_city)
        client.force_login(member(root, Role.ADMIN))
        client.get("/dashboard/", {"year": YEAR, "agency": "all"})
        return queries(lambda: client.get("/dashboard/", {"year": YEAR, "agency": "all"}))

    one = dashboard_queries(1, 0)
    assert dashboard_queries(10, 9) == one


def test_the_dashboard_lists_the_agencies_in_scope_a_page_at_a_time_with_their_figures(client):
    from cases.web.dashboard import AGENCIES_SHOWN

    root, cities, bureaus = province(10, 9)
    client.force_login(member(root, Role.LEADER))
    params = {"year": YEAR, "agency": root.code, "children": "1"}
    first = client.get("/dashboard/", params).context["agency_table"]
    assert first.paginator.count == 101 and len(first.object_list) == AGENCIES_SHOWN
    assert first.object_list[0]["agency"] == root and first.object_list[0]["indent"] == ""
    city = first.object_list[1]["agency"]  # tree order: each city before its bureaus
    assert city.pk in {c.pk for c in cities} and first.object_list[1]["indent"] == "└ "
    assert Agency.objects.get(pk=first.object_list[2]["agency"].pk).parent_id == city.pk
    assert first.object_list[2]["indent"] == "\u3000└ "
    row = first.object_list[2]
    assert (row["total"], row["pending"], row["upheld"]) == (1, 1, 0)
    assert (row["court"]["numerator"], row["court"]["denominator"]) == (1, 1)

    last = client.get("/dashboard/", {**params, "agencies_page": 6}).context["agency_table"]
    assert len(last.object_list) == 101 - 5 * AGENCIES_SHOWN
    shown = {r["agency"].pk for page in (1, 2, 3, 4, 5, 6)
             for r in client.get("/dashboard/", {**params, "agencies_page": page}).context["agency_table"]}
    assert shown == {root.pk, *(c.pk for c in cities), *(b.pk for b in bureaus)}


def test_a_single_bureaus_dashboard_has_no_agency_table(client, agency, staff):
    client.force_login(staff)
    assert client.get("/dashboard/").context["agency_table"] is None
