"""Issue 17's table on PostgreSQL: `make bench-pg` (or `.venv/bin/python bench/pg.py --cases 20000`).

Runs on its own database (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/ct_bench),
dropped and refilled by bench/pg_generate.py when it does not hold --cases proceedings (or with
--fresh). Every row prints the project's time and queries, a baseline measured in the same
run (hand-written SQL of the same design, or a bare `.values()` view), their ratio and the
goal; the exit code is non-zero when a goal is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ct_bench"
os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
os.environ.setdefault("VAR_DIR", str(ROOT / "var" / "bench-pg"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, reset_queries, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.pg_generate import Fixture, fixture, generate  # noqa: E402

# ---------------------------------------------------------------- the database


def _admin_connection() -> Any:
    import psycopg

    settings = connection.settings_dict
    return psycopg.connect(host=settings["HOST"] or None, port=settings["PORT"] or None, user=settings["USER"],
                           password=settings["PASSWORD"] or None, dbname="postgres", autocommit=True)


def _held_cases() -> int | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT cases FROM bench_meta")
            row = cursor.fetchone()
        return row[0] if row else None
    except Exception:  # no database or no table yet: generate
        connection.close()
        return None


def _cases_inserted() -> int | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM cases_case")
            row = cursor.fetchone()
        return row[0] if row else None
    except Exception:  # no database or no table yet
        connection.close()
        return None


def prepare(cases: int, fresh: bool) -> Fixture:
    name = connection.settings_dict["NAME"]
    if not fresh and _held_cases() == cases:
        print(f"data: reusing {name} ({cases} proceedings)", flush=True)
        call_command("migrate", verbosity=0)  # a database kept from an earlier run gets the new indexes
        return fixture(cases)
    started = time.perf_counter()
    if not fresh and _cases_inserted() == cases:
        print(f"data: resuming {name} after its {cases} proceedings were inserted", flush=True)
    else:
        connections.close_all()
        with _admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
        call_command("migrate", verbosity=0)
        print(f"data: {name} migrated ({time.perf_counter() - started:.0f}s); generating {cases} proceedings",
              flush=True)
    result = generate(cases=cases)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_meta (cases integer)")
        cursor.execute("INSERT INTO bench_meta VALUES (%s)", [cases])
    print(f"data: ready in {time.perf_counter() - started:.0f}s", flush=True)
    return result


# ---------------------------------------------------------------- measuring


class Rows(list["Row"]):
    """The table's rows, each printed as soon as it is measured (a long run still shows its progress)."""

    def append(self, row: Row) -> None:
        super().append(row)
        print(table([row], header=len(self) == 1), flush=True)


@dataclass
class Row:
    path: str
    project: float
    project_queries: int
    baseline: float
    baseline_queries: int
    goal: str
    ok: bool
    note: str = ""
    throughput: bool = False  # ratio as the project's throughput over the baseline's

    @property
    def ratio(self) -> float:
        if self.throughput:
            return self.baseline / self.project if self.project else 0.0
        return self.project / self.baseline if self.baseline else 0.0


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, int]:
    """Median seconds of ``repeat`` runs after one warm-up run whose queries are counted."""
    reset_queries()  # a request resets the log at its start: count from an empty one
    with CaptureQueriesContext(connection) as ctx:
        fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), len(ctx.captured_queries)


def sql(statements: list[tuple[str, Any]]) -> Callable[[], object]:
    def run() -> object:
        rows = []
        with connection.cursor() as cursor:
            for statement, params in statements:
                cursor.execute(statement, params)
                rows.append(cursor.fetchall())
        return rows

    return run


class Rollback(Exception):
    pass


def once_rolled_back(fn: Callable[[], Any]) -> tuple[float, int, Any]:
    """One run inside a transaction that is rolled back, so the next run finds the same data."""
    result: Any = None
    reset_queries()
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        try:
            with transaction.atomic():
                result = fn()
                elapsed = time.perf_counter() - started
                raise Rollback
        except Rollback:
            pass
    return elapsed, len(ctx.captured_queries), result


# ---------------------------------------------------------------- hand-written SQL (the baselines)


