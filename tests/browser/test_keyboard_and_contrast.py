"""With the keyboard alone (Tab, Enter, Escape) a staff member filters the ledger, opens a case and adds a deadline;
the focused control always shows a ring; every urgency colour reads at 4.5:1 or better against its background."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.choices import Role
from cases.models import Case, Deadline
from cases.services.deadlines import deadlines_sync
from cases.users import SYSTEM
from tests.browser.conftest import log_in
from tests.factories import AgencyFactory, CaseFactory, member

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WCAG_AA = 4.5

# The text colour of an element and the first opaque background behind it, as [r, g, b] lists.
COLOURS = """el => {
  const rgb = value => value.match(/[\\d.]+/g).map(Number);
  let back = el;
  while (back && rgb(getComputedStyle(back).backgroundColor)[3] === 0) { back = back.parentElement; }
  return [rgb(getComputedStyle(el).color).slice(0, 3), rgb(getComputedStyle(back || document.body).backgroundColor).slice(0, 3)];
}"""

FOCUS_RING = """() => {
  const style = getComputedStyle(document.activeElement);
  return [style.outlineStyle, parseFloat(style.outlineWidth), style.boxShadow];
}"""


def _luminance(rgb: list[float]) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: list[float], background: list[float]) -> float:
    """WCAG 2.x contrast ratio, (L1 + 0.05) / (L2 + 0.05) with L1 the lighter relative luminance."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_contrast_ratio_is_that_of_the_wcag_definition():
    assert contrast_ratio([0, 0, 0], [255, 255, 255]) == pytest.approx(21)
    assert contrast_ratio([118, 118, 118], [255, 255, 255]) == pytest.approx(4.54, abs=0.01)


