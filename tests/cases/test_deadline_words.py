"""Wherever a deadline is shown it says its law, article and period in words, and the days left."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from cases.deadline_text import basis_text, days_left_text
from cases.models import Deadline
from cases.services.reminder_words import deadline_words as _deadline_words
from cases.web.ics import calendar_feed
from casetracker.calendar import WorkdayCalendar
from tests.cases.test_deadlines import lawsuit, reconsideration, the

pytestmark = pytest.mark.django_db
CALENDAR = WorkdayCalendar()
DEFENCE_ZH = "《行政诉讼法》第六十七条：收到起诉状副本之日起十五日内提交答辩状"
DEFENCE_EN = "Administrative Litigation Law Art. 67: file a defence within 15 days of receiving the complaint copy"


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def test_it_words_the_basis_from_the_version_the_deadline_used():
    assert basis_text("litigation_defence", "ALL-2014") == DEFENCE_ZH
    assert basis_text("litigation_defence", "ALL-1989").startswith("《行政诉讼法》（1989年）第四十三条：")
    assert basis_text("manual", "") == ""


def test_it_words_the_basis_in_english_when_english_is_active():
    with translation.override("en"):
        assert basis_text("litigation_defence", "ALL-2014") == DEFENCE_EN


@pytest.mark.parametrize(
    ("rule", "version", "due", "today", "words"),
    [
        # A working-day reply counts working days: Fri 27 Sep 2024 to Wed 16 Oct skips the National Day
        # week and counts the worked Sun 29 Sep and Sat 12 Oct (17 calendar days).
        ("reconsideration_reply", "ARL-2023", dt.date(2024, 10, 16), dt.date(2024, 9, 27), "还剩10个工作日"),
        ("litigation_defence", "ALL-2014", dt.date(2024, 10, 8), dt.date(2024, 9, 27), "还剩11天"),
        ("litigation_defence", "ALL-2014", dt.date(2024, 10, 8), dt.date(2024, 10, 8), "今日到期"),
        ("litigation_defence", "ALL-2014", dt.date(2024, 10, 8), dt.date(2024, 10, 10), "已逾期2天"),
        # Overdue counts calendar days even for a working-day period: Friday's reply is 2 days late on Sunday.
        ("reconsideration_reply", "ARL-2023", dt.date(2024, 10, 18), dt.date(2024, 10, 20), "已逾期2天"),
        ("manual", "", dt.date(2024, 10, 8), dt.date(2024, 10, 5), "还剩3天"),
    ],
)
def test_it_counts_the_days_left_in_the_deadlines_own_unit(rule, version, due, today, words):
    assert days_left_text(rule, version, due, today, CALENDAR) == words


def test_it_counts_the_days_left_in_english():
    with translation.override("en"):
        assert days_left_text("reconsideration_reply", "ARL-2023", dt.date(2024, 10, 16), dt.date(2024, 9, 27),
                              CALENDAR) == "10 working days left"  # fmt: skip
        assert days_left_text("litigation_defence", "ALL-2014", dt.date(2024, 10, 8), dt.date(2024, 10, 7),
                              CALENDAR) == "1 day left"  # fmt: skip


@time_machine.travel(dt.datetime(2025, 4, 25, 9, 0, tzinfo=dt.UTC))
def test_the_case_page_shows_the_basis_in_words_and_the_days_left(client, staff, agency):
    client.force_login(staff)
    case = lawsuit(agency, staff, received_on=dt.date(2025, 4, 16))  # defence due 6 May

    page = client.get(reverse("case-detail-page", args=[case.pk])).content.decode()

    assert DEFENCE_ZH in page and "还剩11天" in page
    assert "ALL 67" not in page


@time_machine.travel(dt.datetime(2025, 4, 25, 9, 0, tzinfo=dt.UTC))
def test_the_ledger_shows_the_next_deadlines_days_left_and_basis(client, staff, agency):
    client.force_login(staff)
    reconsideration(agency, staff, received_on=dt.date(2025, 4, 24))  # reply due 10 working days later

    page = client.get(reverse("case-list")).content.decode()

    assert "还剩" in page and "个工作日" in page
    assert "《行政复议法》第四十八条、第八十八条：" in page


@time_machine.travel(dt.datetime(2025, 4, 25, 9, 0, tzinfo=dt.UTC))
def test_the_api_gives_the_basis_in_words_and_the_days_left(client, staff, agency):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(staff)
    case = lawsuit(agency, staff, received_on=dt.date(2025, 4, 16))

    row = api.get("/api/deadlines/", {"case": case.pk, "rule": "litigation_defence"}).data["results"][0]
    nested = api.get(f"/api/cases/{case.pk}/").data["deadlines"][0]

    assert (row["basis"], row["days_left"], row["days_left_text"], row["rule_version"]) == (
        DEFENCE_ZH, 11, "还剩11天", "ALL-2014",
    )  # fmt: skip
    assert (nested["basis"], nested["days_left"]) == (DEFENCE_ZH, 11)


@time_machine.travel(dt.datetime(2025, 4, 25, 9, 0, tzinfo=dt.UTC))
def test_the_ical_feed_describes_a_deadline_by_its_basis_and_days_left(staff, agency):
    case = lawsuit(agency, staff, received_on=dt.date(2025, 4, 16))
    deadlines = Deadline.objects.filter(case=case, rule="litigation_defence").select_related("case")

    feed = calendar_feed([], deadlines, host="example.org", base_url="https://example.org", name="期限")

    unfolded = feed.replace("\r\n ", "")
    assert "DESCRIPTION:还剩11天(截至 2025-04-25)\\n《行政诉讼法》第六十七条：收到起诉状副本之日起十五日内提交答辩状" in unfolded


def test_a_reminder_names_the_law_article_and_period_in_words(staff, agency):
    case = lawsuit(agency, staff, received_on=dt.date(2025, 4, 16))
    # The sweep reads the deadline as values (cases/services/reminders.py).
    row = Deadline.objects.filter(pk=the(case, "litigation_defence").pk).values(
        "due_on", "title", "rule", "rule_version", "case__number", "case__applicant"
    )[0]

    _title, body = _deadline_words(row, "due_3", dt.date(2025, 4, 30), CALENDAR)

    assert f"依据:{DEFENCE_ZH}" in body
    assert "ALL 67" not in body


def test_a_sweep_words_rows_that_share_a_due_day_and_rule_once_and_each_as_if_alone():
    # The sweep keeps one store per run (issue 17): a due day's words and a rule's basis are
    # worded once, but every row still reads as it would on its own.
    def row(number: str, applicant: str, due: dt.date, rule: str = "litigation_defence") -> dict[str, object]:
        return {"due_on": due, "title": "", "rule": rule, "rule_version": "ALL-2014",
                "case__number": number, "case__applicant": applicant}  # fmt: skip

    today = dt.date(2025, 4, 30)
    rows = [
        (row("(2025)京01行初1号", "张三", dt.date(2025, 4, 25)), "overdue_2025-04-30"),
        (row("(2025)京01行初2号", "李四", dt.date(2025, 4, 25)), "overdue_2025-04-30"),
        (row("(2025)京01行初2号", "李四", dt.date(2025, 4, 25)), "escalation_overdue_2025-04-30"),
        (row("(2025)京01行初3号", "王五", dt.date(2025, 5, 6)), "lead_5wd@2025-05-06"),
        (row("(2025)京01行初4号", "赵六", dt.date(2025, 5, 6), rule="manual"), "lead_5wd@2025-05-06"),
    ]
    memo: dict[object, object] = {}

    shared = [_deadline_words(r, key, today, CALENDAR, memo) for r, key in rows]

    assert shared == [_deadline_words(r, key, today, CALENDAR) for r, key in rows]
    assert [title.split("】")[1].split(" ")[0] for title, _body in shared] == [
        "(2025)京01行初1号", "(2025)京01行初2号", "(2025)京01行初2号", "(2025)京01行初3号", "(2025)京01行初4号",
    ]  # fmt: skip
    assert shared[2][0].startswith("【督办:期限已逾期】") and shared[1][0].startswith("【期限已逾期】")
    assert "依据:" not in shared[4][1]
