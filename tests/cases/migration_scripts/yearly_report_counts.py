"""Run in a fresh process on a fresh database: migrate to 0014, store report rows, migrate to 0015, print JSON.

tests/cases/test_yearly_report_counts_migration.py runs this (the test suite itself builds
its tables without migrations, so a real migration can only be checked this way).
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

from casetracker.report import Buckets, Rate, YearFigures  # noqa: E402

BEFORE = [("cases", "0014_case_active_received_idx")]
AFTER = [("cases", "0015_yearly_report_counts")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


old = migrate(BEFORE)
Agency, YearlyReport = old.get_model("cases", "Agency"), old.get_model("cases", "YearlyReport")
agency = Agency.objects.create(code="wuzhou-hrss", name="梧州市人力资源和社会保障局")
figures = YearFigures(
    year=2021, agency="wuzhou-hrss", overall=Buckets(total=5, upheld=3, pending=2),
    by_kind={"litigation": Buckets(total=5, upheld=3, pending=2)},
    by_subject={"pension": Buckets(total=5, upheld=3, pending=2)},
    rates={"court_appearance": Rate(2, 3)},
).as_dict()
for version, kind in ((1, "year_end"), (2, "on_demand")):
    YearlyReport.objects.create(agency=agency, year=2021, version=version, kind=kind, figures=figures,
                                text_zh="", text_en="", generated_at=dt.datetime(2022, 1, 1, tzinfo=dt.UTC))

new = migrate(AFTER)
rows = new.get_model("cases", "YearlyReport").objects.order_by("version").values("figures", "counts", "counts_layout")
print(json.dumps(list(rows)))
