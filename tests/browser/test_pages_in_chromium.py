"""Real-browser flows: a staff member works a case end to end; a leader reads the 2021 figures."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from django.utils import timezone

from cases.choices import LeaderRank, Role
from cases.models import Agency, Case, Deadline
from cases.querysets.statistics import yearly_statistics
from cases.services.calendar import workday_calendar
from casetracker.periods import urgency_of
from tests.browser.conftest import log_in
from tests.factories import AgencyFactory, member

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

URGENCY_CLASS = {
    "overdue": "urgency-overdue", "due_3_working_days": "urgency-due3", "due_7_days": "urgency-due7",
    "later": "urgency-later",
}


def test_a_staff_member_logs_a_case_records_a_hearing_and_concludes_it(page, screenshot_dir):
    agency = AgencyFactory(code="wuzhou-hrss", name="梧州市人力资源和社会保障局")
    member(agency, Role.STAFF, username="staff", last_name="李", first_name="明")
    member(agency, Role.LEADER, LeaderRank.PRINCIPAL, username="leader", last_name="王", first_name="建国")
    today = timezone.localdate()
    received = today - dt.timedelta(days=12)

    log_in(page, "staff", "pw-for-tests")
    assert page.locator('[data-testid="todo-overdue"]').count() == 1  # staff land on 今日待办
    page.goto("/cases/")
    page.click("text=登记案件")
    page.select_option("#id_kind", "litigation")
    page.select_option("#id_litigation_instance", "first")
    page.fill("#id_number", f"({today.year})桂0403行初88号")
    page.fill("#id_reviewing_body", "梧州市万秀区人民法院")
    page.fill("#id_applicant", "浏览器测试原告")
    page.select_option("#id_subject", "work_injury")
    page.fill("#id_received_on", received.isoformat())
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")

    case = Case.objects.get(applicant="浏览器测试原告")
    assert page.url.endswith(f"/cases/{case.pk}/")
    defence = Deadline.objects.get(case=case, rule="litigation_defence")
    level = urgency_of(defence.due_on, today, workday_calendar()).value

    page.goto("/cases/")
    cell = page.locator(f'tr[data-case="{case.pk}"] [data-testid="next-deadline"]')
    assert cell.get_attribute("data-urgency") == level
    assert URGENCY_CLASS[level] in cell.get_attribute("class")
    colour = cell.evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")

    page.goto(f"/cases/{case.pk}/")
    page.click("text=安排开庭/听证")
    held_at = timezone.localtime() - dt.timedelta(hours=2)
    page.fill("#id_scheduled_at", held_at.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_place", "第一审判庭")
    page.select_option("#id_expected_leader", label="王建国")
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")
    page.click("text=记录出庭情况")
    page.select_option("#id_responsible_person", label="王建国")
    page.check("label:has-text('李明') input")
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")
    assert "负责人出庭" in page.locator('[data-testid="hearings"]').inner_text()

    page.click("a.button.primary:has-text('结案')")
    page.select_option("#id_outcome", "claims_dismissed")
    page.fill("#id_concluded_on", today.isoformat())
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")
    assert page.locator('[data-testid="case-status"]').inner_text() == "已结"
    assert "判决驳回诉讼请求" in page.locator('[data-testid="case-outcome"]').inner_text()
    case.refresh_from_db()
    assert case.status == "concluded" and case.hearings.get().leader_attended
    page.screenshot(path=str(screenshot_dir / "case-page.png"), full_page=True)


def test_a_leader_sees_the_2021_figures_of_yearly_stats_on_the_dashboard(page, screenshot_dir):
    from cases.demo import seed_demo

    seed_demo(password="demo-2021-browser")
    bureau = Agency.objects.get(code="wuzhou-hrss")
    expected = yearly_statistics(year=2021, agency=bureau)
    assert (expected["total"], expected["buckets"]["upheld"], expected["buckets"]["withdrawn"],
            expected["buckets"]["pending"]) == (25, 19, 2, 4)

    log_in(page, "leader", "demo-2021-browser")
    assert "/dashboard/" in page.url
    page.goto("/dashboard/?year=2021")
    page.wait_for_load_state("networkidle")
    assert page.locator('[data-testid="total-value"]').inner_text() == str(expected["total"])
    for key in ("upheld", "withdrawn", "pending"):
        value = page.locator(f'[data-testid="bucket-{key}"] .value').inner_text()
        assert value == str(expected["buckets"][key])
    assert re.sub(r"\s", "", page.locator('[data-testid="equation"]').inner_text()).startswith("=维持19+撤回2")
    court = expected["rates"]["court_appearance"]
    assert page.locator('[data-testid="rate-court_appearance-percent"]').inner_text() == "100%"
    fraction = page.locator('[data-testid="rate-court_appearance-fraction"]').inner_text()
    assert fraction == f"{court['numerator']} / {court['denominator']}"
    assert page.locator("#chart-subject svg").count() == 1  # ECharts drew from our own static file
    assert "我局共处理被行政复议案件和行政应诉案件25件" in page.locator('[data-testid="year-text"]').inner_text()
    page.screenshot(path=str(screenshot_dir / "dashboard-2021.png"), full_page=True)

    page.goto("/cases/?year=2021")
    page.wait_for_load_state("networkidle")
    assert page.locator('[data-testid="ledger-count"]').inner_text() == "共 25 件"
    page.screenshot(path=str(screenshot_dir / "ledger-2021.png"), full_page=True)
