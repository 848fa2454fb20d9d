"""The leaders' dashboard shows the statistics engine's figures; exports come from cases.exports."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from docx import Document as DocxDocument
from openpyxl import load_workbook

from cases.choices import HearingStatus, Status
from cases.querysets.statistics import yearly_statistics
from tests.factories import CaseFactory, DeadlineFactory, HearingFactory, ReconsiderationFactory

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2025, 9, 15, 9, 0, tzinfo=dt.UTC)


def _year_2024(agency, leader):
    for _ in range(3):
        CaseFactory(agency=agency, received_on=dt.date(2024, 2, 1), status=Status.CONCLUDED,
                    outcome="claims_dismissed", concluded_on=dt.date(2024, 8, 1))
    ReconsiderationFactory(agency=agency, received_on=dt.date(2024, 3, 1), status=Status.CONCLUDED,
                           outcome="withdrawn", act_changed=True, concluded_on=dt.date(2024, 4, 1))
    pending = CaseFactory(agency=agency, received_on=dt.date(2024, 11, 1))
    HearingFactory(case=pending, scheduled_at=dt.datetime(2024, 12, 2, 2, 0, tzinfo=dt.UTC), status=HearingStatus.HELD,
                   bureau_appeared=True, responsible_person=leader)


@time_machine.travel(TODAY)
def test_it_shows_the_years_figures_as_the_statistics_engine_computes_them(leader_client, agency, leader):
    _year_2024(agency, leader)
    response = leader_client.get(reverse("dashboard"), {"year": 2024})
    expected = yearly_statistics(year=2024, agency=agency)
    assert response.context["figures"] == expected
    equation = response.context["equation"]
    assert equation["total"] == 5
    assert [(p["key"], p["count"]) for p in equation["parts"]] == [("upheld", 3), ("withdrawn", 1), ("pending", 1)]
    page = response.content.decode()
    assert 'data-testid="rate-court_appearance-fraction">1 / 1' in page
    assert "2024年，我局共处理" in page


@time_machine.travel(TODAY)
def test_it_shows_a_dash_not_a_rate_when_nothing_was_heard(leader_client, agency):
    response = leader_client.get(reverse("dashboard"), {"year": 2024})
    cards = {c["key"]: c for c in response.context["court_rates"]}
    assert cards["court_appearance"]["percent"] == "—" and cards["court_appearance"]["denominator"] == 0


@time_machine.travel(TODAY)
def test_it_counts_open_cases_by_urgency_and_lists_overdue_items(leader_client, agency):
    late = CaseFactory(agency=agency)
    DeadlineFactory(case=late, due_on=dt.date(2025, 9, 1), title="逾期答辩")
    DeadlineFactory(case=CaseFactory(agency=agency), due_on=dt.date(2025, 9, 16))
    CaseFactory(agency=agency)
    response = leader_client.get(reverse("dashboard"))
    counts = {u["code"]: u["count"] for u in response.context["urgency"]}
    assert counts == {"overdue": 1, "due_3_working_days": 1, "due_7_days": 0, "later": 0, "none": 1, "total": 3}
    assert response.context["overdue_count"] == 1
    assert [d.title for d in response.context["overdue"]] == ["逾期答辩"]


@time_machine.travel(TODAY)
def test_it_lists_the_next_two_weeks_hearings_with_the_leader_arrangement(leader_client, agency, leader):
    HearingFactory(case=CaseFactory(agency=agency), scheduled_at=TODAY + dt.timedelta(days=3), expected_leader=leader)
    HearingFactory(case=CaseFactory(agency=agency), scheduled_at=TODAY + dt.timedelta(days=5))
    HearingFactory(case=CaseFactory(agency=agency), scheduled_at=TODAY + dt.timedelta(days=20))
    response = leader_client.get(reverse("dashboard"))
    hearings = response.context["hearings"]
    assert [h.expected_leader for h in hearings] == [leader, None]
    assert "尚未安排" in response.content.decode()


@time_machine.travel(TODAY)
def test_it_reports_a_bad_year_and_shows_this_year(leader_client):
    response = leader_client.get(reverse("dashboard"), {"year": "20x4"})
    assert response.status_code == 200
    assert response.context["year"] == 2025
    assert response.context["problems"]


@time_machine.travel(TODAY)
def test_it_keeps_the_figures_to_the_users_agencies(leader_client, agency, other_agency):
    CaseFactory(agency=other_agency, received_on=dt.date(2024, 2, 1))
    response = leader_client.get(reverse("dashboard"), {"year": 2024, "agency": "hezhou-hrss"})
    assert response.context["figures"]["total"] == 0
    assert response.context["problems"]


@time_machine.travel(TODAY)
def test_it_carries_trend_and_breakdowns_for_the_charts(leader_client, agency, leader):
    _year_2024(agency, leader)
    data = leader_client.get(reverse("dashboard"), {"year": 2024}).context["chart_data"]
    assert data["trend"]["years"][-1] == "2024" and data["trend"]["total"][-1] == 5
    assert sum(data["by_kind"]["series"]["upheld"]) == 3


@time_machine.travel(TODAY)
def test_it_downloads_the_years_xlsx_and_docx(leader_client, agency, leader):
    _year_2024(agency, leader)
    xlsx = leader_client.get(reverse("dashboard-xlsx"), {"year": 2024})
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["统计表", "案件清单"]
    assert book["案件清单"].max_row == 6
    docx = leader_client.get(reverse("dashboard-docx"), {"year": 2024})
    text = "\n".join(p.text for p in DocxDocument(io.BytesIO(docx.content)).paragraphs)
    assert "2024年，我局共处理" in text
    assert docx["Content-Disposition"] == 'attachment; filename="yearly-wuzhou-hrss-2024.docx"'


@time_machine.travel(TODAY)
def test_it_renders_the_printable_year_end_report(leader_client, agency, leader):
    _year_2024(agency, leader)
    response = leader_client.get(reverse("dashboard-report"), {"year": 2024})
    assert response.status_code == 200
    assert "2024年度行政复议和行政应诉情况" in response.content.decode()
