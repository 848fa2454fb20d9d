"""The statistics and report endpoints: the same object as the CLI, scoped, with exports."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.management import call_command
from docx import Document as read_docx
from openpyxl import load_workbook
from rest_framework.test import APIClient

from cases.choices import Role
from cases.models import YearlyReport
from cases.services.reports import yearly_report_generate
from tests.factories import AgencyFactory, CaseFactory, member

pytestmark = pytest.mark.django_db
STATS = "/api/statistics/yearly/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def cases(agency, other_agency):
    CaseFactory(agency=agency, status="concluded", outcome="revoked", concluded_on=dt.date(2021, 4, 1))
    CaseFactory(agency=agency)
    CaseFactory(agency=other_agency)
    CaseFactory(agency=AgencyFactory(code="wuzhou-sub", parent=agency))


def test_it_returns_the_same_object_as_the_command(cases, staff):
    response = client_for(staff).get(STATS, {"year": 2021, "agency": "wuzhou-hrss"})
    out = io.StringIO()
    call_command("yearly_stats", "--year", "2021", "--agency", "wuzhou-hrss", "--format", "json", stdout=out)
    assert response.status_code == 200
    assert response.json() == json.loads(out.getvalue())
    assert response.json()["rates"]["loss"] == {"numerator": 1, "denominator": 1, "rate": 1.0}


def test_it_defaults_to_the_users_own_agency(cases, other_staff):
    data = client_for(other_staff).get(STATS, {"year": 2021}).json()
    assert (data["agency"], data["total"]) == ("hezhou-hrss", 1)


def test_another_agencys_figures_are_a_404(cases, staff):
    response = client_for(staff).get(STATS, {"year": 2021, "agency": "hezhou-hrss"})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_leader_may_include_sub_agencies_but_staff_may_not(cases, leader, staff):
    query = {"year": 2021, "agency": "wuzhou-hrss", "with_children": "true"}
    assert client_for(leader).get(STATS, query).json()["total"] == 3
    assert client_for(staff).get(STATS, query).status_code == 403


def test_an_administrator_without_an_agency_sees_all(cases):
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", "root@example.invalid", "pw")
    data = client_for(root).get(STATS, {"year": 2021}).json()
    assert (data["agency"], data["total"]) == (None, 4)


@pytest.mark.parametrize("year", ["20x1", "1900", "3000"])
def test_a_bad_year_is_a_400_with_the_field_named(cases, staff, year):
    response = client_for(staff).get(STATS, {"year": year})
    assert response.status_code == 400
    assert "year" in response.json()["errors"]


@time_machine.travel("2022-02-01 10:00 +0800")
def test_it_lists_only_the_snapshots_the_user_may_see_with_export_links(cases, agency, other_agency, staff, other_staff,
                                                                       django_assert_max_num_queries):
    for _ in range(3):
        yearly_report_generate(agency=agency, year=2021, by=staff)
    yearly_report_generate(agency=other_agency, year=2021, by=other_staff)
    with django_assert_max_num_queries(4):
        response = client_for(staff).get("/api/reports/")
    rows = response.json()["results"]
    assert [(r["agency"], r["version"]) for r in rows] == [("wuzhou-hrss", 3), ("wuzhou-hrss", 2), ("wuzhou-hrss", 1)]
    assert rows[0]["links"]["xlsx"].endswith(f"/api/reports/{rows[0]['id']}/xlsx/")
    assert rows[0]["figures"]["total"] == 2
    hidden = YearlyReport.objects.get(agency=other_agency)
    assert client_for(staff).get(f"/api/reports/{hidden.pk}/").status_code == 404
    assert client_for(staff).get(f"/api/reports/{hidden.pk}/xlsx/").status_code == 404


@time_machine.travel("2022-02-01 10:00 +0800")
def test_it_downloads_the_xlsx_and_docx_of_a_snapshot(cases, agency, staff):
    report = yearly_report_generate(agency=agency, year=2021, by=staff)
    client = client_for(staff)
    xlsx = client.get(f"/api/reports/{report.pk}/xlsx/")
    assert xlsx.status_code == 200 and "yearly-wuzhou-hrss-2021-v1.xlsx" in xlsx["Content-Disposition"]
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames == ["统计表", "案件清单"]
    docx = client.get(f"/api/reports/{report.pk}/docx/", HTTP_ACCEPT="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert docx.status_code == 200
    assert report.text_zh in [p.text for p in read_docx(io.BytesIO(docx.content)).paragraphs]


@time_machine.travel("2022-02-01 10:00 +0800")
def test_staff_regenerate_on_demand_and_readers_may_not(cases, agency, staff, leader):
    response = client_for(staff).post("/api/reports/generate/", {"agency": "wuzhou-hrss", "year": 2021}, format="json")
    assert response.status_code == 201
    assert (response.json()["version"], response.json()["kind"], response.json()["generated_by"]) == (1, "on_demand", "staff")
    assert client_for(leader).post("/api/reports/generate/", {"agency": "wuzhou-hrss", "year": 2021}).status_code == 403
    assert client_for(staff).post("/api/reports/generate/", {"agency": "hezhou-hrss", "year": 2021}).status_code == 404
    bad = client_for(staff).post("/api/reports/generate/", {"agency": "wuzhou-hrss", "year": 2023})
    assert bad.status_code == 400 and "year" in bad.json()["errors"]
    assert YearlyReport.objects.count() == 1


@time_machine.travel("2022-02-01 10:00 +0800")
def test_it_shows_the_difference_between_two_versions(agency, staff):
    case = CaseFactory(agency=agency)
    first = yearly_report_generate(agency=agency, year=2021, by=staff)
    from cases.services.cases import case_conclude

    case_conclude(case=case, outcome="mediated", concluded_on=dt.date(2021, 7, 1), by=staff)
    second = yearly_report_generate(agency=agency, year=2021, by=staff)
    data = client_for(staff).get(f"/api/reports/{second.pk}/diff/", {"against": first.pk}).json()
    assert (data["before"], data["after"]) == (first.pk, second.pk)
    assert {"key": "buckets.mediated", "before": 0, "after": 1} in data["changes"]
    assert client_for(staff).get(f"/api/reports/{second.pk}/diff/").status_code == 400


def test_a_viewer_of_the_agency_sees_its_snapshots(cases, agency, staff):
    yearly_report_generate(agency=agency, year=2021, by=staff)
    viewer = member(agency, Role.VIEWER)
    assert client_for(viewer).get("/api/reports/", {"year": 2021}).json()["count"] == 1
