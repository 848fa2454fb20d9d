"""今日待办 in Chromium: staff land on the demo's live work, in Chinese and in English, on a desk and a phone."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.utils import timezone

from cases.models import Deadline, Hearing
from tests.browser.conftest import log_in

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo-home"


@pytest.fixture
def demo_live():
    from cases.demo import seed_demo

    seed_demo(password=PASSWORD)
    year = timezone.localdate().year
    overdue = Deadline.objects.overdue().get(case__number=f"({year})桂0405行初902号")
    arranged = Hearing.objects.get(case__number=f"({year})桂0403行初901号")
    return overdue, arranged


def _english(page, live_server) -> None:
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])


def _main_fits(page) -> None:
    overflow = page.evaluate("(() => { const m = document.querySelector('main'); return m.scrollWidth - m.clientWidth; })()")
    assert overflow <= 0, f"{page.url}: the page body scrolls sideways by {overflow}px"


def test_staff_land_on_their_todays_work_and_go_from_a_row_to_the_case(page, demo_live, screenshot_dir):
    overdue, arranged = demo_live

    log_in(page, "staff", PASSWORD)

    assert page.url.endswith("/")
    assert page.locator("h1").inner_text().startswith("今日待办")
    assert overdue.case.number in page.locator('[data-testid="todo-overdue"]').inner_text()
    hearing = page.locator(f'[data-testid="todo-hearings"] tr[data-hearing="{arranged.pk}"]')
    assert "王建国" in hearing.inner_text()

    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=str(screenshot_dir / "home-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    _main_fits(page)
    page.screenshot(path=str(screenshot_dir / "home-390.png"), full_page=True)

    page.locator(f'[data-testid="todo-overdue"] tr[data-deadline="{overdue.pk}"] a').first.click()
    page.wait_for_load_state("networkidle")
    assert f"/cases/{overdue.case_id}/" in page.url


def test_staff_read_their_todays_work_in_english(page, live_server, demo_live, screenshot_dir):
    overdue, arranged = demo_live
    _english(page, live_server)

    log_in(page, "staff", PASSWORD)

    assert page.locator("h1").inner_text().startswith("Today's work")
    assert "Overdue" in page.locator('[data-testid="todo-overdue"] h2').inner_text()
    assert "Hearings in the next 7 days" in page.locator('[data-testid="todo-hearings"] h2').inner_text()
    assert "days overdue" in page.locator(f'tr[data-deadline="{overdue.pk}"]').inner_text()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=str(screenshot_dir / "home-1280-en.png"), full_page=True)


def test_a_leader_logs_in_to_the_dashboard_not_to_todays_work(page, demo_live):
    log_in(page, "leader", PASSWORD)

    assert page.url.endswith("/dashboard/")
