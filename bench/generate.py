"""Make a large, realistic data set for the benchmarks (not a test).

    generate(cases=20_000) -> the agency code it filled

Rows are bulk-inserted (bypassing the services on purpose: we measure reads and
sweeps, not writes); the mix of kinds, outcomes, years and hearings follows
what a busy city bureau sees over a decade.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from cases.choices import HearingKind, HearingStatus, LeaderRank, Role, Status, Subject
from cases.models import Agency, Case, Deadline, Hearing, Membership
from casetracker.outcomes import Kind, outcomes_for


def generate(*, cases: int, seed: int = 7, code: str = "bench-hrss") -> str:
    rng = random.Random(seed)
    agency, _ = Agency.objects.get_or_create(code=code, defaults={"name": "基准测试人社局"})
    if Case.objects.filter(agency=agency).count() >= cases:
        return code
    User = get_user_model()
    leader, _ = User.objects.get_or_create(username=f"{code}-leader")
    Membership.objects.get_or_create(user=leader, defaults={"agency": agency, "role": Role.LEADER, "leader_rank": LeaderRank.PRINCIPAL})
    staff, _ = User.objects.get_or_create(username=f"{code}-staff")
    Membership.objects.get_or_create(user=staff, defaults={"agency": agency, "role": Role.STAFF})
    today = timezone.localdate()
    rows = []
    for i in range(cases):
        kind = rng.choice([Kind.RECONSIDERATION, Kind.LITIGATION])
        received = today - dt.timedelta(days=rng.randint(0, 3650))
        concluded = received + dt.timedelta(days=rng.randint(20, 400))
        done = concluded < today and rng.random() < 0.9
        instance = rng.choice(["first", "second"]) if kind == Kind.LITIGATION else ""
        rows.append(Case(
            agency=agency, kind=kind, litigation_instance=instance, number=f"BENCH-{i}",
            reviewing_body="基准法院" if kind == Kind.LITIGATION else "基准政府",
            applicant=f"申请人{i}", subject=rng.choice(Subject.values), received_on=received,
            accepted_on=received - dt.timedelta(days=3),
            status=Status.CONCLUDED if done else Status.PENDING,
            outcome=rng.choice(outcomes_for(kind, instance or None)).value if done else "",
            concluded_on=concluded if done else None,
        ))
    created = Case.objects.bulk_create(rows, batch_size=2000)
    hearings, deadlines = [], []
    for case in created:
        if case.kind == Kind.LITIGATION and rng.random() < 0.7:
            when = timezone.make_aware(dt.datetime.combine(case.received_on + dt.timedelta(days=40), dt.time(9)))
            held = when < timezone.now()
            hearings.append(Hearing(
                case=case, kind=HearingKind.COURT, scheduled_at=when,
                status=HearingStatus.HELD if held else HearingStatus.SCHEDULED,
                bureau_appeared=True if held else None,
                responsible_person=leader if held and rng.random() < 0.6 else None,
                absence_reason="" if not held else "official_duty",
            ))
        if case.status != Status.CONCLUDED:
            deadlines.append(Deadline(
                case=case, rule="litigation_defence" if case.kind == Kind.LITIGATION else "reconsideration_reply",
                trigger_on=case.received_on, due_on=case.received_on + dt.timedelta(days=15), is_bureau_duty=True,
            ))
    Hearing.objects.bulk_create(hearings, batch_size=2000)
    Deadline.objects.bulk_create(deadlines, batch_size=2000)
    return code
