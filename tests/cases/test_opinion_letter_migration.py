"""Migrations 0012/0013 move every existing 意见书 deadline onto a follow-up record without losing a row.

The suite builds its tables without migrations, so this runs the real migrations in a
fresh process on a fresh SQLite database (tests/cases/migration_scripts/opinion_letters.py).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.test_project import ROOT, clean_env

SCRIPT = ROOT / "tests" / "cases" / "migration_scripts" / "opinion_letters.py"


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    env = clean_env(tmp_path_factory.mktemp("migration"))
    result = subprocess.run([sys.executable, str(SCRIPT)], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_no_deadline_row_is_lost_and_every_letter_deadline_has_its_follow_up(migrated):
    assert migrated["deadline_ids_after"] == migrated["deadline_ids_before"]
    assert migrated["unlinked_letter_deadlines"] == 0
    assert migrated["manual_linked"] == 0


def test_each_case_with_a_letter_gets_exactly_one_follow_up_and_others_none(migrated):
    counts = {name: len(rows) for name, rows in migrated["follow_ups"].items()}
    assert counts == {"open": 1, "answered": 1, "cleared": 1, "no_letter": 0, "date_only": 1}


def test_an_open_letter_keeps_its_dates_and_stays_open(migrated):
    [row] = migrated["follow_ups"]["open"]
    assert row == {"type": "opinion_letter", "agency_id": migrated["agency_id"], "issuing_body": "梧州市人民政府",
                   "received_on": "2025-03-03", "due_on": "2025-05-06", "answered_on": None, "status": "open"}


def test_a_met_deadline_becomes_an_answer_on_the_beijing_day_it_was_closed(migrated):
    [row] = migrated["follow_ups"]["answered"]
    assert (row["answered_on"], row["status"]) == ("2025-04-30", "answered")


def test_a_date_without_a_deadline_gets_its_statutory_due_date(migrated):
    [row] = migrated["follow_ups"]["date_only"]
    assert (row["received_on"], row["due_on"]) == ("2025-03-10", "2025-05-09")
