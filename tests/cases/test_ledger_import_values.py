"""The import reads values as people type them, and refuses whole files with a reason people can act on."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
import time_machine

from cases.choices import Outcome, Status
from cases.models import Case
from cases.services.ledger_import import ledger_import
from cases.users import SYSTEM
from tests.factories import CaseFactory
from tests.ledger_books import book, lawsuit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2025-06-02 10:00 +0800", tick=False):
        yield


def run(agency, content: bytes, **kwargs):
    return ledger_import(agency=agency, by=SYSTEM, file=io.BytesIO(content), filename="台账.xlsx", **kwargs)


def test_it_reads_synonym_headers_under_a_merged_title_row_with_spaces_and_a_required_mark(agency):
    row = {"案件编号 ": "(2021)桂0403行初12号", "案件类型": "行政诉讼", "审级": "一审", "法院": "梧州市万秀区人民法院",
           "原告": "黄某", "案由*": "工伤认定", "收案日期": "2021/3/1", "裁判结果": "驳回诉讼请求", "结案时间": "2021.8.1"}

    result = run(agency, book([row], title="梧州市人社局2021年案件台账"))

    assert result.errors == [] and result.created == 1
    case = Case.objects.get()
    assert (case.reviewing_body, case.applicant, case.received_on) == ("梧州市万秀区人民法院", "黄某", dt.date(2021, 3, 1))
    assert (case.outcome, case.concluded_on) == (Outcome.CLAIMS_DISMISSED, dt.date(2021, 8, 1))


def test_it_reads_labels_in_english_and_codes(agency):
    row = lawsuit(类型="Litigation", 审级="first", 案由="Work injury", 结果="revoked", 结案日期="2021-08-01")

    result = run(agency, book([row]))

    assert result.errors == []
    assert Case.objects.get().outcome == Outcome.REVOKED


def test_a_number_typed_with_other_brackets_and_spaces_is_the_same_case(agency):
    CaseFactory(agency=agency, number="(2021)桂0403行初12号", reviewing_body="梧州市万秀区人民法院", applicant="黄某",
                received_on=dt.date(2021, 3, 1))

    result = run(agency, book([lawsuit("（2021）桂0403行初12号 ", 审理机关=" 梧州市万秀区人民法院")]))

    assert (result.created, result.updated, result.unchanged, result.errors) == (0, 0, 1, [])
    assert Case.objects.get().number == "(2021)桂0403行初12号"


def test_it_reads_a_formula_as_its_value(agency):
    content = book([lawsuit(申请人="x")])
    content = _with_cached_formula(content, column="E", formula='"黄"&amp;"某"', value="黄某")

    result = run(agency, content)

    assert result.errors == []
    assert Case.objects.get().applicant == "黄某"


def _with_cached_formula(content: bytes, *, column: str, formula: str, value: str) -> bytes:
    """Put a formula with its value cached by Excel into data row 2 of the first sheet."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                text = re.sub(rf'<c r="{column}2"[^>]*>.*?</c>',
                              f'<c r="{column}2" t="str"><f>{formula}</f><v>{value}</v></c>', text)
                data = text.encode()
            target.writestr(item, data)
    return out.getvalue()


def test_unknown_columns_are_reported_and_ignored(agency):
    result = run(agency, book([lawsuit(联系电话="0774-1234567")]))

    assert result.errors == [] and result.created == 1
    assert result.warnings == ["工作表“台账”的列“联系电话”无法识别,已忽略。"]


def test_a_missing_required_column_is_reported_on_the_header_row(agency):
    row = lawsuit()
    del row["案由"]

    result = run(agency, book([row]))

    assert [str(error) for error in result.errors] == ["第1行 [案由] 缺少必填列。"]


def test_a_control_character_in_a_cell_is_a_row_error(agency):
    result = run(agency, book([lawsuit(备注="见附件\x7f\x85")]))

    assert [(e.row, e.column) for e in result.errors] == [(2, "备注")]
    assert "控制字符" in result.errors[0].message


def test_a_password_protected_file_is_refused_with_what_to_do(agency):
    encrypted = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512

    result = run(agency, encrypted)

    assert [str(e) for e in result.errors] == ["文件设置了密码或为旧版 .xls 格式:请在 Excel 中取消密码并另存为 .xlsx 后再导入。"]


def test_a_damaged_workbook_is_refused(agency):
    result = run(agency, _with_sheet_xml(book([lawsuit()]), b"<worksheet><sheetData><row><c r="))

    assert [str(e) for e in result.errors] == ["文件已损坏或不是有效的 Excel 工作簿,无法读取。"]


def test_a_file_that_is_not_a_workbook_is_refused_by_the_upload_check(agency):
    result = run(agency, book([lawsuit()])[:900])

    assert [str(e) for e in result.errors] == ["不支持该文件类型,只能上传:Excel 表格(XLSX)。"]


def _with_sheet_xml(content: bytes, xml: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = xml if item.filename == "xl/worksheets/sheet1.xml" else source.read(item.filename)
            target.writestr(item, data)
    return out.getvalue()


def test_a_file_over_20_mb_is_refused_before_it_is_read(agency):
    result = run(agency, book([lawsuit()]), size=21 * 1024 * 1024)

    assert [str(e) for e in result.errors] == ["文件不能超过 20 MB。"]


def test_a_sheet_over_the_row_limit_is_refused(agency, monkeypatch):
    monkeypatch.setattr("cases.ledger.reader.MAX_ROWS", 2)

    result = run(agency, book([lawsuit(f"(2021)桂0403行初{n}号") for n in range(1, 4)]))

    assert [str(e) for e in result.errors] == ["工作表“台账”超过 2 行,请拆分为多个文件导入。"]
    assert Case.objects.count() == 0


def test_a_changed_outcome_reopens_and_concludes_the_case_again(agency):
    run(agency, book([lawsuit(结果="撤销", 结案日期="2021-08-01")]))

    result = run(agency, book([lawsuit(结果="判决驳回诉讼请求", 结案日期="2021-08-01")]))

    assert (result.updated, result.errors) == (1, [])
    case = Case.objects.get()
    assert (case.status, case.outcome) == (Status.CONCLUDED, Outcome.CLAIMS_DISMISSED)
