"""In Chromium, in Chinese and English: calendar entries wrap with the whole case number and a legend,
a weekend hearing is saved with a warning, and a past year's dashboard titles its live panels as today's."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.conf import settings
from django.utils import timezone

from cases.choices import LeaderRank, Role
from cases.services.calendar import workday_calendar
from tests.browser.conftest import log_in
from tests.factories import AgencyFactory, CaseFactory, HearingFactory, member

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

LONG_NUMBER = "(2026)桂0403行初123456号之一"
ENGLISH = {"zh": False, "en": True}


@pytest.fixture(params=["zh", "en"])
def language(request, page, live_server):
    if ENGLISH[request.param]:
        page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    return request.param


@pytest.fixture
def agency():
    agency = AgencyFactory(code="wuzhou-hrss", name="梧州市人力资源和社会保障局")
    member(agency, Role.STAFF, username="staff", last_name="李", first_name="明")
    member(agency, Role.LEADER, LeaderRank.PRINCIPAL, username="leader", last_name="王", first_name="建国")
    return agency


def _next_rest_saturday(day: dt.date) -> dt.date:
    """The next Saturday that is not an adjusted working day (调休上班)."""
    saturday = day + dt.timedelta(days=(5 - day.weekday()) % 7 or 7)
    while workday_calendar().is_working_day(saturday):
        saturday += dt.timedelta(days=7)
    return saturday


def test_calendar_entries_wrap_with_the_whole_case_number_and_the_marker_is_explained(page, agency, language):
    when = timezone.localtime() + dt.timedelta(days=1)
    HearingFactory(case=CaseFactory(agency=agency, number=LONG_NUMBER), scheduled_at=when)

    log_in(page, "staff", "pw-for-tests")
    page.goto(f"/calendar/?view=week&date={when.date().isoformat()}")

    entry = page.locator('[data-testid="calendar-hearing"]').first
    assert LONG_NUMBER in entry.inner_text()
    assert LONG_NUMBER in entry.get_attribute("title")
    assert entry.evaluate("el => getComputedStyle(el).whiteSpace") == "normal"
    assert entry.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    legend = page.locator('[data-testid="calendar-legend"]').inner_text()
    assert ("No leader arranged to attend yet" if ENGLISH[language] else "尚未安排负责人出庭") in legend


def test_a_hearing_on_a_saturday_is_saved_with_a_warning(page, agency, language):
    case = CaseFactory(agency=agency, received_on=timezone.localdate() - dt.timedelta(days=5))
    saturday = _next_rest_saturday(timezone.localdate())

    log_in(page, "staff", "pw-for-tests")
    page.goto(f"/cases/{case.pk}/hearings/new/")
    page.fill("#id_scheduled_at", f"{saturday.isoformat()}T09:30")
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")

    assert f"/cases/{case.pk}/" in page.url
    warning = page.locator(".message.warning").inner_text()
    assert saturday.isoformat() in warning
    assert ("weekend" if ENGLISH[language] else "周末") in warning


def test_a_past_years_dashboard_titles_the_live_panels_as_todays(page, agency, language, screenshot_dir):
    log_in(page, "leader", "pw-for-tests")
    page.goto("/dashboard/?year=2021")

    title = page.locator('[data-testid="live-overdue"] h2').inner_text()
    assert ("Today: overdue items" if ENGLISH[language] else "今日：逾期事项") in title
    assert timezone.localdate().isoformat() in title
    live = page.locator('[data-testid="live-overdue"]')
    assert live.evaluate("el => getComputedStyle(el).borderLeftWidth") == "4px"
    page.screenshot(path=str(screenshot_dir / f"dashboard-2021-live-{language}.png"), full_page=True)
