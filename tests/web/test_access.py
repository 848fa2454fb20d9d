"""Who may open which page: login everywhere, landing by role, other agencies are 404, readers get 403."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, reverse

from cases.models import Case
from cases.web import urls as web_urls
from tests.factories import CaseFactory, DeadlineFactory, HearingFactory

pytestmark = pytest.mark.django_db

PUBLIC = {"calendar-feed"}  # the .ics feed authenticates by its secret token


def _sample_kwargs(pattern: URLPattern) -> dict[str, object]:
    return {name: ("x" if name == "token" else 1) for name in pattern.pattern.converters}


@pytest.mark.parametrize("pattern", [p for p in web_urls.urlpatterns if p.name not in PUBLIC], ids=lambda p: p.name)
def test_it_sends_anonymous_visitors_of_every_page_to_the_login(client, pattern):
    url = reverse(pattern.name, kwargs=_sample_kwargs(pattern))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_lands_staff_on_their_todays_work(client, staff):
    client.force_login(staff)
    response = client.get("/")
    assert response.status_code == 200
    assert response.templates[0].name == "home/todo.html"


@pytest.mark.parametrize("role_fixture", ["leader", "viewer"])
def test_it_lands_leaders_and_viewers_on_the_dashboard(client, request, role_fixture):
    client.force_login(request.getfixturevalue(role_fixture))
    assert client.get("/")["Location"] == reverse("dashboard")


def test_it_shows_a_restyled_login_page_and_logs_in(client, staff):
    page = client.get(reverse("login"))
    assert "登录" in page.content.decode()
    response = client.post(reverse("login"), {"username": "staff", "password": "pw-for-tests"})
    assert response.status_code == 302
    assert client.get(reverse("case-list")).status_code == 200


def test_it_tells_a_wrong_password_clearly(client, staff):
    response = client.post(reverse("login"), {"username": "staff", "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_it_logs_out_with_a_post(client, staff):
    client.force_login(staff)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("case-list")).status_code == 302


def test_it_changes_the_password(client, staff):
    client.force_login(staff)
    assert client.get(reverse("password_change")).status_code == 200
    response = client.post(reverse("password_change"), {
        "old_password": "pw-for-tests", "new_password1": "a-much-longer-Secret-2026", "new_password2": "a-much-longer-Secret-2026",
    })
    assert response["Location"] == reverse("password_change_done")
    staff.refresh_from_db()
    assert staff.check_password("a-much-longer-Secret-2026")


def test_it_refuses_a_mismatched_new_password_and_keeps_the_old_one(client, staff):
    client.force_login(staff)
    response = client.post(reverse("password_change"), {
        "old_password": "pw-for-tests", "new_password1": "a-much-longer-Secret-2026", "new_password2": "different-Secret-2026",
    })
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    staff.refresh_from_db()
    assert staff.check_password("pw-for-tests")


def _case_urls(case: Case, hearing_pk: int, deadline_pk: int) -> list[tuple[str, str]]:
    pk = case.pk
    return [
        ("get", reverse("case-detail-page", args=[pk])), ("get", reverse("case-edit", args=[pk])),
        ("get", reverse("case-conclude-page", args=[pk])), ("get", reverse("case-suspend-page", args=[pk])),
        ("get", reverse("case-reopen-page", args=[pk])), ("get", reverse("case-resume-page", args=[pk])),
        ("get", reverse("hearing-create", args=[pk])), ("get", reverse("deadline-create", args=[pk])),
        ("get", reverse("document-create", args=[pk])), ("get", reverse("hearing-record-page", args=[hearing_pk])),
        ("post", reverse("deadline-complete-page", args=[deadline_pk])), ("post", reverse("deadline-waive-page", args=[deadline_pk])),
    ]


def test_it_answers_404_for_every_page_of_another_agencys_case(client, agency, other_staff):
    case = CaseFactory(agency=agency)
    hearing = HearingFactory(case=case)
    deadline = DeadlineFactory(case=case)
    client.force_login(other_staff)
    for method, url in _case_urls(case, hearing.pk, deadline.pk):
        assert getattr(client, method)(url).status_code == 404, url


def test_it_answers_403_when_a_leader_opens_a_form(client, agency, leader):
    case = CaseFactory(agency=agency)
    client.force_login(leader)
    assert client.get(reverse("case-detail-page", args=[case.pk])).status_code == 200
    for url in (reverse("case-edit", args=[case.pk]), reverse("case-conclude-page", args=[case.pk]), reverse("case-create")):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "无权" in response.content.decode()


def test_it_hides_write_buttons_from_leaders(client, agency, leader):
    case = CaseFactory(agency=agency)
    client.force_login(leader)
    page = client.get(reverse("case-detail-page", args=[case.pk])).content.decode()
    assert reverse("case-edit", args=[case.pk]) not in page


def test_it_serves_english_after_the_language_switch(client, staff):
    client.force_login(staff)
    client.post(reverse("set_language"), {"language": "en", "next": "/cases/"})
    page = client.get(reverse("case-list")).content.decode()
    assert "Case ledger" in page
    assert '<html lang="en">' in page
