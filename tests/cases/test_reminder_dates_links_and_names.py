"""Reminders when dates move, for each hearing kind, with working links and names, on the beat's clock.

Dates walk through October 2025 (1-8 October are the National Day rest days).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from cases import notify
from cases.choices import HearingKind, LeaderRank, Role
from cases.models import Notification, ReminderDelivery
from cases.models.reminders import ReminderChannel
from cases.services.deadlines import deadline_override
from cases.services.hearings import hearing_reschedule
from cases.services.reminders import reminders_sweep
from tests.factories import CaseFactory, DeadlineFactory, HearingFactory, ReconsiderationFactory, member

ROOT = Path(__file__).resolve().parents[2]
BEIJING = ZoneInfo("Asia/Shanghai")


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, minute, tzinfo=BEIJING)


def sweep(moment: dt.datetime):
    with time_machine.travel(moment, tick=False):
        return reminders_sweep()


def sweep_days(month: int, first: int, last: int, hour: int = 8) -> None:
    for day in range(first, last + 1):
        sweep(at(month, day, hour))


def reminders_of(user) -> list[str]:
    qs = ReminderDelivery.objects.filter(recipient=user, channel=ReminderChannel.IN_APP).order_by("id")
    return list(qs.values_list("reminder", flat=True))


@pytest.fixture
def case(agency, staff):
    case = CaseFactory(agency=agency)
    case.handlers.add(staff)
    return case


# --- A moved date is reminded again ---------------------------------------------------------------


def test_it_reminds_a_deadline_again_for_its_new_due_day_after_it_was_moved(case, staff):
    deadline = DeadlineFactory(case=case, due_on=dt.date(2025, 10, 9))
    sweep(at(10, 6))
    sweep(at(10, 8))
    with time_machine.travel(at(10, 8, 10), tick=False):
        deadline_override(deadline=deadline, due_on=dt.date(2025, 10, 20), reason="法院准予延期", by=staff)
    sweep_days(10, 9, 20, hour=9)
    assert reminders_of(staff) == [
        "lead_3d@2025-10-09", "lead_1d@2025-10-09",
        "lead_5wd@2025-10-20", "lead_3d@2025-10-20", "lead_1d@2025-10-20", "due_day@2025-10-20",
    ]  # fmt: skip
    assert Notification.objects.filter(recipient=staff).order_by("-id").first().title.startswith("【期限今日届满】")


def test_it_reminds_a_rescheduled_hearing_again_for_its_new_time(agency, case, staff, leader):
    hearing = HearingFactory(case=case, scheduled_at=at(10, 10), expected_leader=leader)
    sweep_days(10, 5, 9)
    with time_machine.travel(at(10, 9, 12), tick=False):
        hearing_reschedule(hearing=hearing, by=staff, scheduled_at=at(10, 20, 14, 30), reason="法院改期")
    sweep_days(10, 10, 20)
    old, new = "@2025-10-10T09:00", "@2025-10-20T14:30"
    expected = [f"hearing_{n}d{old}" for n in (5, 3, 1)] + [f"hearing_{n}d{new}" for n in (5, 3, 1)]
    assert reminders_of(staff) == expected
    assert reminders_of(leader) == expected
    assert "2025-10-20 14:30" in Notification.objects.filter(recipient=leader).order_by("-id").first().title


def test_it_escalates_a_rescheduled_hearing_that_still_has_no_leader_again(agency, case, staff):
    deputy = member(agency, Role.LEADER, LeaderRank.DEPUTY)
    hearing = HearingFactory(case=case, scheduled_at=at(10, 10))
    sweep_days(10, 7, 9)
    with time_machine.travel(at(10, 9, 12), tick=False):
        hearing_reschedule(hearing=hearing, by=staff, scheduled_at=at(10, 20), reason="法院改期")
    sweep_days(10, 10, 19)
    assert reminders_of(deputy) == ["escalation_leader@2025-10-10T09:00", "escalation_leader@2025-10-20T09:00"]


# --- Which hearings need a leader, and their words ------------------------------------------------


def test_it_does_not_escalate_a_hearing_of_a_kind_no_leader_must_attend(agency, case, staff):
    principal = member(agency, Role.LEADER, LeaderRank.PRINCIPAL)
    HearingFactory(case=case, kind=HearingKind.OTHER, scheduled_at=at(10, 10))
    sweep_days(10, 7, 9)
    assert reminders_of(principal) == []
    assert [r.split("@")[0] for r in reminders_of(staff)] == ["hearing_3d", "hearing_1d"]
    assert Notification.objects.filter(recipient=staff).first().title.startswith("【庭审提醒】")


def test_it_words_a_reconsideration_hearing_as_a_hearing_and_cites_arl_51_when_escalating(agency, staff):
    principal = member(agency, Role.LEADER, LeaderRank.PRINCIPAL)
    recon = ReconsiderationFactory(agency=agency)
    recon.handlers.add(staff)
    HearingFactory(case=recon, kind=HearingKind.RECONSIDERATION, scheduled_at=at(10, 10))
    sweep(at(10, 9))
    to_staff = Notification.objects.get(recipient=staff)
    to_leader = Notification.objects.get(recipient=principal)
    assert to_staff.title.startswith("【听证提醒】")
    assert to_leader.title.startswith("【负责人参加听证尚未安排】")
    assert "行政复议法第51条" in to_leader.body and "法院" not in to_leader.body


def test_it_writes_the_expected_leaders_name_surname_first(agency, case):
    wang = member(agency, Role.LEADER, LeaderRank.PRINCIPAL, first_name="建国", last_name="王")
    HearingFactory(case=case, scheduled_at=at(10, 10), expected_leader=wang)
    sweep(at(10, 9))
    assert "拟出庭负责人:王建国" in Notification.objects.get(recipient=wang).body


# --- Links: the case page, absolute in e-mail and webhook, relative in the app ----------------------


def test_it_links_a_reminder_to_the_case_page_absolute_in_email_and_webhook(agency, case, staff, settings):
    settings.SITE_URL = "https://cases.example.gov.cn"
    agency.webhook_url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"
    agency.save()
    DeadlineFactory(case=case, due_on=dt.date(2025, 10, 9))
    payloads = []
    with mock.patch.object(notify, "send_webhook", side_effect=lambda d: payloads.append(notify.webhook_payload(d))):
        assert sweep(at(10, 9)).sent == 3
    page = f"/cases/{case.pk}/"
    assert Notification.objects.get(recipient=staff).url == page
    assert mail.outbox[0].body.endswith(f"\n\nhttps://cases.example.gov.cn{page}")
    assert payloads[0]["text"]["content"].endswith(f"\nhttps://cases.example.gov.cn{page}")


def _settings_value(expression: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
    )  # fmt: skip


def test_site_url_defaults_to_the_development_server_and_refuses_a_url_without_a_scheme():
    assert _settings_value("settings.SITE_URL").stdout.strip() == "http://127.0.0.1:8000"
    assert _settings_value("settings.SITE_URL", SITE_URL="https://cases.example.gov.cn/").stdout.strip() == (
        "https://cases.example.gov.cn"
    )
    bad = _settings_value("settings.SITE_URL", SITE_URL="cases.example.gov.cn")
    assert bad.returncode != 0 and "SITE_URL must start with http:// or https://" in bad.stderr


# --- The beat's clock and countdowns ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (dt.datetime(2026, 12, 31, 23, 0, tzinfo=BEIJING), False),  # already 1 January in Auckland
        (dt.datetime(2027, 1, 1, 0, 29, tzinfo=BEIJING), False),
        (dt.datetime(2027, 1, 1, 0, 30, 5, tzinfo=BEIJING), True),
    ],
)
def test_the_year_end_job_fires_at_00_30_beijing_time_whatever_the_celery_timezone(now, due):
    from config.celery import app

    assert str(app.conf.timezone) == "Asia/Shanghai"
    schedule = app.conf.beat_schedule["year-end-reports"]["schedule"]
    # A TIME_ZONE ahead of Beijing (here Auckland) must not move the job into 31 December.
    auckland = mock.PropertyMock(return_value=ZoneInfo("Pacific/Auckland"))
    with mock.patch.object(type(app), "timezone", auckland), mock.patch.object(schedule, "nowfun", lambda: now):
        assert schedule.is_due(dt.datetime(2026, 1, 1, 0, 30, tzinfo=BEIJING)).is_due is due


def test_no_task_retries_with_a_countdown_longer_than_the_visibility_timeout(settings):
    from cases import tasks

    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    for task in (tasks.reminder_send, tasks.yearly_reports_generate, tasks.yearly_figures_refresh):
        assert task.retry_backoff_max < visibility, task.name


def test_a_queued_sweep_expires_before_the_next_one_is_due():
    from config.celery import app

    entry = app.conf.beat_schedule["reminders-sweep"]
    assert entry["schedule"].minute == set(range(0, 60, 5))
    assert 0 < entry["options"]["expires"] < 5 * 60
