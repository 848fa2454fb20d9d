"""Province-scale data on PostgreSQL, in SQL (`generate_series`), for `make bench-pg` (issue 17).

    generate(cases=1_000_000) -> Fixture (the agencies and users the benchmarks act as)

The tree is a national root, 31 provinces, 10 cities in each and 9 bureaus under each
city (3,132 agencies). Every agency has a legal-staff member and a principal leader; a
national administrator and a provincial leader read the wide scopes. Proceedings are
spread evenly over the agencies below the root and received from 2010-01-01 to today;
half are lawsuits (three quarters first instance), 95% of those whose time has come are
concluded with an outcome their kind allows, ~0.6 court hearings per lawsuit, three
deadlines per proceeding (one the bureau's own), open while the case is and the deadline
fell due at most OPEN_DAYS ago (so ~35,000 reminders are due at 1M proceedings). The
four closed years of the dashboard's trend are frozen per agency (`_freeze`: the figures of
the 1 January job, checked against the live ones). Rows are
inserted by SQL, bypassing the services on purpose: we measure reads, sweeps and sends.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils import timezone

from cases.choices import LeaderRank, Role, Subject
from casetracker.outcomes import Kind, outcomes_for

PROVINCES, CITIES, BUREAUS = 31, 10, 9
FIRST_DAY = dt.date(2010, 1, 1)
OPEN_DAYS = 330
FROZEN_YEARS = 4  # the closed years of the dashboard's five-year trend
CHUNK = 250_000
PREFIX = "bench-"

# (kind, instance, rule, days after receipt, the bureau's own duty)
DEADLINES = [
    ("reconsideration", "", "reconsideration_reply", 10, True),
    ("reconsideration", "", "reconsideration_decision", 60, False),
    ("reconsideration", "", "lawsuit_after_reconsideration", 75, False),
    ("litigation", "first", "litigation_defence", 15, True),
    ("litigation", "first", "first_instance_trial", 180, False),
    ("litigation", "first", "appeal_judgment", 195, False),
    ("litigation", "second", "appellee_answer", 15, True),
    ("litigation", "second", "second_instance_trial", 90, False),
    ("litigation", "second", "retrial_application", 270, False),
]


@dataclass(frozen=True)
class Fixture:
    root: int
    province: int
    bureau: int
    admin: str
    province_leader: str
    bureau_staff: str
    cases: int


_SQL_DEFAULTS = {
    "boolean": "false", "integer": "0", "smallint": "0", "bigint": "0",
    "timestamp with time zone": "now()", "date": "current_date", "jsonb": "'{}'::jsonb",
}


def _not_null_defaults(cursor: Any, table: str) -> dict[str, str]:
    """Django keeps defaults in Python: every NOT NULL column without one gets a neutral value."""
    cursor.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s"
        " AND is_nullable = 'NO' AND column_default IS NULL AND is_identity = 'NO'", [table],
    )
    return {name: _SQL_DEFAULTS.get(kind, "''") for name, kind in cursor.fetchall()}


def _insert(cursor: Any, table: str, columns: dict[str, str], source: str, params: Any = None) -> int:
    values = {**_not_null_defaults(cursor, table), **columns}
    cursor.execute(f"INSERT INTO {table} ({', '.join(values)}) SELECT {', '.join(values.values())} {source}", params)
    rows: int = cursor.rowcount
    return rows


def _say(message: str, started: float) -> None:
    print(f"  {message} ({time.perf_counter() - started:.1f}s)", flush=True)


def _agencies(cursor: Any, started: float) -> None:
    _insert(cursor, "cases_agency", {"name": "'全国基准部'", "code": f"'{PREFIX}cn'"}, "")
    _insert(cursor, "cases_agency", {"name": "'省厅' || g", "code": f"'{PREFIX}p' || g", "parent_id": "r.id"},
            f"FROM generate_series(1, {PROVINCES}) g, cases_agency r WHERE r.code = '{PREFIX}cn'")
    _insert(cursor, "cases_agency", {"name": "'市局' || p.id || '-' || g", "code": f"'{PREFIX}c' || p.id || '-' || g",
                                      "parent_id": "p.id"},
            f"FROM generate_series(1, {CITIES}) g, cases_agency p WHERE p.code ~ '^{PREFIX}p[0-9]+$'")
    _insert(cursor, "cases_agency", {"name": "'区县局' || c.id || '-' || g",
                                      "code": f"'{PREFIX}b' || c.id || '-' || g", "parent_id": "c.id"},
            f"FROM generate_series(1, {BUREAUS}) g, cases_agency c WHERE c.code LIKE '{PREFIX}c%'")
    cursor.execute(f"UPDATE cases_agency SET path = '/' || id || '/' WHERE code = '{PREFIX}cn'")
    for _level in range(3):
        cursor.execute(
            "UPDATE cases_agency a SET path = p.path || a.id || '/' FROM cases_agency p"
            f" WHERE a.parent_id = p.id AND p.path <> '' AND a.path = '' AND a.code LIKE '{PREFIX}%'"
        )
    cursor.execute(f"SELECT count(*) FROM cases_agency WHERE code LIKE '{PREFIX}%'")
    _say(f"{cursor.fetchone()[0]} agencies", started)


def _people(cursor: Any, started: float) -> None:
    for prefix, role, rank in (("s", Role.STAFF, ""), ("l", Role.LEADER, LeaderRank.PRINCIPAL)):
        _insert(cursor, "auth_user", {"username": f"'{PREFIX}{prefix}' || a.id", "password": "'!'",
                                      "first_name": "a.id::text", "last_name": f"'{prefix}'", "is_active": "true"},
                f"FROM cases_agency a WHERE a.code LIKE '{PREFIX}%'")
        _insert(cursor, "cases_membership", {"user_id": "u.id", "agency_id": "a.id", "role": f"'{role.value}'",
                                              "leader_rank": f"'{rank}'"},
                f"FROM cases_agency a JOIN auth_user u ON u.username = '{PREFIX}{prefix}' || a.id"
                f" WHERE a.code LIKE '{PREFIX}%'")
    _insert(cursor, "auth_user", {"username": f"'{PREFIX}admin'", "password": "'!'", "is_active": "true"}, "")
    _insert(cursor, "cases_membership", {"user_id": "u.id", "agency_id": "a.id", "role": f"'{Role.ADMIN.value}'"},
            f"FROM auth_user u, cases_agency a WHERE u.username = '{PREFIX}admin' AND a.code = '{PREFIX}cn'")
    _say("people", started)


def _cases(cursor: Any, n: int, started: float) -> None:
    today = timezone.localdate()
    arrays = {
        "subjects": list(Subject.values),
        "recon": [o.value for o in outcomes_for(Kind.RECONSIDERATION)],
        "first": [o.value for o in outcomes_for(Kind.LITIGATION, "first")],
        "second": [o.value for o in outcomes_for(Kind.LITIGATION, "second")],
    }

    def pick(name: str, r: str) -> str:
        return f"(%({name})s::text[])[1 + floor({r} * {len(arrays[name])})::int]"

    columns = {
        "agency_id": "agency_id", "kind": "CASE WHEN rk < 0.5 THEN 'litigation' ELSE 'reconsideration' END",
        "litigation_instance": "CASE WHEN rk >= 0.5 THEN '' WHEN ri < 0.75 THEN 'first' ELSE 'second' END",
        "procedure": "'ordinary'", "number": "'BENCH-' || g",
        "reviewing_body": "CASE WHEN rk < 0.5 THEN '基准法院' ELSE '基准人民政府' END",
        "applicant": "'申请人' || g", "subject": pick("subjects", "rs"), "received_on": "received_on",
        "accepted_on": "received_on", "act_description": "'不予认定工伤决定'",
        "status": "CASE WHEN done THEN 'concluded' ELSE 'pending' END",
        "outcome": f"CASE WHEN NOT done THEN '' WHEN rk >= 0.5 THEN {pick('recon', 'ro')}"
                   f" WHEN ri < 0.75 THEN {pick('first', 'ro')} ELSE {pick('second', 'ro')} END",
        "concluded_on": "CASE WHEN done THEN received_on + duration END", "version": "1",
    }
    inner = (
        "SELECT g, agency_id, rk, ri, rs, ro, received_on, duration,"
        " (received_on + duration < %(today)s AND rc < 0.95) AS done FROM ("
        "  SELECT g, ag.ids[1 + floor(random() * ag.n)::int] AS agency_id, random() AS rk, random() AS ri,"
        "   random() AS rs, random() AS ro, random() AS rc, 20 + floor(random() * 380)::int AS duration,"
        "   %(first_day)s::date + floor(random() * (%(today)s::date - %(first_day)s::date + 1))::int AS received_on"
        "  FROM generate_series(%(low)s, %(high)s) g,"
        f"   (SELECT array_agg(id ORDER BY id) AS ids, count(*) AS n FROM cases_agency"
        f"    WHERE code LIKE '{PREFIX}%%' AND parent_id IS NOT NULL) ag"
        " ) r"
    )
    for low in range(1, n + 1, CHUNK):
        high = min(low + CHUNK - 1, n)
        params = {**arrays, "today": today, "first_day": FIRST_DAY, "low": low, "high": high}
        _insert(cursor, "cases_case", columns, f"FROM ({inner}) s", params)
        _say(f"cases {high}", started)
    _insert(cursor, "cases_case_handlers", {"case_id": "c.id", "user_id": "m.user_id"},
            f"FROM cases_case c JOIN cases_membership m ON m.agency_id = c.agency_id AND m.role = '{Role.STAFF.value}'")
    _say("handlers", started)


def _hearings(cursor: Any, started: float) -> None:
    held = "t.at < now()"
    appeared = f"({held} AND t.r2 < 0.97)"
    leader = f"({appeared} AND t.r3 < 0.6)"
    _insert(cursor, "cases_hearing", {
        "case_id": "t.id", "kind": "'court'", "scheduled_at": "t.at", "place": "'第一审判庭'",
        "status": f"CASE WHEN {held} THEN 'held' ELSE 'scheduled' END",
        "bureau_appeared": f"CASE WHEN {held} THEN {appeared} END",
        "responsible_person_id": f"CASE WHEN {leader} THEN m.user_id END",
        "absence_reason": f"CASE WHEN {held} AND NOT {leader} THEN 'official_duty' ELSE '' END", "version": "1",
    }, "FROM (SELECT c.id, c.agency_id, random() AS r2, random() AS r3,"
       " ((c.received_on + 30 + floor(random() * 60)::int)::timestamp + time '09:00') AT TIME ZONE 'Asia/Shanghai' AS at"
       " FROM cases_case c, generate_series(1, 2) k"
       " WHERE c.kind = 'litigation' AND random() < CASE WHEN k = 1 THEN 0.5 ELSE 0.1 END) t"
       f" JOIN cases_membership m ON m.agency_id = t.agency_id AND m.role = '{Role.LEADER.value}'")
    _say("hearings", started)


def _deadlines(cursor: Any, started: float) -> None:
    still_open = "(c.status <> 'concluded' AND c.received_on + r.days >= %(since)s)"
    rules = ", ".join(f"('{k}', '{i}', '{rule}', {days}, {str(own).lower()})" for k, i, rule, days, own in DEADLINES)
    _insert(cursor, "cases_deadline", {
        "case_id": "c.id", "rule": "r.rule", "trigger_on": "c.received_on", "due_on": "c.received_on + r.days",
        "is_bureau_duty": "r.own", "rule_version": "''",
        "status": f"CASE WHEN {still_open} THEN 'open' ELSE 'met' END",
        "closed_at": f"CASE WHEN NOT {still_open} THEN now() END",
    }, f"FROM cases_case c JOIN (VALUES {rules}) r(kind, instance, rule, days, own)"
       " ON r.kind = c.kind AND r.instance = c.litigation_instance",
       {"since": timezone.localdate() - dt.timedelta(days=OPEN_DAYS)})
    _say("deadlines", started)


def _freeze(year: int, started: float) -> int:
    """Every agency's year_end row of ``year``, as the 1 January job writes it, but from three
    grouped queries instead of ~16 per agency (3,132 agencies x 4 years would take an hour on
    this machine through the job). The figures are checked against the live ones for a few
    agencies; the frozen case list is left empty (no benchmark reads it)."""
    from collections import defaultdict

    from cases.choices import ReportKind
    from cases.models import Agency, YearlyReport
    from cases.querysets.statistics import (
        _bucket_counts,
        _buckets,
        frozen_counts,
        handled_cases,
        hearing_counts,
        hearing_rates_of,
        held_hearings,
        year_figures,
    )
    from casetracker.report import GROUND_KEYS, KIND_KEYS, Rate, YearFigures, text_en, text_zh

    counts = _bucket_counts(year)
    empty = dict.fromkeys(counts, 0)
    kinds: dict[int, dict[str, Any]] = defaultdict(dict)
    subjects: dict[int, dict[str, Any]] = defaultdict(dict)
    for row in handled_cases(year, None).values("agency_id", "kind").annotate(**counts):
        kinds[row["agency_id"]][row["kind"]] = row
    for row in handled_cases(year, None).values("agency_id", "subject").annotate(**counts):
        subjects[row["agency_id"]][row["subject"]] = row
    hearings = {row["case__agency_id"]: row for row in
                held_hearings(year, None).values("case__agency_id").annotate(**hearing_counts())}
    no_hearings = dict.fromkeys(hearing_counts(), 0)

    def figures(agency: Agency) -> YearFigures:
        by_kind = kinds.get(agency.pk, {})
        recon, lit = by_kind.get(KIND_KEYS[0], empty), by_kind.get(KIND_KEYS[1], empty)
        overall = {key: recon[key] + lit[key] for key in counts}
        return YearFigures(
            year=year, agency=agency.code, overall=_buckets(overall),
            by_kind={kind: _buckets(by_kind.get(kind, empty)) for kind in KIND_KEYS},
            by_subject={code: _buckets(subjects.get(agency.pk, {}).get(code, empty)) for code in Subject.values},
            rates={"correction": Rate(recon["corrected"], recon["concluded_in_year"]),
                   "loss": Rate(lit["corrected"], lit["concluded_in_year"]),
                   **hearing_rates_of(hearings.get(agency.pk, no_hearings))},
            grounds=dict.fromkeys(GROUND_KEYS, 0), follow_ups={"received": 0, "answered": 0, "answered_on_time": 0,
                                                                "open": 0},
            corrective_actions={"due": 0, "done": 0},
        )

    agencies = list(Agency.objects.filter(archived_at__isnull=True).order_by("id"))
    now = timezone.now()
    reports = []
    for agency in agencies:
        fig = figures(agency)
        data = fig.as_dict()
        layout, numbers = frozen_counts(data)  # what YearlyReport.save() adds; bulk_create skips save()
        reports.append(YearlyReport(
            agency=agency, year=year, version=1, kind=ReportKind.YEAR_END, figures=data, case_list=[],
            counts=numbers, counts_layout=layout,
            text_zh=text_zh(fig), text_en=text_en(fig), generated_at=now, generated_by_job="bench",
        ))
    busiest = max(agencies, key=lambda a: kinds.get(a.pk, {}).get(KIND_KEYS[1], empty)["total"])
    for agency in (agencies[0], agencies[len(agencies) // 2], busiest):
        live = year_figures(year=year, ids={agency.pk}, label=agency.code).as_dict()
        assert figures(agency).as_dict() == live, f"frozen != live for {agency.code} {year}"
    YearlyReport.objects.bulk_create(reports, batch_size=500)
    _say(f"{len(reports)} agencies' {year} figures frozen (checked against live for 3)", started)
    return len(reports)


def fixture(cases: int) -> Fixture:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM cases_agency WHERE code = '{PREFIX}cn'")
        root = cursor.fetchone()[0]
        cursor.execute(f"SELECT min(id) FROM cases_agency WHERE code ~ '^{PREFIX}p[0-9]+$'")
        province = cursor.fetchone()[0]
        # The bureau with the most proceedings: the one a bureau's figures and lists are timed for.
        cursor.execute("SELECT agency_id FROM cases_case c JOIN cases_agency a ON a.id = c.agency_id"
                       f" WHERE a.code LIKE '{PREFIX}b%%' GROUP BY agency_id ORDER BY count(*) DESC, agency_id LIMIT 1")
        bureau = cursor.fetchone()[0]
    return Fixture(root=root, province=province, bureau=bureau, admin=f"{PREFIX}admin",
                   province_leader=f"{PREFIX}l{province}", bureau_staff=f"{PREFIX}s{bureau}", cases=cases)


def generate(*, cases: int) -> Fixture:
    """Fill an empty, migrated database (the caller makes it: bench/pg.py)."""
    from cases.models import Case, YearlyReport

    started = time.perf_counter()
    if not Case.objects.exists():  # else resume: the rows are in, some years may not be frozen yet
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(0.17)")
            _agencies(cursor, started)
            _people(cursor, started)
            _cases(cursor, cases, started)
            _hearings(cursor, started)
            _deadlines(cursor, started)
            cursor.execute("ANALYZE")
            _say("analyzed", started)
    # The closed years the dashboard's trend shows, frozen as the 1 January job would have.
    this_year = timezone.localdate().year
    for closed in range(this_year - FROZEN_YEARS, this_year):
        if not YearlyReport.objects.filter(year=closed).exists():
            _freeze(closed, started)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return fixture(cases)
