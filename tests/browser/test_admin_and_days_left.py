"""In Chromium, in Chinese and in English: legal staff who open /admin/ get the tracker's own
403 page and every account link in their menu stays in the tracker; the ledger and the case
page show the days left next to each due date, in the deadline's own unit."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.choices import Kind, Role
from cases.services.cases import case_create
from tests.browser.conftest import log_in
from tests.factories import AgencyFactory, CaseFactory, DeadlineFactory, member

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WORDS = {
    "zh-CN": {"forbidden": "无权操作", "password": "修改密码", "overdue": "已逾期2天",
              "working_days_left": r"还剩\d+个工作日"},
    "en-US": {"forbidden": "Not allowed", "password": "Change password", "overdue": "2 days overdue",
              "working_days_left": r"\d+ working days? left"},
}


@pytest.fixture
def browser_page(page_in_each_language):
    page_in_each_language.words = WORDS[page_in_each_language.locale]
    return page_in_each_language


@pytest.fixture
def office():
    agency = AgencyFactory(code="wuzhou-hrss", name="梧州市人力资源和社会保障局")
    return agency, member(agency, Role.STAFF, username="wjg", first_name="建国", last_name="王")


def test_legal_staff_who_open_the_admin_get_the_trackers_own_403_and_their_menu_stays_in_the_tracker(
    browser_page, office
):
    page, words = browser_page, browser_page.words
    log_in(page, "wjg", "pw-for-tests")

    response = page.goto("/admin/")

    assert response is not None and response.status == 403
    expect(page.locator("h1")).to_have_text(words["forbidden"])
    assert page.locator("#site-name, #django-admin-login-form").count() == 0  # not the admin's page
    hrefs = page.locator("header a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs and not any(href.startswith("/admin") for href in hrefs)
    page.get_by_role("link", name=words["password"]).click()
    expect(page).to_have_url(re.compile(r"/accounts/password"))
    assert "/admin" not in page.url


def test_the_ledger_and_the_case_page_show_the_days_left_in_the_deadlines_own_unit(browser_page, office):
    page, words = browser_page, browser_page.words
    agency, wang = office
    today = timezone.localdate()
    late = CaseFactory(agency=agency, number="(2025)桂0403行初8号", received_on=today - dt.timedelta(days=30))
    late.handlers.add(wang)
    DeadlineFactory(case=late, due_on=today - dt.timedelta(days=2))  # overdue: calendar days for every deadline
    reply = case_create(agency=agency, by=wang, handlers=[wang], kind=Kind.RECONSIDERATION,
                        number="梧政复〔2025〕9号", reviewing_body="梧州市人民政府", applicant="陈某",
                        subject="work_injury", received_on=today)  # the reply: 10 working days (ARL 48)
    log_in(page, "wjg", "pw-for-tests")

    page.goto("/cases/")
    expect(page.locator("tr", has_text="(2025)桂0403行初8号")).to_contain_text(words["overdue"])
    expect(page.locator("tr", has_text="梧政复〔2025〕9号")).to_contain_text(re.compile(words["working_days_left"]))

    page.goto(f"/cases/{reply.pk}/")
    expect(page.locator("main")).to_contain_text(re.compile(words["working_days_left"]))
    page.goto(f"/cases/{late.pk}/")
    expect(page.locator("main")).to_contain_text(words["overdue"])
