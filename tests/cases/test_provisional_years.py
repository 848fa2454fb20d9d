"""D6 revised: a year without its official notice is provisional on weekends plus the fixed
statutory holidays; only the year's full notice (`load_holidays --year`) covers it.

The "2027 notice" below is test data shaped like a State Council notice, not the real one
(not yet published when this was written).
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from cases.models import CalendarYear, HolidayOverride
from cases.services.calendar import invalidate_calendar, workday_calendar
from tests.cases.test_deadlines import lawsuit, the

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_january_2027():
    with time_machine.travel(dt.datetime(2027, 1, 25, 9, 0, tzinfo=dt.UTC)):
        yield

NOTICE_2027 = """date,type,note
2027-01-01,休息,元旦
2027-01-02,休息,元旦
2027-01-03,休息,元旦
2027-02-05,休息,春节
2027-02-06,休息,春节
2027-02-07,休息,春节
2027-02-08,休息,春节
2027-02-09,休息,春节
2027-02-10,休息,春节
2027-02-11,休息,春节
2027-02-12,休息,春节
2027-02-13,上班,春节调休
2027-02-20,上班,春节调休
"""


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture(autouse=True)
def _fresh_calendar():
    invalidate_calendar()
    yield
    invalidate_calendar()


@pytest.fixture
def csv_file(tmp_path):
    def write(text: str):
        path = tmp_path / "holidays.csv"
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def load(*args: str) -> list[str]:
    out = io.StringIO()
    call_command("load_holidays", *args, stdout=out)
    return out.getvalue().splitlines()


def test_a_provisional_deadline_on_new_years_day_2027_rolls_past_it(agency, staff):
    case = lawsuit(agency, staff, received_on=dt.date(2026, 12, 17))  # 15 days land on Fri 1 Jan 2027

    defence = the(case, "litigation_defence")

    assert (defence.due_on, defence.provisional) == (dt.date(2027, 1, 4), True)


def test_a_provisional_deadline_in_the_2027_spring_festival_rolls_past_it(agency, staff):
    case = lawsuit(agency, staff, received_on=dt.date(2027, 1, 21))  # 15 days land on 除夕, Fri 5 Feb 2027

    defence = the(case, "litigation_defence")

    # 除夕 to 初三 (5-8 Feb) from the lunar calendar; no 调休 is guessed.
    assert (defence.due_on, defence.provisional) == (dt.date(2027, 2, 9), True)


def test_a_file_with_one_2027_row_is_an_override_and_leaves_the_year_provisional(agency, staff, csv_file):
    case = lawsuit(agency, staff, received_on=dt.date(2027, 1, 21))

    lines = load(csv_file("2027-02-09,休息,春节(单日调整)\n"))

    defence = the(case, "litigation_defence")
    assert (defence.due_on, defence.provisional) == (dt.date(2027, 2, 10), True)
    assert lines[0] == "Loaded overrides in 2027: 1 rest days, 0 adjusted working days."
    assert lines[1] == "Still provisional: 2027 (load the whole notice with --year to cover a year)."
    assert not CalendarYear.objects.exists() and not workday_calendar().covers(2027)


def test_loading_the_full_notice_with_year_covers_2027_and_recomputes(agency, staff, csv_file):
    case = lawsuit(agency, staff, received_on=dt.date(2027, 1, 21))
    load(csv_file("2027-02-09,休息,单日调整\n"))

    lines = load(csv_file(NOTICE_2027), "--year", "2027", "--source", "测试通知")

    defence = the(case, "litigation_defence")
    assert (defence.due_on, defence.provisional) == (dt.date(2027, 2, 13), False)  # the worked Saturday
    assert lines[0].startswith("Loaded the full notice of 2027: 11 rest days, 2 adjusted working days")
    assert "Still provisional" not in "\n".join(lines)
    assert f"  {case.number} litigation_defence: due 2027-02-13" in lines
    assert CalendarYear.objects.get(year=2027).source == "测试通知" and workday_calendar().covers(2027)
    reason = defence.history.order_by("-history_id").first().history_change_reason
    assert "导入 2027 年全年节假日安排" in reason and "2027-02-13" in reason


def test_the_full_notice_of_a_year_refuses_rows_of_another_year_and_saves_nothing(agency, staff, csv_file):
    case = lawsuit(agency, staff, received_on=dt.date(2027, 1, 21))

    with pytest.raises(CommandError) as error:
        load(csv_file(NOTICE_2027 + "2028-01-01,休息,元旦\n"), "--year", "2027")

    assert "不能含有其他年份的日期:2028-01-01" in str(error.value)
    assert not HolidayOverride.objects.exists() and not CalendarYear.objects.exists()
    assert the(case, "litigation_defence").provisional


def test_the_migration_moves_an_open_deadline_counted_on_weekends_alone_and_says_why(agency, staff, settings):
    import importlib

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    case = lawsuit(agency, staff, received_on=dt.date(2026, 12, 17))
    defence = the(case, "litigation_defence")
    defence.__class__.objects.filter(pk=defence.pk).update(due_on=dt.date(2027, 1, 1))  # weekends alone
    settings.MIGRATION_MODULES = {}
    loader = MigrationLoader(connection)
    module = importlib.import_module("cases.migrations.0006_recompute_provisional_deadlines")

    module.recompute_provisional(loader.project_state(loader.graph.leaf_nodes()).apps, None)

    defence.refresh_from_db()
    assert (defence.due_on, defence.provisional) == (dt.date(2027, 1, 4), True)
    assert defence.history.order_by("-history_id").first().history_change_reason == (
        "暂定日历更正(D6):未公布安排的年度按周末及法定节假日计算,届满日 2027-01-01→2027-01-04(ALL-2014)"
    )
