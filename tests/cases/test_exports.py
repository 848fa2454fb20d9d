"""The XLSX and DOCX exports carry the year's figures, case list and paragraph."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from docx import Document as read_docx
from openpyxl import load_workbook

from cases.exports import live_exports, report_docx, statistics_xlsx, yearly_report_docx, yearly_report_xlsx
from cases.services.reports import yearly_report_generate
from tests.factories import CaseFactory, ReconsiderationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_2021(agency):
    CaseFactory(agency=agency, number="(2021)桂0403行初7号", status="concluded", outcome="revoked",
                concluded_on=dt.date(2021, 9, 1))
    ReconsiderationFactory(agency=agency, number="梧政复〔2021〕3号")
    CaseFactory(agency=agency, number="(2019)桂0403行初1号", received_on=dt.date(2019, 5, 1),
                status="concluded", outcome="claims_dismissed", concluded_on=dt.date(2019, 9, 1))
    return agency


def rows_of(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def row_starting(rows, label):
    return next(row for row in rows if row and row[0] == label)


def test_the_workbook_has_the_statistics_table_and_the_case_list(year_2021):
    figures, cases, _ = live_exports(year=2021, agency=year_2021)
    book = load_workbook(io.BytesIO(statistics_xlsx(figures, cases, title="2021")))
    assert book.sheetnames == ["统计表", "案件清单"]
    table = rows_of(book["统计表"])
    assert row_starting(table, "办理案件总数")[1:4] == [2, 1, 1]
    assert row_starting(table, "纠错/败诉")[1:4] == [1, 0, 1]
    assert row_starting(table, "未结")[1:4] == [1, 1, 0]
    assert row_starting(table, "行政诉讼败诉率")[1:4] == [1, 1, 1.0]
    assert row_starting(table, "出庭应诉率")[1:4] == [0, 0, "—"]
    listing = rows_of(book["案件清单"])
    assert listing[0][:5] == ["序号", "机关", "类型", "审级", "案号"]
    numbers = {row[4]: row for row in listing[1:]}
    assert set(numbers) == {"(2021)桂0403行初7号", "梧政复〔2021〕3号"}
    assert numbers["(2021)桂0403行初7号"][12] == "败诉"
    assert numbers["梧政复〔2021〕3号"][12] == "未结"


def test_the_document_has_the_paragraph_and_the_tables(year_2021):
    figures, _, text = live_exports(year=2021, agency=year_2021)
    doc = read_docx(io.BytesIO(report_docx(figures, text, title="梧州市2021年度")))
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[0] == "梧州市2021年度"
    assert text in paragraphs and "共处理被行政复议案件和行政应诉案件2件" in text
    buckets, rates = doc.tables
    assert [c.text for c in buckets.rows[1].cells] == ["办理案件总数", "2", "1", "1"]
    rate_rows = {row.cells[0].text: (row.cells[1].text, row.cells[2].text) for row in rates.rows}
    assert rate_rows["行政诉讼败诉率"] == ("1/1", "100%")
    assert rate_rows["出庭应诉率"] == ("0/0", "—")


@time_machine.travel("2022-01-05 10:00 +0800")
def test_a_snapshot_exports_its_frozen_figures_not_todays(year_2021, staff):
    report = yearly_report_generate(agency=year_2021, year=2021, by=staff)
    CaseFactory(agency=year_2021, number="later", received_on=dt.date(2021, 12, 1))
    book = load_workbook(io.BytesIO(yearly_report_xlsx(report)))
    assert row_starting(rows_of(book["统计表"]), "办理案件总数")[1] == 2
    assert len(rows_of(book["案件清单"])) == 3
    doc = read_docx(io.BytesIO(yearly_report_docx(report)))
    assert report.text_zh in [p.text for p in doc.paragraphs]


def test_the_year_end_document_has_the_gongwen_layout_of_the_filings(year_2021):
    from tests.defence.docx_checks import assert_gongwen_page

    figures, _, text = live_exports(year=2021, agency=year_2021)

    assert_gongwen_page(read_docx(io.BytesIO(report_docx(figures, text, title="梧州市2021年度"))))
