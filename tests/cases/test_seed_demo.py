"""The demo: loading it twice changes nothing, and 2021 rolls up to 25 = 19 + 2 + 4."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count

from cases.choices import DeadlineStatus
from cases.models import Agency, Case, Deadline, Hearing

pytestmark = pytest.mark.django_db


def buckets_2021() -> dict[str, int]:
    qs = Case.objects.filter(agency__code="wuzhou-hrss").handled_in(2021).with_bucket(2021)
    return dict(qs.values("bucket").annotate(n=Count("id")).values_list("bucket", "n"))


def test_the_demo_year_rolls_up_to_25_19_2_4(demo):
    assert buckets_2021() == {"upheld": 19, "withdrawn": 2, "pending": 4}


def test_the_bureau_appeared_at_every_2021_court_hearing(demo):
    held = Hearing.objects.filter(case__agency__code="wuzhou-hrss", kind="court", scheduled_at__year=2021)
    assert held.count() > 0
    assert held.filter(bureau_appeared=True).count() == held.count()


def test_the_demo_has_carry_over_both_kinds_and_several_subjects(demo):
    handled = Case.objects.filter(agency__code="wuzhou-hrss").handled_in(2021)
    assert handled.filter(received_on__year=2020).exists()
    assert set(handled.values_list("kind", flat=True)) == {"reconsideration", "litigation"}
    assert handled.values("subject").distinct().count() >= 5
    assert handled.filter(act_changed=True).exists()


def test_seeding_twice_creates_nothing_new(demo):
    counts = (Agency.objects.count(), get_user_model().objects.count(), Case.objects.count(), Hearing.objects.count())
    call_command("seed_demo")
    assert counts == (Agency.objects.count(), get_user_model().objects.count(), Case.objects.count(), Hearing.objects.count())
    assert buckets_2021() == {"upheld": 19, "withdrawn": 2, "pending": 4}


def test_the_demo_users_can_log_in_with_the_given_password(demo, client):
    for username in ("staff", "leader", "admin", "staff2"):
        response = client.post("/accounts/login/", {"username": username, "password": "demo-pass"})
        assert response.status_code == 302, username
        client.logout()
    leader = get_user_model().objects.get(username="leader")
    assert leader.membership.is_responsible_person
    assert get_user_model().objects.get(username="staff2").membership.agency.code != "wuzhou-hrss"


def test_the_demo_has_open_cases_received_in_the_last_weeks(demo):
    from django.utils import timezone

    today = timezone.localdate()
    recent = Case.objects.filter(status="pending", received_on__gte=today.replace(day=1) - __import__("datetime").timedelta(days=40))
    assert recent.count() >= 3


def test_the_demo_has_hearings_in_the_next_two_weeks_one_without_a_leader_arranged(demo):
    upcoming = Hearing.objects.upcoming(days=14).filter(case__agency__code="wuzhou-hrss")
    assert upcoming.count() == 2
    assert upcoming.filter(expected_leader__isnull=True).count() == 1


# --- The demo as the issue promises it: live deadlines today, nothing before 2020, idempotent to the row.


TODAY = dt.datetime(2026, 3, 18, 10, 0, tzinfo=dt.UTC)


def counts() -> tuple[int, ...]:
    return (
        Case.objects.count(), Case.history.count(), Deadline.objects.count(), Deadline.history.count(),
        Hearing.objects.count(), Hearing.history.count(),
    )  # fmt: skip


@pytest.mark.slow  # seeds the demo through the services (~20 s)
@time_machine.travel(TODAY, tick=False)
def test_the_demo_shows_live_bureau_deadlines_today_and_no_case_before_2020():
    call_command("seed_demo", "--password", "demo-pass")
    live = Deadline.objects.filter(case__agency__code="wuzhou-hrss", status=DeadlineStatus.OPEN, is_bureau_duty=True)
    assert live.filter(due_on__gte=dt.date(2026, 3, 18)).count() >= 3
    assert set(live.values_list("rule", flat=True)) >= {"reconsideration_reply", "litigation_defence"}
    assert not Case.objects.filter(received_on__year__lt=2020).exists()
    assert Case.objects.filter(received_on__year=2020).exists()


@pytest.mark.slow  # seeds the demo through the services (~20 s)
@time_machine.travel(TODAY, tick=False)
def test_seeding_twice_writes_no_row_and_no_history():
    call_command("seed_demo", "--password", "demo-pass")
    before = counts()
    call_command("seed_demo")
    assert counts() == before
