"""Exports people can use as they are: the yearly case list has real dates and agency names, and the
ledger's export and print view say what they are, of which agency, filtered how and as of when."""

from __future__ import annotations

import datetime as dt
import io

import lxml.html
import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from cases.exports import live_exports, statistics_xlsx, yearly_report_xlsx
from cases.ledger.reader import read_ledger
from cases.models import Case
from cases.services.reports import yearly_report_generate
from tests.factories import CaseFactory, member

pytestmark = pytest.mark.django_db


TODAY = "2025-09-15 10:00 +0800"


@pytest.fixture
def wang(agency):
    return member(agency, username="wjg", first_name="建国", last_name="王")


@pytest.fixture
def cases_2021(agency, wang):
    concluded = CaseFactory(agency=agency, number="(2021)桂0403行初7号", status="concluded", outcome="revoked",
                            received_on=dt.date(2021, 3, 1), concluded_on=dt.date(2021, 9, 1))
    concluded.handlers.add(wang)
    CaseFactory(agency=agency, number="(2021)桂0403行初8号", received_on=dt.date(2021, 4, 2))
    return agency


def case_list_rows(content: bytes) -> tuple[list, list]:
    sheet = load_workbook(io.BytesIO(content))["案件清单"]
    rows = list(sheet.iter_rows())
    return [cell.value for cell in rows[0]], rows[1:]


def test_the_yearly_case_list_writes_dates_as_excel_dates_and_the_agency_by_name(cases_2021):
    figures, cases, _ = live_exports(year=2021, agency=cases_2021)
    header, rows = case_list_rows(statistics_xlsx(figures, cases, title="2021"))
    row = next(r for r in rows if r[header.index("案号")].value == "(2021)桂0403行初7号")

    received, concluded = row[header.index("收到日期")], row[header.index("结案日期")]

    assert received.value == dt.datetime(2021, 3, 1) and received.number_format == "yyyy-mm-dd"
    assert concluded.value == dt.datetime(2021, 9, 1) and concluded.number_format == "yyyy-mm-dd"
    assert row[header.index("机关")].value == "梧州市人力资源和社会保障局"


@time_machine.travel("2022-01-05 10:00 +0800")
def test_a_frozen_snapshots_case_list_has_dates_and_names_too(cases_2021, wang):
    report = yearly_report_generate(agency=cases_2021, year=2021, by=wang)
    header, rows = case_list_rows(yearly_report_xlsx(report))
    assert {r[header.index("机关")].value for r in rows} == {"梧州市人力资源和社会保障局"}
    assert all(isinstance(r[header.index("收到日期")].value, dt.datetime) for r in rows)


def export(client, user, query: str = "", language: str = "zh-hans") -> bytes:
    client.force_login(user)
    with time_machine.travel(TODAY, tick=False):
        return client.get(reverse("case-export") + query, HTTP_ACCEPT_LANGUAGE=language).content


def test_the_ledger_export_opens_with_its_title_agency_filters_and_date(client, cases_2021, wang):
    content = export(client, wang, f"?status=concluded&handler={wang.pk}")
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    top = [sheet.cell(row=n, column=1).value for n in range(1, 5)]
    assert top == ["案件台账", "机关:梧州市人力资源和社会保障局", "筛选条件:状态:已结；承办人:王建国",
                   "导出日期:2025-09-15"]
    assert sheet.cell(row=6, column=1).value == "案号"


def test_the_ledger_export_says_so_when_nothing_is_filtered(client, cases_2021, wang):
    sheet = load_workbook(io.BytesIO(export(client, wang))).worksheets[0]
    assert sheet.cell(row=3, column=1).value == "筛选条件:无(全部案件)"


def test_the_ledger_exports_heading_is_english_in_english(client, cases_2021, wang):
    sheet = load_workbook(io.BytesIO(export(client, wang, "?overdue=false", language="en"))).worksheets[0]
    assert [sheet.cell(row=n, column=1).value for n in (2, 3, 4)] == [
        "Agency: 梧州市人力资源和社会保障局", "Filters: Overdue: No", "Exported on: 2025-09-15",
    ]


def test_the_import_still_reads_the_titled_export(client, cases_2021, wang):
    ledger = read_ledger(io.BytesIO(export(client, wang)), name="ledger.xlsx")
    assert ledger.cases.header_row == 6
    numbers = {cells[column] for _n, cells in ledger.cases.rows() for column in cells if column.key == "number"}
    assert numbers == set(Case.objects.values_list("number", flat=True))


def test_the_ledgers_print_heading_names_the_agency_filters_and_day(client, cases_2021, wang):
    client.force_login(wang)
    with time_machine.travel(TODAY, tick=False):
        html = client.get(reverse("case-list") + "?kind=litigation&q=桂0403").content.decode()
    heading = lxml.html.fromstring(html).xpath("//*[@data-testid='print-heading']")[0]
    assert "print-only" in heading.get("class")
    assert [" ".join(e.text_content().split()) for e in heading] == [
        "案件台账", "机关:梧州市人力资源和社会保障局", "筛选条件:搜索:“桂0403”；类型:行政诉讼", "打印日期:2025-09-15",
    ]
