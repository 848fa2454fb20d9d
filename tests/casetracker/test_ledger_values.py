"""Cell values as people type them: dates five ways, case numbers with any brackets, control characters."""

from __future__ import annotations

import datetime as dt

import pytest

from casetracker.ledger_values import (
    ValueProblem,
    has_control_characters,
    normalize_label,
    normalize_number,
    parse_day,
    parse_moment,
)


@pytest.mark.parametrize("typed", [
    "2021-03-01", "2021/3/1", "2021.3.1", "2021年3月1日", " 2021-03-01 ", "20210301", "2021-03-01 00:00:00",
    "２０２１年３月１日", dt.date(2021, 3, 1), dt.datetime(2021, 3, 1, 0, 0), 44256,
])
def test_it_reads_a_day_typed_any_of_the_usual_ways(typed):
    assert parse_day(typed) == dt.date(2021, 3, 1)


@pytest.mark.parametrize("typed", ["2021-13-01", "2021-02-30", "昨天", "3/1/2021", "2021-03-01 上午", 12.5, True])
def test_it_refuses_what_is_not_a_day(typed):
    with pytest.raises(ValueProblem):
        parse_day(typed)


@pytest.mark.parametrize("typed", [None, "", "   "])
def test_an_empty_cell_is_no_day(typed):
    assert parse_day(typed) is None


@pytest.mark.parametrize(("typed", "expected"), [
    ("2021-03-01 09:30", dt.datetime(2021, 3, 1, 9, 30)),
    ("2021年3月1日 9时30分", dt.datetime(2021, 3, 1, 9, 30)),
    ("2021/3/1 14:05:09", dt.datetime(2021, 3, 1, 14, 5, 9)),
    ("2021-03-01", dt.datetime(2021, 3, 1, 9, 0)),
    (dt.date(2021, 3, 1), dt.datetime(2021, 3, 1, 9, 0)),
    (dt.datetime(2021, 3, 1, 15, 0), dt.datetime(2021, 3, 1, 15, 0)),
])
def test_it_reads_a_hearing_time_and_gives_a_bare_date_the_default_time(typed, expected):
    assert parse_moment(typed, default_time=dt.time(9, 0)) == expected


def test_it_refuses_an_hour_that_does_not_exist():
    with pytest.raises(ValueProblem):
        parse_moment("2021-03-01 25:00", default_time=dt.time(9, 0))


@pytest.mark.parametrize("typed", ["（2021）桂04行初12号", "(2021)桂04行初12号", "( 2021 )桂04行初12号", "[2021]桂04行初12号"])
def test_case_numbers_match_whatever_brackets_were_typed(typed):
    assert normalize_number(typed) == normalize_number("(2021)桂04行初12号")


def test_reconsideration_brackets_match_their_usual_substitutes():
    assert normalize_number("梧政复〔2021〕5号") == normalize_number("梧政复[2021]5号") == normalize_number("梧政复(2021)5号")


def test_two_different_numbers_stay_different():
    assert normalize_number("(2021)桂04行初12号") != normalize_number("(2021)桂04行初13号")


def test_labels_compare_without_spaces_width_or_case():
    assert normalize_label(" 行政 复议 ") == normalize_label("行政复议")
    assert normalize_label("Upheld") == normalize_label("ｕｐｈｅｌｄ")


def test_it_finds_control_characters_but_allows_line_breaks_and_tabs():
    assert has_control_characters("张三\x07")
    assert not has_control_characters("第一行\n第二行\t备注")
