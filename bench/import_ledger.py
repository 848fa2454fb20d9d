"""Benchmark: import a ledger of N cases (with 0.6 N hearings) on a fresh database, against a bare bulk_create.

    .venv/bin/python bench/import_ledger.py --rows 10000      # the issue's target: under 20 s on SQLite
    .venv/bin/python bench/import_ledger.py --rows 1000 --memory --rss 2000 10000   # resident memory too

Writes the workbook with the same rows the bulk_create baseline inserts, imports it
with ledger_import (every row through the services' checks, one transaction), and prints
the wall and CPU time (CPU time is what the import costs; wall time also shows how busy
the shared machine is), rows per second and the ratio to bulk_create; then traces the
peak Python memory of an import of 2,000 and of 10,000 rows (``--memory``), each on a
fresh database: the import runs in constant memory, so the larger file's peak may exceed
the smaller's by at most ``--memory-bound`` KiB. Exits non-zero when a target is missed.
Runs on its own database under var/bench-import/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import shutil
import subprocess
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

from django.conf import settings  # noqa: E402
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
    """An empty migrated database (migrated once, then copied: migrating takes minutes on a busy machine)."""
    from django.contrib.auth import get_user_model

    from cases.choices import LeaderRank, Role
    from cases.models import Agency, Membership

    connection.close()
    database = Path(connection.settings_dict["NAME"])
    template = VAR / "migrated.sqlite3"
    if not template.exists():
        database.unlink(missing_ok=True)
        call_command("migrate", verbosity=0)
        connection.close()
        shutil.copyfile(database, template)
    for leftover in ("-wal", "-shm"):  # a killed run's write-ahead log would be replayed onto the copy
        Path(f"{database}{leftover}").unlink(missing_ok=True)
    shutil.copyfile(template, database)
    agency = Agency.objects.create(code="bench-hrss", name="基准测试人社局")
    User = get_user_model()
    for username, last, first, role, rank in (("staff", "李", "明", Role.STAFF, ""),
                                              ("leader", "王", "建国", Role.LEADER, LeaderRank.PRINCIPAL)):
        user = User.objects.create(username=username, last_name=last, first_name=first)
        Membership.objects.create(user=user, agency=agency, role=role, leader_rank=rank)
    return agency


def bulk_baseline(agency: object, cases: list[dict[str, object]]) -> tuple[float, float]:
    """The same cases inserted by one bulk_create, no services, no history, no deadlines: (wall, CPU) seconds."""
    from cases.models import Case

    objects = [Case(agency=agency, kind="litigation" if r["类型"] == "行政诉讼" else "reconsideration",
                    litigation_instance="first" if r["审级"] else "", number=r["案号"], reviewing_body=r["审理机关"],
                    applicant=r["申请人/原告"], subject="work_injury", received_on=r["收到日期"]) for r in cases]
    start, cpu = time.perf_counter(), time.process_time()
    with transaction.atomic():
        Case.objects.bulk_create(objects, batch_size=500)
        transaction.set_rollback(True)
    return time.perf_counter() - start, time.process_time() - cpu


def run_import(n: int, *, trace: bool) -> dict[str, float]:
    """Import N rows on a fresh database: wall and CPU seconds, peak traced Python memory, errors."""
    from cases.services.ledger_import import ledger_import
    from cases.users import SYSTEM
    from tests.ledger_books import book

    cases, hearings = rows(n)
    content = book(cases, hearings)
    del cases, hearings
    agency = fresh_database()
    if trace:
        tracemalloc.start()
    start, cpu = time.perf_counter(), time.process_time()
    result = ledger_import(agency=agency, by=SYSTEM, file=io.BytesIO(content), filename="bench.xlsx", size=len(content))
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    tracemalloc.stop()
    if result.errors:
        print(f"errors: {len(result.errors)} (first: {result.errors[0]})")
    return {"wall": seconds, "cpu": cpu_seconds, "peak": peak, "errors": len(result.errors),
            "created": result.created, "mib": len(content) / 2**20}


def rss_of_import(n: int) -> tuple[int, int]:
    """The peak resident memory (KiB) of a process before and after it imports N rows.

    What tracemalloc does not see: the workbook's cells (held by calamine), SQLite's
    caches, the allocator's arenas. The workbook is written here and imported by a
    child process, so that writing it (openpyxl) does not set the child's high-water mark.
    """
    from tests.ledger_books import book

    cases, hearings = rows(n)
    path = VAR / f"rss-{n}.xlsx"
    path.write_bytes(book(cases, hearings))
    out = subprocess.run([sys.executable, __file__, "--rss-child", str(path)], check=True, capture_output=True,
                         text=True).stdout
    before, after = out.split()[-2:]
    path.unlink()
    return int(before), int(after)


def _high_water_kib() -> int:
    # VmHWM, not ru_maxrss: the latter keeps the forking parent's mark across exec (Linux).
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0])


def rss_child(path: str) -> int:
    from cases.services.ledger_import import ledger_import
    from cases.users import SYSTEM

    content = Path(path).read_bytes()
    agency = fresh_database()
    before = _high_water_kib()
    result = ledger_import(agency=agency, by=SYSTEM, file=io.BytesIO(content), filename="bench.xlsx", size=len(content))
    after = _high_water_kib()
    print(before, after)
    return 1 if result.errors else 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--memory", type=int, nargs="*", default=[2_000, 10_000],
                        help="row counts whose peak Python memory is traced (each in its own run)")
    parser.add_argument("--memory-bound", type=int, default=512, metavar="KIB",
                        help="how much more the largest --memory count's peak may be than the smallest's")
    parser.add_argument("--rss", type=int, nargs="*", default=[],
                        help="row counts whose peak resident memory is measured (each in a child process)")
    parser.add_argument("--rss-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    settings.DEBUG = False  # no query log growing with the rows
    if args.rss_child:
        return rss_child(args.rss_child)
    cases, _hearings = rows(args.rows)
    baseline, baseline_cpu = bulk_baseline(fresh_database(), cases)
    timed = run_import(args.rows, trace=False)
    load = os.getloadavg()[0]
    target = TARGET_SECONDS_PER_10K * args.rows / 10_000
    ok = timed["errors"] == 0 and timed["wall"] <= target
    print(f"data: {args.rows} cases, {len(_hearings)} hearings, {timed['mib']:.1f} MiB ({connection.vendor}), "
          f"load average {load:.1f} on {os.cpu_count()} cores")
    print(f"{'PASS' if ok else 'MISS'}  ledger_import: {timed['wall']:.1f} s wall (≤ {target:.0f}), "
          f"{timed['cpu']:.1f} s CPU, {timed['created'] / timed['wall']:.0f} rows/s; "
          f"bare bulk_create of the cases: {baseline:.2f} s wall, {baseline_cpu:.2f} s CPU; "
          f"ratio {timed['wall'] / baseline:.0f}x wall, {timed['cpu'] / baseline_cpu:.0f}x CPU")
    peaks: dict[int, float] = {}
    for n in args.memory:
        traced = run_import(n, trace=True)
        peaks[n] = traced["peak"]
        ok = ok and traced["errors"] == 0
        print(f"memory: {n} cases: peak traced Python memory {traced['peak'] / 2**20:.2f} MiB "
              f"({traced['wall']:.1f} s with tracemalloc on)")
    if len(peaks) >= 2:
        small, large = min(peaks), max(peaks)
        growth = (peaks[large] - peaks[small]) / 1024
        flat = growth <= args.memory_bound
        ok = ok and flat
        print(f"{'PASS' if flat else 'MISS'}  constant memory: the peak at {large} cases is {growth:+.0f} KiB "
              f"from the one at {small} (≤ {args.memory_bound} KiB)")
    for n in args.rss:
        before, after = rss_of_import(n)
        print(f"rss: {n} cases: peak resident memory {before / 1024:.0f} MiB before the import, "
              f"{after / 1024:.0f} MiB after (Python heap, workbook cells, SQLite caches)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
