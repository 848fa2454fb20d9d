"""Migration 0015 gives every stored yearly report row its figures' numbers as a flat list."""

from __future__ import annotations

import json
import subprocess
import sys

from cases.querysets.statistics import count_keys
from casetracker.report import counts_layout, figures_counts
from tests.test_project import ROOT, clean_env

SCRIPT = ROOT / "tests" / "cases" / "migration_scripts" / "yearly_report_counts.py"


def test_rows_stored_before_the_migration_get_the_list_of_their_own_figures(tmp_path):
    result = subprocess.run([sys.executable, str(SCRIPT)], cwd=ROOT, env=clean_env(tmp_path), capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    rows = json.loads(result.stdout.strip().splitlines()[-1])
    assert len(rows) == 2
    for row in rows:
        assert row["counts"] == figures_counts(row["figures"], count_keys())
        assert row["counts"][0] == 5  # the total comes first
        assert row["counts_layout"] == counts_layout(count_keys())
