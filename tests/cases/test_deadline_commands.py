"""`manage.py deadline` and `manage.py load_holidays`."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command, load_command_class
from django.core.management.base import CommandError

from cases.choices import Instance, Kind, Subject
from cases.models import CalendarYear, Deadline, HolidayOverride
from cases.services.cases import case_create

pytestmark = pytest.mark.django_db


def run(*args: str) -> list[str]:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().splitlines()


def run_from_shell(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Run as `manage.py ...` would: CommandError becomes exit status 1 and stderr.

    System checks are skipped: they test the whole project, not these commands.
    """
    command = load_command_class("cases", args[0])
    skip = ["--skip-checks"] if command.requires_system_checks else []
    with pytest.raises(SystemExit) as exit_info:
        command.run_from_argv(["manage.py", *args, *skip])
    return int(exit_info.value.code or 0), capsys.readouterr().err


def test_it_prints_the_due_date_first_then_the_basis_and_provisional():
    lines = run("deadline", "litigation_defence", "2024-09-16")
    assert lines[0] == "2024-10-08"
    assert lines[1] == "basis: 《行政诉讼法》第六十七条：收到起诉状副本之日起十五日内提交答辩状"
    assert lines[2].startswith("version: ALL-2014 (Defence and evidence; 15 days from ")
    assert lines[3] == "provisional: no"


def test_it_says_when_a_due_date_is_provisional():
    lines = run("deadline", "litigation_defence", "2026-12-20")
    assert lines[0] == "2027-01-04"
    assert lines[3].startswith("provisional: yes")


def test_it_prints_one_json_object():
    (line,) = run("deadline", "reconsideration_reply", "2025-01-24", "--json")
    assert json.loads(line) == {
        "rule": "reconsideration_reply",
        "version": "ARL-2023",
        "trigger": "2025-01-24",
        "due": "2025-02-13",
        "provisional": False,
        "basis": "《行政复议法》第四十八条、第八十八条：自收到申请书副本或者申请笔录复印件之日起十个工作日内提出书面答复并提交证据、依据",
    }


def test_it_uses_the_administrator_overrides(csv_file):
    call_command("load_holidays", csv_file("2026-10-08,rest,测试\n"), stdout=io.StringIO())
    assert run("deadline", "litigation_defence", "2026-09-18")[0] == "2026-10-09"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("reply", "2025-01-01"), "Unknown deadline rule 'reply'; valid rules: reconsideration_reply,"),
        (("litigation_defence", "2025-02-30"), "Invalid date '2025-02-30'"),
        (("litigation_defence", "yesterday"), "Invalid date 'yesterday'"),
        (("litigation_defence", "2003-12-31"), "before 2004"),
        (("reconsideration_reply_simplified", "2019-04-26"),
         "reconsideration_reply_simplified was not in force on 2019-04-26: it applies from 2024-01-01."),
        (("first_instance_simplified", "2015-04-30"),
         "first_instance_simplified was not in force on 2015-04-30: it applies from 2015-05-01."),
    ],
)
def test_it_exits_non_zero_with_a_one_line_message_on_bad_input(capsys, args, message):
    status, err = run_from_shell(capsys, "deadline", *args)
    assert status == 1
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


@pytest.fixture
def csv_file(tmp_path: Path) -> Callable[[str], str]:
    """Write ``date,type,note`` rows under a header to a fresh file; return its path."""
    counter = itertools.count(1)

    def write(body: str) -> str:
        path = tmp_path / f"holidays-{next(counter)}.csv"
        path.write_text("date,type,note\n" + body, encoding="utf-8")
        return str(path)

    return write


@time_machine.travel(dt.datetime(2026, 12, 28, 9, 0, tzinfo=dt.UTC), tick=False)
def test_load_holidays_prints_what_it_loaded_and_what_it_recomputed(agency, staff, csv_file):
    case = case_create(
        agency=agency, by=staff, kind=Kind.LITIGATION, litigation_instance=Instance.FIRST, number="(2026)桂04行初1号",
        reviewing_body="梧州市中级人民法院", applicant="王五", subject=Subject.WORK_INJURY,
        received_on=dt.date(2026, 12, 20),
    )  # fmt: skip
    lines = run(
        "load_holidays", csv_file("2027-01-01,休息,测试\n2027-01-04,休息,测试\n2027-01-09,上班,测试\n"), "--year", "2027"
    )
    assert lines[0] == "Loaded the full notice of 2027: 2 rest days, 1 adjusted working days."
    assert lines[1] == "Recomputed 1 open deadlines."
    assert lines[2] == f"  {case.number} litigation_defence: due 2027-01-05"
    assert Deadline.objects.get(case=case).due_on == dt.date(2027, 1, 5)


def test_load_holidays_saves_nothing_when_any_row_is_bad(csv_file):
    path = csv_file("2027-01-01,rest,ok\n2027-13-01,rest,bad month\n2027-01-09,maybe,bad type\n")
    with pytest.raises(CommandError) as error:
        call_command("load_holidays", path)
    assert "Nothing was loaded" in str(error.value)
    assert "第 3 行" in str(error.value) and "第 4 行" in str(error.value)
    assert not HolidayOverride.objects.exists() and not CalendarYear.objects.exists()


def test_load_holidays_refuses_a_missing_file(capsys):
    status, err = run_from_shell(capsys, "load_holidays", "/nonexistent/holidays.csv")
    assert status == 1 and "Cannot read" in err
