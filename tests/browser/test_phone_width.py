"""On a 390x844 phone, as legal staff open the tracker from a WeCom / DingTalk link: no page scrolls sideways.

The header folds into a menu that opens and closes by click; wide tables scroll inside their own box;
screenshots of the home, case page and dashboard at desktop and phone width are saved under
test-output/screenshots/ for a person to look at.
"""

from __future__ import annotations

import os

import pytest

from cases.models import Case, Hearing
from tests.browser.conftest import log_in

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
PASSWORD = "demo-phone"

# The elements that stick out past the right edge of the screen, to say in a failure what to fix.
SIDEWAYS = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1 && !el.closest(".table-wrap")) {
      out.push(el.tagName.toLowerCase() + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "") + " right=" + Math.round(box.right));
    }
  }
  return out.slice(0, 8);
}"""


@pytest.fixture
def phone(chromium, live_server, settings):
    """A 390x844 phone (the width of most phones' browsers in WeCom), asking for Chinese."""
    settings.DEBUG = False
    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN",
                                   base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def _in_english(page, live_server) -> None:
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])


def _assert_fits(page, language: str) -> None:
    page.wait_for_load_state("networkidle")
    scroll_width, inner_width, client_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth, document.documentElement.clientWidth]")
    assert inner_width == client_width == PHONE["width"], f"{page.url} zoomed out to {inner_width}px"
    assert scroll_width <= inner_width, (
        f"{page.url} ({language}) scrolls sideways by {scroll_width - inner_width}px: {page.evaluate(SIDEWAYS)}")


def _pages(case: Case, hearing: Hearing) -> list[str]:
    return ["/cases/", "/cases/?year=2021", f"/cases/{case.pk}/", "/calendar/", "/calendar/?view=week",
            "/dashboard/", "/dashboard/?year=2021", f"/hearings/{hearing.pk}/record/", "/cases/new/", "/"]


def _demo() -> tuple[Case, Hearing]:
    from cases.demo import seed_demo

    seed_demo(password=PASSWORD)
    case = (Case.objects.filter(agency__code="wuzhou-hrss", status="pending", hearings__isnull=False)
            .order_by("-received_on").first())
    hearing = Hearing.objects.filter(case__agency__code="wuzhou-hrss", status="held").first()
    return case, hearing


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_no_page_a_staff_member_opens_on_a_phone_scrolls_sideways(phone, live_server, language):
    case, hearing = _demo()
    if language == "en":
        _in_english(phone, live_server)

    log_in(phone, "staff", PASSWORD)
    for url in _pages(case, hearing):
        phone.goto(url)
        _assert_fits(phone, language)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_dashboard_a_leader_opens_on_a_phone_stacks_its_cards_and_charts(phone, live_server, language):
    _demo()
    if language == "en":
        _in_english(phone, live_server)

    log_in(phone, "leader", PASSWORD)
    phone.goto("/dashboard/?year=2021")
    _assert_fits(phone, language)
    charts = phone.locator(".chart")
    main_width = phone.locator("main").evaluate("el => el.clientWidth")
    for index in range(charts.count()):
        chart = charts.nth(index)
        drawn = chart.locator("svg").first.evaluate("el => el.getBoundingClientRect().width")
        assert drawn == pytest.approx(chart.evaluate("el => el.clientWidth"), abs=2)  # drawn to its box
        assert drawn > main_width * 0.8  # one chart a row, not three squeezed side by side


def test_a_wide_table_scrolls_inside_its_own_box_on_a_phone(phone):
    case, _ = _demo()

    log_in(phone, "staff", PASSWORD)
    phone.goto(f"/cases/{case.pk}/")
    box = phone.locator(".table-wrap:has([data-testid='hearings'])")
    assert box.evaluate("el => getComputedStyle(el).overflowX") == "auto"
    assert box.evaluate("el => el.getBoundingClientRect().right") <= PHONE["width"]


def test_the_header_folds_into_a_menu_that_opens_and_closes_by_click(phone):
    _demo()

    log_in(phone, "staff", PASSWORD)
    ledger_link = phone.locator(".mainnav a[href='/cases/']")
    toggle = phone.locator("button.menu-toggle")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert not ledger_link.is_visible()

    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert ledger_link.is_visible() and phone.locator("header button:has-text('退出')").is_visible()
    ledger_link.click()
    phone.wait_for_url("**/cases/")

    toggle.click()
    toggle.click()
    assert not ledger_link.is_visible() and toggle.get_attribute("aria-expanded") == "false"


def test_on_a_desktop_the_menu_stays_open_without_a_toggle(page):
    _demo()

    page.set_viewport_size(DESKTOP)
    log_in(page, "staff", PASSWORD)
    assert not page.locator("button.menu-toggle").is_visible()
    assert page.locator(".mainnav a[href='/calendar/']").is_visible()


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_home_case_page_and_dashboard_are_photographed_for_review(chromium, live_server, settings,
                                                                      screenshot_dir, width):
    case, _ = _demo()
    settings.DEBUG = False
    viewport = PHONE if width == "phone" else DESKTOP
    context = chromium.new_context(viewport=viewport, is_mobile=width == "phone", locale="zh-CN",
                                   base_url=live_server.url)
    page = context.new_page()
    try:
        log_in(page, "staff", PASSWORD)
        for name, url in [("home", "/"), ("case", f"/cases/{case.pk}/")]:
            page.goto(url)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(screenshot_dir / f"{width}-{name}.png"), full_page=True)
        page.context.clear_cookies()
        log_in(page, "leader", PASSWORD)
        page.goto("/dashboard/")
        page.wait_for_selector("#chart-trend svg")
        page.screenshot(path=str(screenshot_dir / f"{width}-dashboard.png"), full_page=True)
    finally:
        context.close()


def test_the_ledger_prints_its_table_without_buttons_forms_or_navigation(page, screenshot_dir):
    _demo()

    log_in(page, "staff", PASSWORD)
    page.goto("/cases/?year=2021")
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="print")
    assert page.locator("table.ledger tbody tr[data-case]").first.is_visible()
    assert all(not el.is_visible() for el in page.locator("header, nav, form, button, a.button").all())
    assert page.locator("table.ledger thead").evaluate("el => getComputedStyle(el).display") == "table-header-group"
    page.pdf(path=str(screenshot_dir / "print-ledger.pdf"), format="A4", landscape=True)
