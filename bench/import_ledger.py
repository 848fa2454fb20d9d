"""Benchmark: import a ledger of N cases (with 0.6 N hearings) on a fresh database, against a bare bulk_create.

    .venv/bin/python bench/import_ledger.py --rows 10000      # the issue's target: under 20 s on SQLite

Writes the workbook with the same rows the bulk_create baseline inserts, imports it
with ledger_import (every row through the services, one transaction), and prints the
time, rows per second, peak Python memory and the ratio to bulk_create. Exits non-zero
when the target is missed. Runs on its own database under var/bench-import/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import shutil
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VAR = Path(os.environ.get("BENCH_VAR_DIR", ROOT / "var" / "bench-import"))
os.environ["VAR_DIR"] = str(VAR)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

TARGET_SECONDS_PER_10K = 20.0
OUTCOMES = ["维持", "撤销", "撤回申请(终止) / 撤诉", "调解"]


def rows(n: int, seed: int = 7) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    rng = random.Random(seed)
    cases, hearings = [], []
    for i in range(n):
        litigation = i % 2 == 0
        received = dt.date(2016, 1, 4) + dt.timedelta(days=rng.randint(0, 3000))
        concluded = received + dt.timedelta(days=rng.randint(30, 300))
        row: dict[str, object] = {
            "案号": f"({received.year})桂0403行初{i + 1}号" if litigation else f"梧政复〔{received.year}〕{i + 1}号",
            "类型": "行政诉讼" if litigation else "行政复议", "审级": "一审" if litigation else "",
            "审理机关": "梧州市万秀区人民法院" if litigation else "梧州市人民政府",
            "申请人/原告": f"申请人{i}", "案由": "工伤认定", "收到日期": received,
            "立案日期": received - dt.timedelta(days=3), "承办人": "李明",
        }
        if concluded < dt.date(2024, 6, 1) and rng.random() < 0.9:
            outcome = rng.choice(OUTCOMES)
            row.update({"结果": "判决驳回诉讼请求" if litigation and outcome == "维持" else outcome, "结案日期": concluded})
        cases.append(row)
        if litigation and len(hearings) < n * 0.6:
            hearings.append({"案号": row["案号"], "开庭时间": dt.datetime.combine(received + dt.timedelta(days=20), dt.time(9, 30)),
                             "状态": "已开庭", "出庭负责人": "王建国", "我局出庭人员": "李明"})
        if litigation and len(hearings) < n * 0.6:
            hearings.append({"案号": row["案号"], "开庭时间": dt.datetime.combine(received + dt.timedelta(days=25), dt.time(15, 0)),
                             "状态": "已开庭", "我局出庭人员": "李明", "负责人未出庭原因": "需要履行他人不能代替的公务"})
    return cases, hearings


def fresh_database() -> object:
    from django.contrib.auth import get_user_model

    from cases.choices import LeaderRank, Role
    from cases.models import Agency, Membership

    connection.close()
    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    call_command("migrate", verbosity=0)
    agency = Agency.objects.create(code="bench-hrss", name="基准测试人社局")
    User = get_user_model()
    for username, last, first, role, rank in (("staff", "李", "明", Role.STAFF, ""),
                                              ("leader", "王", "建国", Role.LEADER, LeaderRank.PRINCIPAL)):
        user = User.objects.create(username=username, last_name=last, first_name=first)
        Membership.objects.create(user=user, agency=agency, role=role, leader_rank=rank)
    return agency


def bulk_baseline(agency: object, cases: list[dict[str, object]]) -> float:
    """The same cases inserted by one bulk_create, no services, no history, no deadlines."""
    from cases.models import Case

    objects = [Case(agency=agency, kind="litigation" if r["类型"] == "行政诉讼" else "reconsideration",
                    litigation_instance="first" if r["审级"] else "", number=r["案号"], reviewing_body=r["审理机关"],
                    applicant=r["申请人/原告"], subject="work_injury", received_on=r["收到日期"]) for r in cases]
    start = time.perf_counter()
    with transaction.atomic():
        Case.objects.bulk_create(objects, batch_size=500)
        transaction.set_rollback(True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    from cases.services.ledger_import import ledger_import
    from tests.ledger_books import book

    cases, hearings = rows(args.rows)
    content = book(cases, hearings)
    agency = fresh_database()
    baseline = bulk_baseline(agency, cases)
    tracemalloc.start()
    start = time.perf_counter()
    result = ledger_import(agency=agency, by=None, file=io.BytesIO(content), filename="bench.xlsx", size=len(content))
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    target = TARGET_SECONDS_PER_10K * args.rows / 10_000
    ok = result.ok and seconds <= target
    print(f"data: {len(cases)} cases, {len(hearings)} hearings, {len(content) / 2**20:.1f} MiB ({connection.vendor})")
    print(f"errors: {len(result.errors)}" + (f" (first: {result.errors[0]})" if result.errors else ""))
    print(f"{'PASS' if ok else 'MISS'}  ledger_import: {seconds:.1f} s (≤ {target:.0f}), "
          f"{(len(cases) + len(hearings)) / seconds:.0f} rows/s, peak {peak / 2**20:.0f} MiB; "
          f"bare bulk_create of the cases: {baseline:.2f} s; ratio {seconds / baseline:.0f}x")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
