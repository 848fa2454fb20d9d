"""The cross-agency matrix, generated from the router: another agency's object is a 404.

For every registered route and every method it answers, users of agency A
(legal staff, a leader, a viewer) get 404 on an object of agency B, and B's
objects never appear in A's lists. A route registered later is picked up here
automatically; it only needs a maker in tests/api/conftest.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from cases.api.urls import router
from cases.choices import LeaderRank, Role
from tests.api.conftest import GLOBAL_RESOURCES, MAKERS
from tests.factories import member

pytestmark = pytest.mark.django_db


def _routes() -> list[tuple[str, Any, str, str, bool, str]]:
    """(basename, viewset, url name, method, detail, action) for every route of the router."""
    rows = []
    for _prefix, viewset, basename in router.registry:
        for route in router.get_routes(viewset):
            for method, action in router.get_method_map(viewset, route.mapping).items():
                rows.append((basename, viewset, route.name.format(basename=basename), method, route.detail, action))
    return rows


ROUTES = _routes()
SCOPED = [r for r in ROUTES if r[0] not in GLOBAL_RESOURCES]
DETAIL_ROUTES = [r for r in SCOPED if r[4]]
LIST_ROUTES = [r for r in SCOPED if not r[4] and r[5] == "list"]


def _id(row: tuple[Any, ...]) -> str:
    return f"{row[3].upper()} {row[2]}"


@pytest.fixture(params=[Role.STAFF, Role.LEADER, Role.VIEWER])
def user_a(request, agency):
    return member(agency, request.param, LeaderRank.PRINCIPAL if request.param == Role.LEADER else "")


def _detail_url(viewset: Any, name: str, obj: Any) -> str:
    kwarg = viewset.lookup_url_kwarg or viewset.lookup_field
    value = getattr(obj, "user_id" if viewset.lookup_field == "user_id" else viewset.lookup_field)
    return reverse(f"api:{name}", kwargs={kwarg: value})


def test_it_covers_every_registered_resource():
    registered = {basename for _p, _v, basename in router.registry}

    assert registered - GLOBAL_RESOURCES <= set(MAKERS), "add a maker in tests/api/conftest.py"
    assert {"case", "hearing", "deadline", "agency", "person"} <= registered


@pytest.mark.parametrize("row", DETAIL_ROUTES, ids=_id)
def test_it_answers_404_for_another_agencys_object(row, client_for, user_a, other_agency, other_staff):
    basename, viewset, name, method, _detail, _action = row
    obj = MAKERS[basename](other_agency, 1, other_staff)[0]
    url = _detail_url(viewset, name, obj)

    response = getattr(client_for(user_a), method)(url, {}, format="json")

    assert response.status_code == 404, (url, response.status_code, getattr(response, "data", None))
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("row", [r for r in DETAIL_ROUTES if r[5] == "retrieve"], ids=_id)
def test_it_shows_the_same_object_to_its_own_agency(row, client_for, other_agency, other_staff):
    """The 404s above are about scoping, not a wrong URL: the owner reads the object."""
    basename, viewset, name, _method, _detail, _action = row
    obj = MAKERS[basename](other_agency, 1, other_staff)[0]

    assert client_for(other_staff).get(_detail_url(viewset, name, obj)).status_code == 200


@pytest.mark.parametrize("row", LIST_ROUTES, ids=_id)
def test_it_never_lists_another_agencys_objects(row, client_for, user_a, agency, other_agency, other_staff):
    basename, viewset, name, _method, _detail, _action = row
    theirs = MAKERS[basename](other_agency, 2, other_staff)
    ours = MAKERS[basename](agency, 1, user_a)
    field = "user_id" if viewset.lookup_field == "user_id" else viewset.lookup_field
    key = "id" if field in ("pk", "user_id") else field

    body = client_for(user_a).get(reverse(f"api:{name}")).json()
    shown = {row[key] for row in body["results"]}

    assert not shown & {getattr(o, field) for o in theirs}
    assert shown & {getattr(o, field) for o in ours}


def test_it_refuses_to_attach_records_to_another_agencys_case(api, other_agency, other_staff):
    theirs = MAKERS["case"](other_agency, 1, other_staff)[0]

    hearing = api.post("/api/hearings/", {"case": theirs.pk, "scheduled_at": "2030-01-01T09:00:00Z"}, format="json")
    deadline = api.post("/api/deadlines/", {"case": theirs.pk, "title": "x", "due_on": "2030-01-01"}, format="json")

    assert (hearing.status_code, deadline.status_code) == (400, 400)
    assert "case" in hearing.json()["errors"] and "case" in deadline.json()["errors"]
    assert not theirs.hearings.exists() and not theirs.deadlines.exists()


def test_it_lets_a_leader_read_sub_agencies(client_for, agency):
    from tests.factories import AgencyFactory, CaseFactory

    child = AgencyFactory(parent=agency, code="wuzhou-wanxiu")
    case = CaseFactory(agency=child)
    leader = member(agency, Role.LEADER, LeaderRank.PRINCIPAL)
    staff = member(agency, Role.STAFF)

    assert client_for(leader).get(f"/api/cases/{case.pk}/").status_code == 200
    assert client_for(staff).get(f"/api/cases/{case.pk}/").status_code == 404
    assert client_for(leader).post(f"/api/cases/{case.pk}/suspend/", {"reason": "x"}, format="json").status_code == 403
