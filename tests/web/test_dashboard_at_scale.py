"""Issue 17: the dashboard's live panels list a few rows and count the rest up to a cap, and
a scope of many agencies gets a code box instead of a menu of thousands of options."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from cases.choices import HearingStatus, Role, Status
from cases.querysets import counting
from cases.querysets.counting import CappedCount, capped_count
from cases.web import dashboard as board
from cases.web.views import dashboard as dashboard_view
from tests.factories import AgencyFactory, CaseFactory, DeadlineFactory, HearingFactory, member

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2025, 9, 15, 9, 0, tzinfo=dt.UTC)


def test_a_count_below_the_cap_is_exact_and_above_it_says_so(agency):
    for index in range(4):
        CaseFactory(agency=agency, number=f"C{index}")
    from cases.models import Case

    assert (capped_count(Case.objects.all(), cap=10), capped_count(Case.objects.all(), cap=10).shown) == (4, "4")
    over = capped_count(Case.objects.all(), cap=3)
    assert (over, over.capped, over.shown) == (3, True, "3+")
    assert CappedCount(0).shown == "0" and not CappedCount(0)


@time_machine.travel(TODAY)
def test_overdue_items_beyond_the_cap_are_shown_as_at_least_the_cap(leader_client, agency, monkeypatch):
    monkeypatch.setattr(board, "BADGE_CAP", 21)
    for index in range(25):
        DeadlineFactory(case=CaseFactory(agency=agency, number=f"O{index}"), due_on=dt.date(2025, 9, 1))
    response = leader_client.get(reverse("dashboard"))
    assert len(response.context["overdue"]) == board.OVERDUE_SHOWN
    assert (response.context["overdue_count"], response.context["overdue_count"].capped) == (21, True)
    assert "21+" in response.content.decode()


@time_machine.travel(TODAY)
def test_overdue_items_under_the_cap_are_counted_exactly(leader_client, agency):
    for index in range(23):
        DeadlineFactory(case=CaseFactory(agency=agency, number=f"O{index}"), due_on=dt.date(2025, 9, 1))
    response = leader_client.get(reverse("dashboard"))
    assert (response.context["overdue_count"], response.context["overdue_count"].capped) == (23, False)


@time_machine.travel(TODAY)
def test_the_next_two_weeks_hearings_list_the_soonest_and_count_them_all(leader_client, agency, monkeypatch):
    monkeypatch.setattr(board, "HEARINGS_SHOWN", 2)
    for day in (16, 17, 18):
        HearingFactory(case=CaseFactory(agency=agency, number=f"H{day}"),
                       scheduled_at=dt.datetime(2025, 9, day, 1, 0, tzinfo=dt.UTC))
    response = leader_client.get(reverse("dashboard"))
    assert [h.case.number for h in response.context["hearings"]] == ["H16", "H17"]
    assert response.context["hearings_count"] == 3
    assert "仅列出最早的 2 场" in response.content.decode()


@time_machine.travel(TODAY)
def test_hearings_nobody_attended_are_listed_with_their_number(leader_client, agency):
    for day in (1, 2):
        HearingFactory(case=CaseFactory(agency=agency, number=f"N{day}"), status=HearingStatus.HELD,
                       scheduled_at=dt.datetime(2025, 9, day, 1, 0, tzinfo=dt.UTC), bureau_appeared=False,
                       absence_reason="other", absence_detail="无人")
    response = leader_client.get(reverse("dashboard"))
    assert [h.case.number for h in response.context["nobody_attended"]] == ["N1", "N2"]
    assert response.context["nobody_attended_count"] == 2


@time_machine.travel(TODAY)
def test_corrected_cases_without_grounds_are_counted_up_to_the_cap(leader_client, agency, monkeypatch):
    monkeypatch.setattr(board, "BADGE_CAP", 20)
    for index in range(22):
        CaseFactory(agency=agency, number=f"G{index}", status=Status.CONCLUDED, outcome="revoked",
                    concluded_on=dt.date(2025, 8, 1))
    response = leader_client.get(reverse("dashboard"))
    count, rows = response.context["grounds_missing"]
    assert (count, count.capped, len(rows)) == (20, True, board.OVERDUE_SHOWN)
    assert "20+ 件纠错/败诉案件未录理由" in response.content.decode()


def test_a_scope_of_many_agencies_gets_a_code_box_instead_of_a_menu(client, monkeypatch):
    monkeypatch.setattr(dashboard_view, "AGENCY_MENU_LIMIT", 3)
    root = AgencyFactory(code="root")
    for index in range(4):
        AgencyFactory(code=f"b{index}", parent=root)
    client.force_login(member(root, Role.ADMIN))
    page = client.get(reverse("dashboard"), {"agency": "b2"}).content.decode()
    assert 'name="agency" id="agency" value="b2"' in page and "<option value=\"b1\"" not in page
    monkeypatch.setattr(dashboard_view, "AGENCY_MENU_LIMIT", 100)
    page = client.get(reverse("dashboard"), {"agency": "b2"}).content.decode()
    assert '<option value="b1"' in page and '<option value="b2" selected>' in page


def test_the_dashboards_badges_stop_at_a_thousand_and_the_apis_lists_at_ten_thousand():
    assert (counting.BADGE_CAP, counting.COUNT_CAP) == (1_000, 10_000)
