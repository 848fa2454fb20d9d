"""In Chromium at 1366x768: sorting then filtering the ledger keeps both; the main pages fit the screen.

Screenshots of what a user first sees (the viewport, not the whole page) are saved
under test-output/screenshots/ for a person to look at.
"""

from __future__ import annotations

import os
import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from cases.choices import Role
from cases.models import Case, Hearing
from tests.browser.conftest import log_in
from tests.factories import AgencyFactory, CaseFactory, ReconsiderationFactory, member

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


def _numbers(page) -> list[str]:
    return page.locator("table.ledger tbody tr[data-case] td:first-child > a").all_inner_texts()


def test_sorting_by_a_column_then_filtering_keeps_the_sort_and_the_filter(page):
    agency = AgencyFactory(code="wuzhou-hrss", name="梧州市人力资源和社会保障局")
    member(agency, Role.STAFF, username="staff")
    for n in (3, 1, 2):
        CaseFactory(agency=agency, number=f"(2021)桂04行初{n}号")
    ReconsiderationFactory(agency=agency, number="梧政复〔2021〕9号")

    log_in(page, "staff", "pw-for-tests")
    page.goto("/cases/")
    with page.expect_response(lambda r: "sort=number" in r.url):
        page.click("thead th a:has-text('案号')")
    expect(page).to_have_url(re.compile(r"[?&]sort=number\b"))  # polled by Playwright, no eval under the CSP
    assert _numbers(page)[0] == "(2021)桂04行初1号"

    with page.expect_response(lambda r: "kind=litigation" in r.url):
        page.select_option("#id_kind", "litigation")
    expect(page).to_have_url(re.compile(r"[?&]kind=litigation\b"))
    query = _query(page.url)
    assert query["sort"] == ["number"] and query["kind"] == ["litigation"]
    assert _numbers(page) == ["(2021)桂04行初1号", "(2021)桂04行初2号", "(2021)桂04行初3号"]

    with page.expect_response(lambda r: "sort=-number" in r.url):
        page.click("thead th a:has-text('案号')")
    expect(page).to_have_url(re.compile(r"[?&]sort=-number\b"))
    assert _query(page.url)["kind"] == ["litigation"]  # the header link kept the filter
    assert _numbers(page) == ["(2021)桂04行初3号", "(2021)桂04行初2号", "(2021)桂04行初1号"]


def _fits(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at 1366x768"


def test_the_main_pages_fit_an_office_screen(page, screenshot_dir):
    from cases.demo import seed_demo

    seed_demo(password="demo-layout")
    case = Case.objects.filter(agency__code="wuzhou-hrss", hearings__isnull=False).order_by("-received_on").first()
    hearing = Hearing.objects.filter(case=case).first()

    log_in(page, "leader", "demo-layout")
    for name, url in [("dashboard", "/dashboard/?year=2021"), ("report", "/dashboard/report/?year=2021"),
                      ("calendar-month", "/calendar/?date=2021-06-01"),
                      ("calendar-week", "/calendar/?view=week&date=2021-06-01")]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        _fits(page)
        page.screenshot(path=str(screenshot_dir / f"1366-{name}.png"))

    page.context.clear_cookies()
    log_in(page, "staff", "demo-layout")
    for name, url in [("ledger", "/cases/?year=2021"), ("case", f"/cases/{case.pk}/"),
                      ("case-form", "/cases/new/"), ("hearing-reschedule", f"/hearings/{hearing.pk}/reschedule/")]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        _fits(page)
        page.screenshot(path=str(screenshot_dir / f"1366-{name}.png"))


def test_the_dashboard_and_the_year_end_report_print_without_the_controls(page, screenshot_dir):
    from cases.demo import seed_demo

    seed_demo(password="demo-print")
    log_in(page, "leader", "demo-print")
    for name, url in [("dashboard", "/dashboard/?year=2021"), ("report", "/dashboard/report/?year=2021")]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        page.emulate_media(media="print")
        assert not page.locator("header.topbar").is_visible()
        assert all(not el.is_visible() for el in page.locator(".no-print, button, form.filters").all())
        assert "25" in page.locator("main").inner_text()
        page.pdf(path=str(screenshot_dir / f"print-{name}.pdf"), format="A4")
        page.emulate_media(media="screen")
    page.goto("/dashboard/?year=2021")
    page.emulate_media(media="print")
    assert page.locator('[data-testid="total-value"]').inner_text() == "25"
    assert page.locator("#chart-trend canvas, #chart-trend svg").count() == 1
