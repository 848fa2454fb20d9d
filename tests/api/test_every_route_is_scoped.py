"""The rest of the cross-agency matrix: every API route is accounted for, not only the router's detail routes.

tests/api/test_scoping.py covers detail routes (404) and lists (never shown). This
file makes sure no other route slips through: every list-level action and every
path outside the router is classified here, and each class is tested for users
of agency A against agency B. A new route fails the first test until it is added.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, reverse

from cases.api import urls as api_urls
from cases.api.urls import router
from cases.choices import LeaderRank, Role
from cases.models import YearlyReport
from cases.models.reminders import Notification
from tests.api.conftest import GLOBAL_RESOURCES, MAKERS
from tests.factories import member

pytestmark = pytest.mark.django_db

#: List-level routes that are neither ``list`` nor ``create``, by how they stay within the user's reach.
LIST_ACTIONS = {
    "notification-unread-count": "own notifications only",
    "notification-read-all": "own notifications only",
    "yearly-report-generate": "agency code in the body: another agency's is a 404",
}
#: Paths outside the router.
OTHER_PATHS = {
    "schema": "public documentation, no data",
    "swagger-ui": "public documentation, no data",
    "api-token": "the caller's own credentials",
    "statistics-yearly": "agency code in the query: another agency's is a 404",
    "not-found": "no data: any path no route matches is the API's JSON 404",
    "case-export": "the caller's visible cases only (for_user), the list's filters",
    "ledger-import": "agency code in the body: another agency's is a 404; only its staff and administrators (403)",
}


def _list_level_routes() -> set[str]:
    names = set()
    for _prefix, viewset, basename in router.registry:
        for route in router.get_routes(viewset):
            actions = set(router.get_method_map(viewset, route.mapping).values())
            if not route.detail and not actions <= {"list", "create"}:
                names.add(route.name.format(basename=basename))
    return names


def _other_paths() -> set[str]:
    return {
        p.name for p in api_urls.urlpatterns
        if isinstance(p, URLPattern) and p.name
    } - {r.name for r in router.urls if isinstance(r, URLPattern | URLResolver)}


@pytest.fixture(params=[Role.STAFF, Role.LEADER, Role.VIEWER])
def user_a(request, agency):
    return member(agency, request.param, LeaderRank.PRINCIPAL if request.param == Role.LEADER else "")


def test_it_accounts_for_every_route_outside_the_detail_and_list_matrix():
    assert _list_level_routes() == set(LIST_ACTIONS), "classify the new list-level action in LIST_ACTIONS"
    assert _other_paths() == set(OTHER_PATHS), "classify the new path in OTHER_PATHS"


@pytest.mark.parametrize("query", [{"agency": "hezhou-hrss"}, {"agency": "hezhou-hrss", "year": 2021},
                                   {"agency": "hezhou-hrss", "with_children": "true"}])
def test_it_answers_404_for_another_agencys_statistics(client_for, user_a, other_agency, query):
    response = client_for(user_a).get(reverse("api:statistics-yearly"), query)

    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_it_answers_404_for_generating_another_agencys_report(client_for, agency, other_agency):
    admin_of_a = member(agency, Role.STAFF)
    response = client_for(admin_of_a).post(reverse("api:yearly-report-generate"),
                                           {"agency": "hezhou-hrss", "year": 2021}, format="json")

    assert response.status_code == 404
    assert not YearlyReport.objects.exists()


def test_it_counts_and_marks_only_the_users_own_notifications(client_for, user_a, other_staff):
    Notification.objects.create(recipient=other_staff, title="他人的提醒")
    client = client_for(user_a)

    assert client.get(reverse("api:notification-unread-count")).json() == {"unread": 0}
    assert client.post(reverse("api:notification-read-all")).json() == {"updated": 0}
    assert Notification.objects.get().read_at is None


LIST_ROUTES = [
    (basename, viewset) for _p, viewset, basename in router.registry
    if basename not in GLOBAL_RESOURCES and "list" in router.get_method_map(viewset, {"get": "list"}).values()
]


@pytest.mark.parametrize(("basename", "viewset"), LIST_ROUTES, ids=[b for b, _v in LIST_ROUTES])
def test_it_never_lists_another_agencys_objects_even_when_asked_by_code(
    basename, viewset, client_for, user_a, agency, other_agency, other_staff,
):
    theirs = MAKERS[basename](other_agency, 2, other_staff)
    field = "user_id" if viewset.lookup_field == "user_id" else viewset.lookup_field
    key = "id" if field in ("pk", "user_id") else field

    response = client_for(user_a).get(reverse(f"api:{basename}-list"), {"agency": "hezhou-hrss"})

    assert response.status_code in (200, 400), response.content[:300]
    shown = {row[key] for row in response.json().get("results", [])}
    assert not shown & {getattr(o, field) for o in theirs}
