"""The ledger import's cross-row rules: chains (前序案号) in any order, their errors, and hearings keyed to cases."""

from __future__ import annotations

import io

import pytest
import time_machine

from cases.models import Case, Hearing
from cases.services.ledger_import import ledger_import
from cases.users import SYSTEM
from tests.factories import CaseFactory
from tests.ledger_books import book, lawsuit

pytestmark = pytest.mark.django_db

FIRST = "(2021)桂0403行初12号"
APPEAL = "(2021)桂04行终3号"
RETRIAL = "(2022)桂行申7号"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2025-06-02 10:00 +0800", tick=False):
        yield


def run(agency, content: bytes):
    return ledger_import(agency=agency, by=SYSTEM, file=io.BytesIO(content), filename="台账.xlsx")


def errors(result) -> list[tuple[str, int, str]]:
    return sorted((error.sheet, error.row, error.column) for error in result.errors)


def appeal(number: str = APPEAL, previous: str = FIRST, **cells):
    return lawsuit(number, 审级="二审", 审理机关="梧州市中级人民法院", 收到日期="2021-09-01", 前序案号=previous, **cells)


def retrial(previous: str = APPEAL):
    return lawsuit(RETRIAL, 审级="再审", 审理机关="广西壮族自治区高级人民法院", 收到日期="2022-03-01", 前序案号=previous)


def test_a_chain_of_three_given_last_first_is_created_from_its_first_proceeding(agency):
    result = run(agency, book([retrial(), appeal(), lawsuit(FIRST)]))

    assert result.errors == []
    assert result.created == 3
    third = Case.objects.get(number=RETRIAL)
    assert (third.previous.number, third.previous.previous.number) == (APPEAL, FIRST)
    assert third.agency == agency


def test_two_rows_naming_each_other_are_a_loop_reported_once_and_nothing_is_saved(agency):
    result = run(agency, book([lawsuit(FIRST, 前序案号=APPEAL), appeal(), lawsuit("(2021)桂0403行初13号")]))

    assert [(e.row, e.column) for e in result.errors] == [(2, "前序案号")]
    assert "案件链接不能形成循环" in str(result.errors[0])
    assert not Case.objects.exists()


def test_a_previous_number_two_cases_share_is_ambiguous(agency):
    CaseFactory(agency=agency, number=FIRST, reviewing_body="梧州市长洲区人民法院")

    result = run(agency, book([lawsuit(FIRST), appeal()]))

    assert errors(result) == [("", 3, "前序案号")]
    assert "对应多个案件" in str(result.errors[0])


def test_a_refused_row_is_no_previous_case_and_the_rest_of_its_chain_adds_no_error(agency):
    result = run(agency, book([lawsuit(FIRST, 收到日期="2021-13-45"), appeal(), retrial()]))

    assert errors(result) == [("", 2, "收到日期"), ("", 3, "前序案号")]
    assert not Case.objects.exists()


def test_a_row_naming_its_stored_case_updates_it_and_links_the_next_one(agency):
    run(agency, book([lawsuit(FIRST)]))

    result = run(agency, book([appeal(), lawsuit(FIRST)]))

    assert result.errors == []
    assert (result.created, result.unchanged) == (1, 1)
    assert Case.objects.get(number=APPEAL).previous.number == FIRST


# ---------------------------------------------------------------- hearings


def held(number: str = FIRST, when: str = "2021-04-01 09:30", **cells):
    return {"案号": number, "开庭时间": when, "状态": "已开庭", "负责人未出庭原因": "需要履行他人不能代替的公务", **cells}


def test_the_same_hearing_twice_is_a_duplicate_of_the_first_row(agency):
    result = run(agency, book([lawsuit(FIRST)], [held(), held(when="2021-05-01 09:30"), held()]))

    assert errors(result) == [("开庭", 4, "开庭时间")]
    assert "与开庭第2行重复" in str(result.errors[0])


def test_a_hearing_of_a_number_two_cases_share_needs_the_court_and_then_finds_its_case(agency):
    other_court = "梧州市长洲区人民法院"
    cases = [lawsuit(FIRST), lawsuit(FIRST, 审理机关=other_court)]

    refused = run(agency, book(cases, [held()]))
    assert errors(refused) == [("开庭", 2, "案号")]
    assert "请填写审理机关" in str(refused.errors[0])

    result = run(agency, book(cases, [held(审理机关=other_court)]))
    assert result.errors == []
    assert Hearing.objects.get().case.reviewing_body == other_court


def test_a_hearing_of_a_case_found_nowhere_is_refused(agency):
    result = run(agency, book([lawsuit(FIRST)], [held("(2021)桂0403行初99号")]))

    assert errors(result) == [("开庭", 2, "案号")]
    assert "在文件和系统中都不存在" in str(result.errors[0])


def test_a_stored_hearing_imported_again_is_unchanged(agency):
    run(agency, book([lawsuit(FIRST)], [held()]))

    result = run(agency, book([lawsuit(FIRST)], [held(), held(when="2021-05-01 09:30")]))

    assert result.errors == []
    assert (result.created, result.unchanged) == (1, 2)
    assert Hearing.objects.count() == 2



# ---------------------------------------------------------------- progress


@pytest.mark.parametrize("rows", [
    pytest.param([retrial(), appeal(), lawsuit(FIRST)], id="a chain"),
    pytest.param([lawsuit(FIRST, 前序案号=APPEAL), appeal(), retrial(), lawsuit(FIRST), lawsuit(None),
                  lawsuit("(2021)桂0403行初13号", 收到日期="2021-13-45"), appeal("(2021)桂04行终4号", "(2019)无此号")],
                 id="every kind of error"),
])
def test_the_progress_counts_every_row_once_and_ends_at_the_total(agency, rows):
    reported: list[tuple[int, int]] = []
    hearings = [held(), held(), held("(2021)桂0403行初99号")]

    ledger_import(agency=agency, by=SYSTEM, file=io.BytesIO(book(rows, hearings)), filename="台账.xlsx",
                  progress=lambda done, total: reported.append((done, total)))

    assert reported[-1] == (len(rows) + len(hearings),) * 2