def _bucket_sql(year: int) -> dict[str, str]:
    from casetracker.outcomes import Bucket, outcomes_in_bucket

    concluded = f"status = 'concluded' AND concluded_on <= '{year}-12-31'"
    sql_buckets = {}
    for bucket in Bucket:
        if bucket is Bucket.PENDING:
            sql_buckets["pending"] = f"NOT ({concluded})"
        else:
            codes = ", ".join(f"'{o.value}'" for o in outcomes_in_bucket(bucket))
            sql_buckets[bucket.value] = f"{concluded} AND outcome IN ({codes})"
    sql_buckets["withdrawn_after_act_changed"] = f"{sql_buckets['withdrawn']} AND act_changed"
    sql_buckets["concluded_in_year"] = f"concluded_on BETWEEN '{year}-01-01' AND '{year}-12-31'"
    return sql_buckets


def live_roll_up_sql(year: int, scope: str) -> list[tuple[str, Any]]:
    """The live roll-up's design by hand: bucket counts overall, by kind and by subject in one
    GROUPING SETS query over the covering index's range, the attendance counts of the year's
    held hearings, and D12's three (grounds, follow-up letters, corrective actions): the same
    figures as the project's five queries."""
    counts = ", ".join(f"count(*) FILTER (WHERE {q})" for q in _bucket_sql(year).values())
    cases = (
        f"SELECT kind, subject, count(*), {counts} FROM cases_case"
        f" WHERE archived_at IS NULL AND received_on <= '{year}-12-31'"
        f" AND COALESCE(concluded_on, '9999-12-31'::date) >= '{year}-01-01' {scope}"  # case_handled_idx
        " GROUP BY GROUPING SETS ((), (kind), (subject))"
    )
    held = "h.status = 'held' AND h.archived_at IS NULL AND c.archived_at IS NULL"
    court = "h.kind = 'court' AND c.kind = 'litigation'"
    hearing = "h.kind = 'reconsideration' AND c.kind = 'reconsideration'"
    hearings = (
        f"SELECT count(*) FILTER (WHERE {court}), count(*) FILTER (WHERE {court} AND h.bureau_appeared),"
        f" count(DISTINCT h.case_id) FILTER (WHERE {court}),"
        f" count(DISTINCT h.case_id) FILTER (WHERE {court} AND h.responsible_person_id IS NOT NULL),"
        f" count(*) FILTER (WHERE {hearing}), count(*) FILTER (WHERE {hearing} AND h.bureau_appeared),"
        f" count(DISTINCT h.case_id) FILTER (WHERE {hearing}),"
        f" count(DISTINCT h.case_id) FILTER (WHERE {hearing} AND h.responsible_person_id IS NOT NULL)"
        " FROM cases_hearing h JOIN cases_case c ON c.id = h.case_id"
        f" WHERE {held} AND h.scheduled_at >= '{year}-01-01T00:00:00+08:00'"
        f" AND h.scheduled_at < '{year + 1}-01-01T00:00:00+08:00' {scope.replace('agency_id', 'c.agency_id')}"
    )
    # D12: grounds of the year's corrected/lost cases, follow-up letters, corrective actions.
    start, end = f"'{year}-01-01'", f"'{year}-12-31'"
    corrected = _bucket_sql(year)["corrected"].replace("status", "c.status").replace("concluded_on", "c.concluded_on")
    corrected = corrected.replace("outcome", "c.outcome")
    grounds = (
        "SELECT g.ground, count(*) FROM cases_caseground g JOIN cases_case c ON c.id = g.case_id"
        f" WHERE c.archived_at IS NULL AND {corrected} AND c.concluded_on >= {start}"
        f" {scope.replace('agency_id', 'c.agency_id')} GROUP BY g.ground"
    )
    follow_ups = (
        f"SELECT count(*) FILTER (WHERE received_on BETWEEN {start} AND {end}),"
        f" count(*) FILTER (WHERE answered_on BETWEEN {start} AND {end}),"
        f" count(*) FILTER (WHERE answered_on BETWEEN {start} AND {end} AND answered_on <= due_on),"
        f" count(*) FILTER (WHERE received_on <= {end} AND (answered_on IS NULL OR answered_on > {end}))"
        f" FROM cases_followup WHERE archived_at IS NULL {scope}"
    )
    actions = (
        f"SELECT count(*) FILTER (WHERE due_on BETWEEN {start} AND {end}),"
        f" count(*) FILTER (WHERE due_on BETWEEN {start} AND {end} AND done_on <= {end})"
        f" FROM cases_correctiveaction WHERE archived_at IS NULL {scope}"
    )
    return [(cases, None), (hearings, None), (grounds, None), (follow_ups, None), (actions, None)]


