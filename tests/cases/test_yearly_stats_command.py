"""`manage.py yearly_stats`: the exact JSON object, the text, the exports and one-line errors."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from docx import Document as read_docx
from openpyxl import load_workbook

from tests.factories import AgencyFactory, CaseFactory

pytestmark = pytest.mark.django_db

BUCKET_KEYS = ["upheld", "corrected", "withdrawn", "withdrawn_after_act_changed", "mediated", "other", "pending"]
RATE_KEYS = ["correction", "loss", "court_appearance", "leader_appearance", "hearing_appearance",
             "hearing_leader_appearance"]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("yearly_stats", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def cases(agency, other_agency):
    CaseFactory(agency=agency, status="concluded", outcome="claims_dismissed", concluded_on=dt.date(2021, 5, 1))
    CaseFactory(agency=agency)
    CaseFactory(agency=other_agency)
    CaseFactory(agency=AgencyFactory(code="wuzhou-sub", parent=agency))


def test_it_prints_the_object_with_exactly_the_contract_keys(cases):
    data = json.loads(run("--year", "2021", "--agency", "wuzhou-hrss", "--format", "json"))
    assert list(data) == ["year", "agency", "total", "buckets", "by_kind", "by_subject", "rates", "grounds", "follow_ups",
                          "corrective_actions"]
    assert (data["year"], data["agency"], data["total"]) == (2021, "wuzhou-hrss", 2)
    assert list(data["buckets"]) == BUCKET_KEYS
    assert list(data["by_kind"]) == ["reconsideration", "litigation"]
    assert list(data["by_kind"]["litigation"]) == ["total", *BUCKET_KEYS]
    assert all(list(row) == ["total", *BUCKET_KEYS] for row in data["by_subject"].values())
    assert list(data["rates"]) == RATE_KEYS
    assert all(list(rate) == ["numerator", "denominator", "rate"] for rate in data["rates"].values())


def test_it_covers_sub_agencies_or_every_agency_when_asked(cases):
    with_children = json.loads(run("--year", "2021", "--agency", "wuzhou-hrss", "--with-children", "--format", "json"))
    everything = json.loads(run("--year", "2021", "--format", "json"))
    assert with_children["total"] == 3
    assert (everything["agency"], everything["total"]) == (None, 4)


def test_it_prints_the_figures_and_the_paragraph_as_text(cases):
    text = run("--year", "2021", "--agency", "wuzhou-hrss")
    assert "办理案件总数" in text and "负责人出庭应诉率" in text
    assert "2021年，我局共处理行政应诉案件2件，其中审理机关维持我局行政行为1件，未结案的1件。" in text
    assert "—  (0/0)" in text


def test_it_writes_the_xlsx_and_docx_exports(cases, tmp_path):
    run("--year", "2021", "--agency", "wuzhou-hrss", "--xlsx", str(tmp_path / "s.xlsx"), "--docx", str(tmp_path / "r.docx"))
    sheet = load_workbook(tmp_path / "s.xlsx")["统计表"]
    assert any(row[:2] == ("办理案件总数", 2) for row in sheet.iter_rows(values_only=True))
    assert any("共处理行政应诉案件2件" in p.text for p in read_docx(str(tmp_path / "r.docx")).paragraphs)


@pytest.mark.parametrize(("args", "message"), [
    (["--year", "20x1"], "年份须为"),
    (["--year", "1989"], "1990-2100"),
    (["--year", "2021", "--agency", "nowhere"], "Unknown agency 'nowhere'"),
    (["--year", "2021", "--with-children"], "--with-children needs --agency"),
])
def test_it_refuses_bad_input_with_one_line(cases, args, message):
    with pytest.raises(CommandError) as excinfo:
        run(*args)
    assert message in str(excinfo.value)
    assert "\n" not in str(excinfo.value)


def test_it_reports_an_unwritable_export_path(cases, tmp_path):
    with pytest.raises(CommandError, match="Cannot write"):
        run("--year", "2021", "--xlsx", str(tmp_path / "missing" / "s.xlsx"))
