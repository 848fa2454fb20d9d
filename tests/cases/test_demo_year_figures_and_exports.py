"""The demo year through the yearly_stats command, the exports and the report wording."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from cases.exports import live_exports, statistics_xlsx
from casetracker.report import Buckets, YearFigures, text_en, text_zh
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def yearly_stats(*args: str) -> str:
    out = io.StringIO()
    call_command("yearly_stats", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_demo_year_through_the_command_gives_25_19_2_4_and_the_published_phrases(demo):
    data = json.loads(yearly_stats("--year", "2021", "--agency", "wuzhou-hrss", "--format", "json"))
    assert (data["total"], data["buckets"]["upheld"], data["buckets"]["withdrawn"], data["buckets"]["pending"]) == (
        25, 19, 2, 4,
    )  # fmt: skip
    assert data["rates"]["court_appearance"] == {"numerator": 8, "denominator": 8, "rate": 1.0}
    text = yearly_stats("--year", "2021", "--agency", "wuzhou-hrss", "--format", "text")
    paragraph = text.strip().splitlines()[-1]
    assert "25件" in paragraph
    assert re.search(r"维持[^，。]*19件", paragraph)
    assert re.search(r"撤回[^，。]*2件", paragraph)
    assert "未结案的4件" in paragraph and "出庭应诉率100%" in paragraph


def test_the_case_list_export_keeps_a_formula_typed_as_a_name_as_plain_text(agency):
    CaseFactory(agency=agency, applicant='=HYPERLINK("http://evil.example","点此")', act_description="=1+1")
    figures, cases, _ = live_exports(year=2021, agency=agency)
    sheet = load_workbook(io.BytesIO(statistics_xlsx(figures, cases, title="2021")))["案件清单"]
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if isinstance(cell.value, str)]
    texts = {cell.value: cell.data_type for cell in cells if cell.value.startswith("=")}
    assert texts == {'=HYPERLINK("http://evil.example","点此")': "s", "=1+1": "s"}


# --- Wording of withdrawals that all followed the bureau's own correction ---------------------------


def litigation(**counts: int) -> YearFigures:
    total = sum(v for k, v in counts.items() if k != "withdrawn_after_act_changed")
    buckets = Buckets(total=total, **counts)
    return YearFigures(year=2021, overall=buckets, by_kind={"reconsideration": Buckets(), "litigation": buckets})


@pytest.mark.parametrize(
    ("counts", "zh", "en"),
    [
        (
            {"withdrawn": 2, "withdrawn_after_act_changed": 2},
            "行政应诉案件2件，均系我局自行纠正后撤回。",
            "all withdrawn (all after the bureau corrected its own act)",
        ),
        (
            {"withdrawn": 1, "withdrawn_after_act_changed": 1},
            "行政应诉案件1件，系我局自行纠正后撤回。",
            ": withdrawn (after the bureau corrected its own act)",
        ),
        (
            {"upheld": 3, "withdrawn": 2, "withdrawn_after_act_changed": 2},
            "撤回我局行政行为2件（均系我局自行纠正后撤回）",
            "2 withdrawn (all after the bureau corrected its own act)",
        ),
        (
            {"upheld": 3, "withdrawn": 3, "withdrawn_after_act_changed": 1},
            "撤回我局行政行为3件（其中1件系我局自行纠正后撤回）",
            "3 withdrawn (1 after the bureau corrected its own act)",
        ),
    ],
)
def test_it_says_all_rather_than_of_which_all_when_every_withdrawal_followed_a_correction(counts, zh, en):
    figures = litigation(**counts)
    assert zh in text_zh(figures)
    assert en in text_en(figures)


def test_a_year_of_only_mediated_or_other_cases_reads_as_one_bucket():
    assert text_zh(litigation(mediated=1)).startswith("2021年，我局共处理行政应诉案件1件，调解结案。")
    assert text_zh(litigation(other=2)).startswith("2021年，我局共处理行政应诉案件2件，均以其他方式结案。")


def test_a_case_concluded_after_the_year_is_pending_in_the_case_list_and_counted_as_pending(agency):
    CaseFactory(
        agency=agency,
        received_on=dt.date(2021, 12, 1),
        status="concluded",
        outcome="mediated",
        concluded_on=dt.date(2022, 1, 1),
    )
    figures, cases, text = live_exports(year=2021, agency=agency)
    assert figures["buckets"]["pending"] == 1 and figures["buckets"]["mediated"] == 0
    assert [row["bucket"] for row in cases] == ["pending"]
    assert "尚未结案" in text and "调解" not in text