def frozen_roll_up_sql(year: int, scope: str) -> list[tuple[str, Any]]:
    """The frozen roll-up's design by hand: each agency's latest numbered row, its flat list of
    counts summed position by position (the project sums the same lists in Python)."""
    return [(
        "WITH latest AS (SELECT DISTINCT ON (agency_id) counts FROM cases_yearlyreport"
        f"  WHERE year = {year} AND version >= 1 {scope} ORDER BY agency_id, version DESC)"
        " SELECT e.ord, sum(e.value::bigint) FROM latest,"
        " jsonb_array_elements_text(latest.counts) WITH ORDINALITY AS e(value, ord) GROUP BY e.ord ORDER BY e.ord",
        None,
    )]


def subtree(agency_id: int) -> str:
    return (f"AND agency_id IN (SELECT id FROM cases_agency WHERE path LIKE"
            f" (SELECT path FROM cases_agency WHERE id = {agency_id}) || '%%')")


# ---------------------------------------------------------------- the rows


def rows_for(fx: Fixture, *, repeat: int, only: str = "all") -> list[Row]:
    from django.contrib.auth import get_user_model
    from django.http import JsonResponse
    from django.test import Client, RequestFactory
    from rest_framework.test import force_authenticate

    from cases.api.views.cases import CaseViewSet
    from cases.models import Agency, Case
    from cases.querysets.statistics import yearly_statistics

    users = get_user_model().objects.select_related("membership__agency")
    admin, leader, staff = (users.get(username=name) for name in (fx.admin, fx.province_leader, fx.bureau_staff))
    root, province, bureau = (Agency.objects.get(pk=pk) for pk in (fx.root, fx.province, fx.bureau))
    now = timezone.now()
    today = timezone.localdate()
    open_year, closed_year = today.year, today.year - 1
    out = Rows()
    if only == "reminders":
        return reminder_rows(out, repeat=repeat, now=now, today=today)

    # roll-ups
    scopes = [
        ("national", None, False, "", ""),
        ("province", province, True, subtree(province.pk), subtree(province.pk)),
        ("bureau", bureau, False, f"AND agency_id = {bureau.pk}", f"AND agency_id = {bureau.pk}"),
    ]
    for name, agency, children, case_scope, report_scope in scopes if only != "list" else []:
        figures = yearly_statistics(year=closed_year, agency=agency, with_children=children)
        t, q = timed(lambda a=agency, c=children: yearly_statistics(year=closed_year, agency=a, with_children=c), repeat)
        b, bq = timed(sql(frozen_roll_up_sql(closed_year, report_scope)), repeat)
        goal, ok = ("< 0.3 s, <= 1.5x SQL", t < 0.3 and t <= 1.5 * b) if name != "bureau" else ("< 20 ms", t < 0.02)
        out.append(Row(f"{name} roll-up, closed year {closed_year} (frozen; {figures['total']:,} handled)",
                       t, q, b, bq, goal, ok))
        figures = yearly_statistics(year=open_year, agency=agency, with_children=children)
        t, q = timed(lambda a=agency, c=children: yearly_statistics(year=open_year, agency=a, with_children=c), repeat)
        b, bq = timed(sql(live_roll_up_sql(open_year, case_scope)), repeat)
        goal, ok = ("< 0.3 s, <= 1.5x SQL", t < 0.3 and t <= 1.5 * b) if name != "bureau" else ("< 20 ms", t < 0.02)
        out.append(Row(f"{name} roll-up, open year {open_year} (live; {figures['total']:,} handled)",
                       t, q, b, bq, goal, ok))

    # /api/cases/?page_size=50 as a bureau's staff: the DRF view against a bare .values() view
    factory = RequestFactory()
    view = CaseViewSet.as_view({"get": "list"})

    def api() -> Any:
        request = factory.get("/api/cases/", {"page_size": 50})
        force_authenticate(request, user=staff)
        response = view(request)
        response.render()
        assert response.status_code == 200, response.content[:200]
        return response

    fields = ("id", "number", "kind", "litigation_instance", "status", "outcome", "subject", "applicant",
              "reviewing_body", "received_on", "concluded_on", "agency__code")

    def bare() -> Any:
        rows = list(Case.objects.filter(agency_id=staff.membership.agency_id, archived_at__isnull=True)
                    .order_by("-received_on", "-id").values(*fields)[:50])
        return JsonResponse({"count": len(rows), "results": rows}, json_dumps_params={"default": str})

    # The floor DRF itself sets: the bare view's query and rows behind DRF's dispatch (the same
    # authentication, permission and renderer classes as the case list), nothing else.
    from rest_framework.response import Response as DrfResponse
    from rest_framework.views import APIView

    class BareDrf(APIView):
        def get(self, request: Any) -> Any:
            rows = list(Case.objects.filter(agency_id=staff.membership.agency_id, archived_at__isnull=True)
                        .order_by("-received_on", "-id").values(*fields)[:50])
            return DrfResponse({"count": len(rows), "results": rows})

    bare_drf_view = BareDrf.as_view()

    def bare_drf() -> Any:
        request = factory.get("/api/cases/", {"page_size": 50})
        force_authenticate(request, user=staff)
        response = bare_drf_view(request)
        response.render()
        return response

    api()  # count a warm request: a process's first also loads the working-day calendar (2 queries)
    t, q = timed(api, repeat * 4)
    b, bq = timed(bare, repeat * 4)
    d, _dq = timed(bare_drf, repeat * 4)
    out.append(Row("`/api/cases/?page_size=50` as a bureau's staff", t, q, b, bq,
                   ">= 0.5x bare throughput, <= 6 queries", b / t >= 0.5 and q <= 6, throughput=True,
                   note=f"a bare DRF view of the same query: {_ms(d)}, {b / d:.2f}x"))

    # the ledger for a national administrator, and the dashboards
    client = Client()
    client.force_login(admin)

    def page(url: str, params: dict[str, Any] | None = None) -> Callable[[], Any]:
        def get() -> Any:
            response = client.get(url, params or {})
            assert response.status_code == 200, response.status_code
            return response

        return get

    ledger_sql = [
        ("SELECT c.id, c.number, c.kind, c.applicant, c.subject, c.received_on, c.status, a.name,"
         " (SELECT min(d.due_on) FROM cases_deadline d WHERE d.case_id = c.id AND d.status = 'open'"
         "  AND d.is_bureau_duty) FROM cases_case c JOIN cases_agency a ON a.id = c.agency_id"
         " WHERE c.archived_at IS NULL ORDER BY c.received_on DESC, c.id DESC LIMIT 50", None),
        ("SELECT count(*) FROM (SELECT 1 FROM cases_case WHERE archived_at IS NULL LIMIT 10001) s", None),
    ]
    t, q = timed(page("/cases/"), repeat)
    b, bq = timed(sql(ledger_sql), repeat)
    out.append(Row("ledger page for a national administrator", t, q, b, bq, "< 0.5 s", t < 0.5))
    if only == "list":  # ``--only list``: the case list and the ledger
        return out

    dashboards = [("national", root), ("provincial", province)]
    counts = {}
    for name, agency in dashboards:
        t, q = timed(page("/dashboard/", {"agency": agency.code, "children": "1"}), repeat)
        counts[name] = q
        scope = "" if agency == root else subtree(agency.pk)
        b, bq = timed(sql(live_roll_up_sql(open_year, scope)), repeat)
        out.append(Row(f"{name} dashboard ({open_year}, with 4 frozen trend years)", t, q, b, bq,
                       "< 0.5 s, queries constant in agencies", t < 0.5,
                       note="baseline: the year's live roll-up by hand"))
    same = counts["national"] == counts["provincial"]
    out[-1].note += f"; queries {'equal' if same else 'NOT equal'} to the national dashboard's"
    out[-1].ok = out[-1].ok and same
    if only == "reads":
        return out

    return reminder_rows(out, repeat=repeat, now=now, today=today)



