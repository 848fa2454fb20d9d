"""Importing the Excel ledger (台账): round trip, idempotence, row errors, all or nothing, permissions."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection

from cases.choices import DeadlineStatus, HearingStatus, LeaderRank, Role, Status
from cases.demo import SeedReport, _agencies, _users, seed_demo
from cases.ledger.workbook import ledger_export
from cases.models import Agency, Case, Hearing
from cases.services.ledger_import import ledger_import
from cases.users import SYSTEM
from tests.factories import ReconsiderationFactory, member
from tests.ledger_books import book, lawsuit, reconsideration, sheets

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    """Every test runs on Monday 2 June 2025, Beijing time."""
    with time_machine.travel("2025-06-02 10:00 +0800", tick=False):
        yield


def run(agency, content: bytes, *, by=SYSTEM, filename="台账.xlsx", dry_run=False):
    return ledger_import(agency=agency, by=by, file=io.BytesIO(content), filename=filename, dry_run=dry_run)


def messages(result) -> list[str]:
    return [str(error) for error in result.errors]


def stats(year: int) -> dict:
    out = io.StringIO()
    call_command("yearly_stats", "--year", str(year), "--agency", "wuzhou-hrss", "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def fresh_database_with_the_demo_members() -> Agency:
    """Empty every table, then only the demo agencies and their people, as a new installation has them."""
    if connection.vendor == "postgresql":
        # The test's transaction holds deferred foreign-key checks; PostgreSQL
        # refuses to TRUNCATE a table with pending trigger events until they run.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    _users(_agencies(), "demo-2021", SeedReport())
    return Agency.objects.get(code="wuzhou-hrss")


# ---------------------------------------------------------------- round trip


def test_the_demo_exported_and_imported_into_a_fresh_database_exports_the_same_facts_and_figures():
    seed_demo(password="demo-2021", today=dt.date(2025, 6, 2))
    first = ledger_export(Case.objects.filter(agency__code="wuzhou-hrss").active())
    years = range(2019, 2026)
    before = {year: stats(year) for year in years}

    agency = fresh_database_with_the_demo_members()
    result = run(agency, first, filename="demo.xlsx")

    assert messages(result) == []
    assert result.created == Case.objects.count() + Hearing.objects.count() > 30
    second = ledger_export(Case.objects.filter(agency=agency).active())
    assert sheets(second) == sheets(first)
    assert {year: stats(year) for year in years} == before


def test_importing_the_same_file_again_creates_and_updates_nothing():
    seed_demo(password="demo-2021", today=dt.date(2025, 6, 2))
    content = ledger_export(Case.objects.filter(agency__code="wuzhou-hrss").active())
    agency = fresh_database_with_the_demo_members()
    run(agency, content)

    again = run(agency, content)

    assert (again.created, again.updated, again.errors) == (0, 0, [])
    assert again.unchanged == Case.objects.count() + Hearing.objects.count()


def test_one_edited_cell_updates_that_case_with_a_history_reason_naming_the_file(agency, staff):
    rows = [lawsuit("(2021)桂0403行初1号"), lawsuit("(2021)桂0403行初2号")]
    run(agency, book(rows), by=staff)
    rows[1]["申请人/原告"] = "黄某某"

    result = run(agency, book(rows), by=staff, filename="2021年台账(修订).xlsx")

    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    case = Case.objects.get(number="(2021)桂0403行初2号")
    assert case.applicant == "黄某某"
    assert case.history.first().history_change_reason == "台账导入:2021年台账(修订).xlsx"


# ---------------------------------------------------------------- errors: all of them, nothing saved

BAD_ROWS = [
    lawsuit("(2021)桂0403行初1号", 收到日期="2021-13-45"),
    lawsuit("(2021)桂0403行初2号", 结果="大获全胜", 结案日期="2021-08-01"),
    lawsuit(None),
    lawsuit("(2021)桂0403行初4号"),
    lawsuit("(2021)桂0403行初4号"),
    lawsuit("(2021)桂04行终9号", 审级="二审", 前序案号="(2020)桂0403行初999号"),
]


def test_a_bad_workbook_reports_every_error_with_its_row_and_column_and_saves_nothing(agency):
    result = run(agency, book(BAD_ROWS))

    found = {(error.row, error.column) for error in result.errors}
    assert {(2, "收到日期"), (3, "结果"), (4, "案号"), (6, "案号"), (7, "前序案号")} <= found
    assert "第2行 [收到日期] 日期“2021-13-45”无法识别" in messages(result)[0]
    assert any("与第5行重复" in text for text in messages(result))
    assert any("在文件和系统中都不存在" in text for text in messages(result))
    assert Case.objects.count() == 0
    assert (result.created, result.updated) == (0, 0)


def test_the_command_prints_each_error_then_the_counts_and_exits_non_zero(agency, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(book(BAD_ROWS))
    out = io.StringIO()

    with pytest.raises(SystemExit) as exit_:
        call_command("import_ledger", str(path), "--agency", "wuzhou-hrss", stdout=out, stderr=io.StringIO())

    lines = out.getvalue().strip().splitlines()
    assert exit_.value.code == 1
    assert lines[0].startswith("第2行 [收到日期] ")
    summary = json.loads(lines[-1])
    assert list(summary) == ["created", "updated", "unchanged", "errors"]
    assert len(summary["errors"]) == len(lines) - 1 >= 5
    assert Case.objects.count() == 0


def test_the_command_dry_run_counts_and_saves_nothing(agency, tmp_path):
    path = tmp_path / "ok.xlsx"
    path.write_bytes(book([lawsuit(), reconsideration()]))
    out = io.StringIO()

    call_command("import_ledger", str(path), "--agency", "wuzhou-hrss", "--dry-run", stdout=out)

    assert json.loads(out.getvalue().strip().splitlines()[-1]) == {
        "created": 2, "updated": 0, "unchanged": 0, "errors": [],
    }
    assert Case.objects.count() == 0


def test_a_dry_run_reports_what_the_services_refuse_as_row_errors(agency):
    row = lawsuit(结果="撤销", 结案日期="2026-01-01")  # concluded in the future

    result = run(agency, book([row]), dry_run=True)

    assert [(e.row, e.column) for e in result.errors] == [(2, "结案日期")]


def test_one_bad_row_among_good_ones_saves_none_of_them(agency):
    rows = [lawsuit("(2021)桂0403行初1号"), lawsuit("(2021)桂0403行初2号", 审级="")]

    result = run(agency, book(rows))

    assert [(e.row, e.column) for e in result.errors] == [(3, "审级")]
    assert Case.objects.count() == 0


# ---------------------------------------------------------------- permissions


def test_a_leader_cannot_import(agency, leader):
    with pytest.raises(PermissionDenied):
        run(agency, book([lawsuit()]), by=leader)
    assert Case.objects.count() == 0


def test_staff_cannot_import_into_another_agency(other_agency, staff):
    with pytest.raises(PermissionDenied):
        run(other_agency, book([lawsuit()]), by=staff)


def test_an_administrator_imports_into_their_own_agency_only(agency, other_agency, admin_user):
    assert run(agency, book([lawsuit()]), by=admin_user).created == 1
    with pytest.raises(PermissionDenied):
        run(other_agency, book([lawsuit()]), by=admin_user)


def test_the_command_as_a_leader_is_refused(agency, leader, tmp_path):
    path = tmp_path / "ok.xlsx"
    path.write_bytes(book([lawsuit()]))
    with pytest.raises(Exception, match="只有本机关的法制工作人员和管理员可以导入台账"):
        call_command("import_ledger", str(path), "--agency", "wuzhou-hrss", "--as", "leader", stdout=io.StringIO())


def test_importing_into_another_agency_reports_people_who_are_not_its_members(agency, other_agency, staff, leader):
    held = {"案号": "(2021)桂0403行初12号", "开庭时间": "2021-04-01 09:30", "状态": "已开庭",
            "出庭负责人": "leader", "我局出庭人员": "staff"}
    content = book([lawsuit(承办人="staff")], [held])

    result = run(other_agency, content)

    assert {(e.sheet, e.row, e.column) for e in result.errors} == {
        ("", 2, "承办人"), ("开庭", 2, "出庭负责人"), ("开庭", 2, "我局出庭人员"),
    }
    assert "“staff”不是本机关的人员" in messages(result)[0]


# ---------------------------------------------------------------- deadlines and attendance of imported cases


def test_a_concluded_case_gets_its_deadlines_computed_and_marked_met(agency):
    row = lawsuit(立案日期="2021-02-25", 结果="判决驳回诉讼请求", 结案日期="2021-08-01")

    run(agency, book([row]))

    case = Case.objects.get()
    assert case.status == Status.CONCLUDED
    defence = case.deadlines.get(rule="litigation_defence")
    assert (defence.status, defence.trigger_on) == (DeadlineStatus.MET, dt.date(2021, 3, 1))
    assert not case.deadlines.filter(status=DeadlineStatus.OPEN).exists()


def test_an_open_case_gets_live_deadlines(agency):
    run(agency, book([lawsuit(收到日期="2025-05-30")]))

    defence = Case.objects.get().deadlines.get(rule="litigation_defence")
    assert defence.status == DeadlineStatus.OPEN
    assert defence.due_on == dt.date(2025, 6, 16)  # 15 days, the last falling on a Sunday (D5 roll)


def test_attendance_without_a_proof_document_is_accepted_and_flagged(agency, staff):
    member(agency, Role.LEADER, LeaderRank.PRINCIPAL, username="boss", last_name="王", first_name="局长")
    held = {"案号": "(2021)桂0403行初12号", "开庭时间": "2021年4月1日 9:30", "状态": "已开庭",
            "我局出庭人员": "staff", "负责人未出庭原因": "需要履行他人不能代替的公务"}

    result = run(agency, book([lawsuit()], [held]))

    assert messages(result) == []
    hearing = Hearing.objects.get()
    assert hearing.status == HearingStatus.HELD and hearing.bureau_appeared
    assert hearing.proof_missing


def test_a_suspended_case_keeps_its_suspension_date(agency):
    run(agency, book([reconsideration(中止日期="2021-03-15")]))

    case = Case.objects.get()
    assert (case.status, case.suspended_on) == (Status.SUSPENDED, dt.date(2021, 3, 15))


def test_a_previous_case_already_stored_links_the_chain(agency):
    first = ReconsiderationFactory(agency=agency, number="梧政复〔2020〕7号")
    row = lawsuit(前序案号="梧政复[2020]7号", 共同被告="是")

    run(agency, book([row]))

    assert Case.objects.get(kind="litigation").previous == first


def test_a_previous_case_later_in_the_file_is_created_first(agency):
    appeal = lawsuit("(2021)桂04行终3号", 审级="二审", 审理机关="梧州市中级人民法院", 前序案号="(2021)桂0403行初12号")

    result = run(agency, book([appeal, lawsuit()]))

    assert messages(result) == []
    assert Case.objects.get(litigation_instance="second").previous.number == "(2021)桂0403行初12号"


def test_an_imported_2014_lawsuit_gets_the_law_of_its_dates(agency):
    """D10: the defence period was 10 days under ALL 1989 Art. 43, 15 days from 2015-05-01."""
    old = lawsuit("(2014)梧万行初3号", 收到日期="2014-09-01", 立案日期="2014-08-28", 结果="维持", 结案日期="2014-12-01")

    result = run(agency, book([old, reconsideration(收到日期="2016-03-01", 结果="维持", 结案日期="2016-05-01")]))

    assert messages(result) == []
    defence = Case.objects.get(kind="litigation").deadlines.get(rule="litigation_defence")
    assert (defence.due_on, defence.status) == (dt.date(2014, 9, 11), DeadlineStatus.MET)
    reply = Case.objects.get(kind="reconsideration").deadlines.get(rule="reconsideration_reply")
    assert "1999" in reply.rule_version  # the old ARL, 10 calendar days


# ---------------------------------------------------------------- the batch path keeps the services' record


def test_an_imported_concluded_case_keeps_a_history_row_naming_each_step_with_its_handlers(agency, staff):
    run(agency, book([lawsuit(结果="判决驳回诉讼请求", 结案日期="2021-08-01", 承办人="staff")]))

    case = Case.objects.get()
    (row,) = case.history.all()
    assert row.history_change_reason == "登记案件;结案:判决驳回诉讼请求"
    assert (row.status, row.version) == (Status.CONCLUDED, case.version)
    assert [h.user_id for h in row.handlers.all()] == [staff.pk] == [u.pk for u in case.handlers.all()]
    met = case.deadlines.get(rule="litigation_defence")
    assert met.history.get().history_change_reason == "按案件事实计算(收到复议申请书副本/起诉状副本日期);台账导入的已结案件:期限已届满,视为按期完成"


def test_an_imported_held_hearing_keeps_its_attending_staff_in_its_history(agency, staff):
    held = {"案号": "(2021)桂0403行初12号", "开庭时间": "2021-04-01 09:30", "状态": "已开庭",
            "我局出庭人员": "staff", "负责人未出庭原因": "需要履行他人不能代替的公务"}

    run(agency, book([lawsuit()], [held]))

    hearing = Hearing.objects.get()
    (row,) = hearing.history.all()
    assert row.history_change_reason == "安排开庭/听证;记录出庭情况"
    assert [h.user_id for h in row.attending_staff.all()] == [staff.pk] == [u.pk for u in hearing.attending_staff.all()]


def test_a_row_of_the_batch_the_services_refuse_is_reported_and_the_others_are_not_saved(agency, staff):
    upheld_in_2021 = lawsuit("(2021)桂0403行初13号", 结果="维持", 结案日期="2021-08-01")  # no 维持 judgment since 2015

    result = run(agency, book([lawsuit(), upheld_in_2021]))

    assert [(e.row, e.column) for e in result.errors] == [(3, "结果")]
    assert not Case.objects.exists()
