"""The hearings calendar and the personal iCalendar feed (RFC 5545)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from cases.models import CalendarFeedToken
from cases.web.ics import escape_text, fold
from tests.factories import CaseFactory, DeadlineFactory, HearingFactory

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2025, 9, 15, 9, 0, tzinfo=dt.UTC)
TZ = dt.timezone(dt.timedelta(hours=8))


@time_machine.travel(TODAY)
def test_it_shows_the_months_hearings_and_bureau_deadlines(staff_client, agency, other_agency):
    case = CaseFactory(agency=agency, number="(2025)桂04行初9号")
    HearingFactory(case=case, scheduled_at=dt.datetime(2025, 9, 23, 9, 30, tzinfo=TZ))
    DeadlineFactory(case=case, due_on=dt.date(2025, 9, 26), title="提交答辩状")
    DeadlineFactory(case=case, due_on=dt.date(2025, 9, 27), title="法院审限", is_bureau_duty=False)
    HearingFactory(case=CaseFactory(agency=other_agency), scheduled_at=dt.datetime(2025, 9, 24, 9, 0, tzinfo=TZ))
    response = staff_client.get(reverse("calendar"), {"date": "2025-09-01"})
    days = {d.day: d for week in response.context["weeks"] for d in week}
    assert [h.case.number for h in days[dt.date(2025, 9, 23)].hearings] == ["(2025)桂04行初9号"]
    assert [d.title for d in days[dt.date(2025, 9, 26)].deadlines] == ["提交答辩状"]
    assert not days[dt.date(2025, 9, 24)].hearings and not days[dt.date(2025, 9, 27)].deadlines
    assert days[dt.date(2025, 10, 1)].rest_day  # National Day
    assert days[dt.date(2025, 9, 28)].rest_day is False  # an adjusted working Sunday (调休上班)


@time_machine.travel(TODAY)
def test_it_shows_a_week(staff_client, agency):
    response = staff_client.get(reverse("calendar"), {"view": "week", "date": "2025-09-17"})
    weeks = response.context["weeks"]
    assert len(weeks) == 1 and weeks[0][0].day == dt.date(2025, 9, 15)


@time_machine.travel(TODAY)
def test_it_falls_back_to_this_month_on_a_bad_date(staff_client):
    response = staff_client.get(reverse("calendar"), {"date": "2025-13-40"})
    assert response.status_code == 200
    assert response.context["first"] == dt.date(2025, 9, 1)
    assert "无效" in response.context["problem"]


def test_it_escapes_text_and_folds_long_lines_by_octets():
    assert escape_text("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"
    folded = fold("SUMMARY:" + "庭审" * 40)
    lines = folded.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    assert all(line.startswith(" ") for line in lines[1:])
    assert "".join(line[1:] if i else line for i, line in enumerate(lines)) == "SUMMARY:" + "庭审" * 40


@time_machine.travel(TODAY)
def test_it_serves_the_feed_to_a_valid_token_without_login(client, agency, staff):
    case = CaseFactory(agency=agency, number="(2025)桂04行初9号", applicant="张三,李四")
    HearingFactory(case=case, scheduled_at=dt.datetime(2025, 9, 23, 9, 30, tzinfo=TZ), place="第一审判庭;二楼")
    DeadlineFactory(case=case, due_on=dt.date(2025, 9, 26), title="提交答辩状")
    token = CalendarFeedToken.objects.create(user=staff)
    response = client.get(reverse("calendar-feed", args=[token.token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")
    unfolded = body.replace("\r\n ", "")
    assert "DTSTART:20250923T013000Z" in unfolded
    assert "LOCATION:第一审判庭\\;二楼" in unfolded
    assert "张三\\,李四" in unfolded
    assert "DTSTART;VALUE=DATE:20250926" in unfolded and "DTEND;VALUE=DATE:20250927" in unfolded


def test_it_refuses_an_unknown_token(client):
    assert client.get(reverse("calendar-feed", args=["not-a-token"])).status_code == 404


@time_machine.travel(TODAY)
def test_it_keeps_another_agencys_hearings_out_of_the_feed(client, other_agency, staff):
    HearingFactory(case=CaseFactory(agency=other_agency, number="别局案号"), scheduled_at=TODAY + dt.timedelta(days=3))
    token = CalendarFeedToken.objects.create(user=staff)
    assert "别局案号" not in client.get(reverse("calendar-feed", args=[token.token])).content.decode()


def test_it_regenerates_the_token_and_the_old_link_stops_working(staff_client, staff):
    staff_client.get(reverse("calendar"))
    old = CalendarFeedToken.objects.get(user=staff).token
    assert staff_client.post(reverse("calendar-feed-regenerate")).status_code == 302
    new = CalendarFeedToken.objects.get(user=staff).token
    assert new != old
    staff_client.logout()
    assert staff_client.get(reverse("calendar-feed", args=[old])).status_code == 404
    assert staff_client.get(reverse("calendar-feed", args=[new])).status_code == 200