def reminder_rows(out: Rows, *, repeat: int, now: dt.datetime, today: dt.date) -> Rows:
    """The reminder rows (``--only reminders`` measures just these)."""
    from cases.services import reminders
    from cases.services.calendar import workday_calendar

    # The reminder rows last: the first send is the longest row (it runs once, rolled back).
    # A process imports its URLconf once, at its first reverse() (~1 s here): a worker pays it
    # once, not per sweep, so it is paid before timing (it used to fall into reminders_due's
    # untimed warm-up run, which reversed the case link; now the send words the links).
    reverse("notifications")
    # reminders_due
    calendar = workday_calendar()
    horizon = reminders._horizon(today, calendar)
    ahead = max([0, settings.REMINDER_LEADER_ESCALATION_DAYS, *settings.REMINDER_HEARING_DAYS])
    dues = reminders.reminders_due(now=now)
    t, q = timed(lambda: reminders.reminders_due(now=now), repeat)
    raw = [
        ("SELECT d.id, d.case_id, c.agency_id, c.number, c.kind, d.due_on, d.title, d.rule, d.rule_version"
         " FROM cases_deadline d JOIN cases_case c ON c.id = d.case_id WHERE d.status = 'open'"
         " AND d.is_bureau_duty AND d.due_on <= %s AND c.archived_at IS NULL", [horizon]),
        ("SELECT h.id, h.case_id, c.agency_id, c.number, h.kind, h.scheduled_at, h.place, h.expected_leader_id"
         " FROM cases_hearing h JOIN cases_case c ON c.id = h.case_id WHERE h.status = 'scheduled'"
         " AND h.archived_at IS NULL AND c.archived_at IS NULL AND c.status <> 'concluded'"
         " AND h.scheduled_at > %s AND h.scheduled_at < %s", [now, now + dt.timedelta(days=ahead + 1)]),
    ]
    b, bq = timed(sql(raw), repeat)
    out.append(Row(f"`reminders_due` ({len(dues):,} due)", t, q, b, bq, "<= 2x raw select, < 1 s",
                   t <= 2 * b and t < 1))

    # the first send of a sweep (in-app only: the generated people have no e-mail and no robot)
    elapsed, sq, result = once_rolled_back(lambda: reminders.reminders_sweep(now=now))
    created = result.created

    def bulk_notifications() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO cases_notification (recipient_id, title, body, url, created_at)"
                " SELECT m.user_id, 'x', 'y', '/z', now() FROM generate_series(1, %s) g"
                " JOIN cases_membership m ON m.id = 1 + g %% 100", [created])
            return cursor.rowcount

    b_elapsed, b_q, _ = once_rolled_back(bulk_notifications)
    rate = created / elapsed if elapsed else 0.0
    out.append(Row(f"first sweep + in-app send of {created:,} deliveries", elapsed, sq, b_elapsed, b_q,
                   ">= 1,000 deliveries/s", rate >= 1000,
                   note=f"{rate:,.0f}/s (baseline: one INSERT ... SELECT of as many notifications)"))

    return out