def _tab_to(page, selector: str, *, key: str = "Tab", limit: int = 80) -> None:
    """Press Tab until the focused element matches selector, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reachable with {key} in {limit} presses on {page.url}")


def _date_digits(page, day: dt.date) -> str:
    """The digits a person types into this browser's date field, in the order it shows its parts.

    Chinese Windows shows yyyy/mm/dd, a Linux Chromium mm/dd/yyyy whatever the page's language:
    try each order once on a blank page of the same browser.
    """
    probe = page.context.new_page()
    try:
        for order in ("%Y%m%d", "%m%d%Y", "%d%m%Y"):
            probe.set_content('<input type="date" id="probe">')
            probe.focus("#probe")
            probe.keyboard.type(day.strftime(order))
            if probe.input_value("#probe") == day.isoformat():
                return day.strftime(order)
    finally:
        probe.close()
    raise AssertionError("this browser's date field takes none of the usual orders")


def _assert_focus_is_visible(page) -> None:
    style, width, shadow = page.evaluate(FOCUS_RING)
    assert (style != "none" and width >= 2) or shadow != "none", f"no focus ring on {page.evaluate('document.activeElement.outerHTML')[:120]}"


def _staff_with_cases():
    agency = AgencyFactory(code="wuzhou-hrss", name="梧州市人力资源和社会保障局")
    staff = member(agency, Role.STAFF, username="staff", last_name="李", first_name="明")
    today = timezone.localdate()
    # Received 40, 12, 9 and 2 days ago: a lawsuit's 15-day defence deadline is overdue, near, a week off, later.
    for days, applicant in [(40, "逾期申请人"), (12, "近期申请人"), (9, "一周内申请人"), (2, "键盘测试原告")]:
        case = CaseFactory(agency=agency, applicant=applicant, received_on=today - dt.timedelta(days=days))
        case.handlers.set([staff])
        deadlines_sync(case=case, by=SYSTEM)
    return staff


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_keyboard_user_filters_the_ledger_and_opens_a_case(page, live_server, language):
    _staff_with_cases()
    wanted = Case.objects.get(applicant="键盘测试原告")
    if language == "en":
        page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    log_in(page, "staff", "pw-for-tests")
    page.goto("/cases/")
    page.locator("body").focus()

    _tab_to(page, "#ledger-filters input[name=q]")
    _assert_focus_is_visible(page)
    page.keyboard.type("键盘测试")
    _tab_to(page, "#ledger-filters button[type=submit]")
    _assert_focus_is_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url("**q=**")
    expect(page.locator("tr[data-case]")).to_have_count(1)  # polled by Playwright, no eval under the CSP

    _tab_to(page, f"tr[data-case='{wanted.pk}'] td:first-child > a")
    _assert_focus_is_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/cases/{wanted.pk}/")
    assert page.locator('[data-testid="applicant"]').inner_text() == "键盘测试原告"


def test_a_keyboard_user_adds_a_deadline_on_the_case_page(page):
    _staff_with_cases()
    case = Case.objects.get(applicant="键盘测试原告")
    due = timezone.localdate() + dt.timedelta(days=20)
    digits = _date_digits(page, due)
    log_in(page, "staff", "pw-for-tests")
    page.goto(f"/cases/{case.pk}/")
    page.locator("body").focus()

    _tab_to(page, "#deadlines-card > details > summary")
    _assert_focus_is_visible(page)
    page.keyboard.press("Enter")  # opens the <details> holding the form
    _tab_to(page, "#deadlines-card input[name$=title]")
    page.keyboard.type("补充答辩材料")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name").endswith("due_on")
    page.keyboard.type(digits)
    _tab_to(page, "#deadlines-card form button[type=submit]")
    _assert_focus_is_visible(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    added = Deadline.objects.get(case=case, title="补充答辩材料")
    assert added.due_on == due
    assert "补充答辩材料" in page.locator('[data-testid="deadlines"]').inner_text()


def test_the_phone_menu_opens_with_enter_and_folds_with_escape(page):
    _staff_with_cases()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "staff", "pw-for-tests")
    page.locator("body").focus()

    _tab_to(page, "button.menu-toggle")
    _assert_focus_is_visible(page)
    page.keyboard.press("Enter")
    _tab_to(page, ".mainnav a[href='/calendar/']")
    _assert_focus_is_visible(page)
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.matches('button.menu-toggle')")
    assert page.locator("button.menu-toggle").get_attribute("aria-expanded") == "false"
    assert not page.locator(".mainnav").is_visible()


def _assert_readable(page, selector: str) -> int:
    badges = page.locator(selector)
    for index in range(badges.count()):
        badge = badges.nth(index)
        foreground, background = badge.evaluate(COLOURS)
        ratio = contrast_ratio(foreground, background)
        assert ratio >= WCAG_AA, f"{badge.inner_text()!r} ({selector}) reads at {ratio:.2f}:1, {foreground} on {background}"
    return badges.count()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_urgency_badge_reads_at_4_5_to_1_against_its_background(page, live_server, language):
    _staff_with_cases()
    if language == "en":
        page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    log_in(page, "staff", "pw-for-tests")

    page.goto("/cases/")
    legend = _assert_readable(page, ".legend .chip")
    assert legend == 4  # overdue, within 3 working days, within 7 days, later
    assert _assert_readable(page, "[data-testid='next-deadline']") == 4
    page.goto(f"/cases/{Case.objects.get(applicant='逾期申请人').pk}/")
    assert _assert_readable(page, "[data-testid='deadline-due']") >= 1
    page.goto("/dashboard/")
    assert _assert_readable(page, "[data-testid='urgency'] li a .label, [data-testid='urgency'] li a .count") >= 8


def test_the_colours_that_mark_urgency_in_text_also_read_on_white(page):
    _staff_with_cases()
    log_in(page, "staff", "pw-for-tests")
    page.goto("/cases/")
    for level in ("overdue", "due3", "due7", "later"):
        colour = page.evaluate(f"getComputedStyle(document.documentElement).getPropertyValue('--{level}').trim()")
        rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
        assert contrast_ratio(rgb, [255, 255, 255]) >= WCAG_AA, f"--{level} {colour} on white"
