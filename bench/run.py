"""Benchmarks with their targets: `make bench` (or `.venv/bin/python bench/run.py --cases 20000`).

Each line prints what was measured, the target, and PASS/MISS; the exit code is
non-zero when a target is missed. Runs on its own database under var/bench/
(or DATABASE_URL), never on the development data.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("VAR_DIR", str(ROOT / "var" / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def timed(fn: Callable[[], object], repeat: int = 5) -> tuple[float, int, float]:
    """Median seconds, queries of one run, peak MiB of one run."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as ctx:
        tracemalloc.start()
        fn()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return statistics.median(times), len(ctx.captured_queries), peak / 2**20


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    from bench.generate import generate
    from cases.models import Agency

    started = time.perf_counter()
    code = generate(cases=args.cases)
    print(f"data: {args.cases} cases ready in {time.perf_counter() - started:.1f}s ({connection.vendor})")
    agency = Agency.objects.get(code=code)
    results = []

    from cases.querysets.statistics import yearly_statistics

    year = django.utils.timezone.localdate().year - 1
    results.append(("yearly_statistics (one agency, one year)", *timed(lambda: yearly_statistics(year=year, agency=agency)), 1.0, 10, 50))

    from cases.services.reminders import reminders_due

    now = django.utils.timezone.now()
    results.append(("reminders_due (every open deadline and hearing)", *timed(lambda: reminders_due(now=now), repeat=3), 5.0, 20, 400))

    from django.test import Client

    from cases.models import Membership

    client = Client()
    client.force_login(Membership.objects.get(agency=agency, role="staff").user)
    results.append(("GET /api/cases/?page_size=200", *timed(lambda: client.get("/api/cases/?page_size=200")), 1.5, 20, 100))
    results.append(("GET /cases/ (ledger page)", *timed(lambda: client.get("/cases/")), 1.0, 25, 100))

    missed = 0
    for name, secs, queries, mib, max_secs, max_queries, max_mib in results:
        ok = secs <= max_secs and queries <= max_queries and mib <= max_mib
        missed += not ok
        print(f"{'PASS' if ok else 'MISS'}  {name}: {secs * 1000:.0f} ms (≤ {max_secs * 1000:.0f}), "
              f"{queries} queries (≤ {max_queries}), peak {mib:.1f} MiB (≤ {max_mib})")
    reset_queries()
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