def table(rows: list[Row], header: bool = True) -> str:
    lines = ["| path | project | queries | baseline | queries | ratio | goal | met |",
             "|---|---|---|---|---|---|---|---|"] if header else []
    for row in rows:
        ratio = f"{row.ratio:.2f}x throughput" if row.throughput else f"{row.ratio:.2f}x"
        note = f" ({row.note})" if row.note else ""
        lines.append(f"| {row.path}{note} | {_ms(row.project)} | {row.project_queries} | {_ms(row.baseline)} |"
                     f" {row.baseline_queries} | {ratio} | {row.goal} | {'yes' if row.ok else 'NO'} |")
    return "\n".join(lines)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms" if seconds < 1 else f"{seconds:,.2f} s"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--fresh", action="store_true", help="drop and regenerate the database")
    parser.add_argument("--json", help="also write the rows to this file")
    parser.add_argument("--only", choices=["all", "reminders", "list", "reads"], default="all",
                        help="measure only these rows (reads: everything but the reminder rows)")
    parser.add_argument("--generate-only", action="store_true", help="fill the database and stop")
    args = parser.parse_args()
    fx = prepare(args.cases, args.fresh)
    if args.generate_only:
        return 0
    started = time.perf_counter()
    print(f"\nPostgreSQL, {args.cases:,} proceedings, median of {args.repeat} after a warm-up run:\n", flush=True)
    rows = rows_for(fx, repeat=args.repeat, only=args.only)
    print(f"\nThe whole table (measured in {time.perf_counter() - started:.0f}s):\n")
    print(table(rows))
    if args.json:
        Path(args.json).write_text(json.dumps([row.__dict__ for row in rows], indent=1))
    return 0 if all(row.ok for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
