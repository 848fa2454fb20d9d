"""The demo as the issue promises it: live deadlines today, nothing before 2020, idempotent to the row."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from cases.choices_deadlines import DeadlineStatus
from cases.models import Case, Deadline, Hearing

# Seeding the demo through the services takes ~20 s per test.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

TODAY = dt.datetime(2026, 3, 18, 10, 0, tzinfo=dt.UTC)


def counts() -> tuple[int, ...]:
    return (
        Case.objects.count(), Case.history.count(), Deadline.objects.count(), Deadline.history.count(),
        Hearing.objects.count(), Hearing.history.count(),
    )  # fmt: skip


@time_machine.travel(TODAY, tick=False)
def test_the_demo_shows_live_bureau_deadlines_today_and_no_case_before_2020():
    call_command("seed_demo", "--password", "demo-pass")
    live = Deadline.objects.filter(case__agency__code="wuzhou-hrss", status=DeadlineStatus.OPEN, is_bureau_duty=True)
    assert live.filter(due_on__gte=dt.date(2026, 3, 18)).count() >= 3
    assert set(live.values_list("rule", flat=True)) >= {"reconsideration_reply", "litigation_defence"}
    assert not Case.objects.filter(received_on__year__lt=2020).exists()
    assert Case.objects.filter(received_on__year=2020).exists()


@time_machine.travel(TODAY, tick=False)
def test_seeding_twice_writes_no_row_and_no_history():
    call_command("seed_demo", "--password", "demo-pass")
    before = counts()
    call_command("seed_demo")
    assert counts() == before
