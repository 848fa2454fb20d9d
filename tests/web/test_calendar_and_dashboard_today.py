"""Calendar entries show whole case numbers with a legend; rest-day hearings are warned; a past year's
dashboard titles its live panels as today's and never lists a concluded case's hearing as coming."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from cases.choices import Status
from cases.models import Hearing
from tests.factories import CaseFactory, HearingFactory

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2025, 9, 15, 9, 0, tzinfo=dt.UTC)
TZ = dt.timezone(dt.timedelta(hours=8))
LONG_NUMBER = "(2025)桂0403行初123456号"


@time_machine.travel(TODAY)
def test_calendar_entries_show_the_whole_case_number_and_carry_it_in_their_title(staff_client, agency):
    HearingFactory(case=CaseFactory(agency=agency, number=LONG_NUMBER), scheduled_at=dt.datetime(2025, 9, 23, 9, 30, tzinfo=TZ))

    html = staff_client.get(reverse("calendar"), {"date": "2025-09-01"}).content.decode()

    entry = html[html.index('data-testid="calendar-hearing"'):]
    entry = entry[:entry.index("</a>")]
    assert f'title="{LONG_NUMBER}' in entry
    assert LONG_NUMBER in entry.split(">", 1)[1]


@time_machine.travel(TODAY)
def test_the_calendar_explains_the_no_leader_marker_in_a_legend(staff_client, agency):
    HearingFactory(case=CaseFactory(agency=agency), scheduled_at=dt.datetime(2025, 9, 23, 9, 30, tzinfo=TZ))

    html = staff_client.get(reverse("calendar"), {"date": "2025-09-01"}).content.decode()

    assert 'data-testid="no-leader-marker"' in html
    legend = html[html.index('data-testid="calendar-legend"'):]
    assert "尚未安排负责人出庭" in legend[:legend.index("</p>")]


@time_machine.travel(TODAY)
def test_scheduling_a_hearing_on_a_sunday_is_allowed_with_a_warning_on_the_case_page(staff_client, agency):
    case = CaseFactory(agency=agency)
    response = staff_client.post(reverse("hearing-create", args=[case.pk]), {
        "kind": "court", "scheduled_at": "2025-09-21T09:30", "place": "第一审判庭",
    }, follow=True)

    assert Hearing.objects.filter(case=case).count() == 1
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert warnings and "2025-09-21 是周末" in warnings[0]


@time_machine.travel(TODAY)
def test_rescheduling_a_hearing_onto_a_holiday_is_warned_too(staff_client, agency):
    hearing = HearingFactory(case=CaseFactory(agency=agency), scheduled_at=TODAY + dt.timedelta(days=3))
    response = staff_client.post(reverse("hearing-reschedule-page", args=[hearing.pk]), {
        "scheduled_at": "2025-10-03T09:30", "place": hearing.place, "version": hearing.version,
    }, follow=True)

    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert warnings and "2025-10-03 是法定节假日" in warnings[0]


@time_machine.travel(TODAY)
def test_a_hearing_on_a_working_day_gives_no_warning(staff_client, agency):
    case = CaseFactory(agency=agency)
    response = staff_client.post(reverse("hearing-create", args=[case.pk]), {
        "kind": "court", "scheduled_at": "2025-09-22T09:30", "place": "第一审判庭",
    }, follow=True)

    assert not [m for m in response.context["messages"] if m.level_tag == "warning"]


@time_machine.travel(TODAY)
def test_a_past_years_dashboard_titles_the_live_panels_as_todays(leader_client):
    html = leader_client.get(reverse("dashboard"), {"year": 2021}).content.decode()

    for panel, title in [("live-overdue", "今日：逾期事项"), ("live-hearings", "今日：未来两周开庭")]:
        section = html[html.index(f'data-testid="{panel}"'):]
        assert title in section[:section.index("</h2>")]
        assert "2025-09-15" in section[:section.index("</h2>")]
    assert 'data-testid="live-note"' in html


@time_machine.travel(TODAY)
def test_this_years_dashboard_keeps_the_plain_titles(leader_client):
    html = leader_client.get(reverse("dashboard")).content.decode()

    assert "今日：逾期事项" not in html and 'data-testid="live-note"' not in html
    assert 'data-testid="live-overdue"' in html


@time_machine.travel(TODAY)
def test_the_dashboard_does_not_list_a_concluded_cases_hearing_as_coming(leader_client, agency):
    concluded = CaseFactory(agency=agency, status=Status.CONCLUDED, outcome="claims_dismissed",
                            concluded_on=dt.date(2025, 9, 10))
    HearingFactory(case=concluded, scheduled_at=TODAY + dt.timedelta(days=3))
    coming = HearingFactory(case=CaseFactory(agency=agency), scheduled_at=TODAY + dt.timedelta(days=3))

    hearings = leader_client.get(reverse("dashboard")).context["hearings"]

    assert hearings == [coming]
