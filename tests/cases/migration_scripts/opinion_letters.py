"""Run in a fresh process on a fresh database: migrate to 0011, make old-style rows, migrate on, print JSON.

tests/cases/test_opinion_letter_migration.py runs this (the test suite itself builds its
tables without migrations, so a real migration can only be checked this way).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys

import django

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402

BEFORE = [("cases", "0011_follow_ups")]
AFTER = [("cases", "0013_remove_case_opinion_letter_received_on")]
BEIJING_NOON = dt.datetime(2025, 4, 30, 4, 0, tzinfo=dt.UTC)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


old = migrate(BEFORE)
Agency, Case, Deadline = (old.get_model("cases", name) for name in ("Agency", "Case", "Deadline"))
agency = Agency.objects.create(code="wuzhou-hrss", name="梧州市人力资源和社会保障局")


def case(number, **fields):
    return Case.objects.create(agency=agency, kind="reconsideration", number=number, reviewing_body="梧州市人民政府",
                               applicant="甲", subject="work_injury", received_on=dt.date(2025, 1, 2), **fields)


letter = dict(rule="opinion_letter_correction", trigger_on=dt.date(2025, 3, 3), due_on=dt.date(2025, 5, 6))
cases = {
    "open": case("1", opinion_letter_received_on=dt.date(2025, 3, 3)),
    "answered": case("2", opinion_letter_received_on=dt.date(2025, 3, 3)),
    "cleared": case("3"),  # the date was cleared: its auto-waived deadline is still a row to keep
    "no_letter": case("4"),
    "date_only": case("5", opinion_letter_received_on=dt.date(2025, 3, 10)),
}
Deadline.objects.create(case=cases["open"], **letter)
Deadline.objects.create(case=cases["answered"], status="met", closed_at=BEIJING_NOON, **letter)
Deadline.objects.create(case=cases["cleared"], status="waived", auto_closed=True, closed_at=BEIJING_NOON,
                        **{**letter, "trigger_on": dt.date(2025, 2, 3), "due_on": dt.date(2025, 4, 7)})
Deadline.objects.create(case=cases["cleared"], rule="manual", title="补充证据", due_on=dt.date(2025, 4, 1))
before_ids = sorted(Deadline.objects.values_list("id", flat=True))

new = migrate(AFTER)
FollowUp, NewDeadline = new.get_model("cases", "FollowUp"), new.get_model("cases", "Deadline")
by_case = {name: FollowUp.objects.filter(case_id=c.pk).values(
    "type", "agency_id", "issuing_body", "received_on", "due_on", "answered_on", "status") for name, c in cases.items()}
print(json.dumps({
    "deadline_ids_before": before_ids,
    "deadline_ids_after": sorted(NewDeadline.objects.values_list("id", flat=True)),
    "unlinked_letter_deadlines": NewDeadline.objects.filter(rule="opinion_letter_correction",
                                                            follow_up__isnull=True).count(),
    "manual_linked": NewDeadline.objects.filter(rule="manual", follow_up__isnull=False).count(),
    "agency_id": agency.pk,
    "follow_ups": {name: list(rows) for name, rows in by_case.items()},
}, default=str))
