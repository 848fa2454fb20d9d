"""Under the Content-Security-Policy the key pages load with no violation and still work."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone

from cases.choices import LeaderRank, Role
from tests.browser.conftest import log_in
from tests.factories import AgencyFactory, CaseFactory, HearingFactory, member

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# Injected by the browser itself, outside the page's policy: it records every violation the page reports.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


def _watched(page) -> list[str]:
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.add_init_script(WATCH_VIOLATIONS)
    return console


def _violations(page, console: list[str]) -> list[str]:
    return console + page.evaluate("window.__cspViolations || []")


def test_login_ledger_case_page_and_calendar_work_with_no_csp_violation(page):
    agency = AgencyFactory(code="wuzhou-hrss", name="梧州市人力资源和社会保障局")
    member(agency, Role.STAFF, username="staff")
    case = CaseFactory(agency=agency, applicant="策略测试申请人", received_on=timezone.localdate() - dt.timedelta(days=5))
    HearingFactory(case=case)
    console = _watched(page)

    response = page.goto("/accounts/login/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    log_in(page, "staff", "pw-for-tests")
    assert page.locator('[data-testid="todo-overdue"]').count() == 1  # staff land on 今日待办
    page.goto("/cases/")

    page.fill("#ledger-filters input[name=q]", "策略测试")
    page.locator("#ledger-filters input[name=q]").press("Enter")
    page.wait_for_load_state("networkidle")
    assert page.locator(f'tr[data-case="{case.pk}"]').count() == 1

    page.goto(f"/cases/{case.pk}/")
    assert "策略测试申请人" in page.content()
    page.goto("/calendar/")
    page.goto("/account/tokens/")
    assert _violations(page, console) == []


def test_the_dashboard_draws_its_charts_and_switches_year_with_no_csp_violation(page):
    agency = AgencyFactory(code="wuzhou-hrss", name="梧州市人力资源和社会保障局")
    member(agency, Role.LEADER, LeaderRank.PRINCIPAL, username="leader")
    CaseFactory(agency=agency, received_on=timezone.localdate() - dt.timedelta(days=5))
    console = _watched(page)

    log_in(page, "leader", "pw-for-tests")
    page.goto("/dashboard/")
    page.wait_for_selector("#chart-trend svg")
    last_year = str(timezone.localdate().year - 1)
    page.select_option("#year", last_year)  # submits the form by itself (data-autosubmit)
    page.wait_for_url(f"**year={last_year}**")
    page.goto(f"/dashboard/report/?year={last_year}")
    assert _violations(page, console) == []
