"""In Chromium: a staff member builds an evidence list, generates the 答辩状 and the 证据目录 and downloads both."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone

from cases.choices import Role
from cases.services.cases import case_create
from tests.browser.conftest import log_in
from tests.defence.docx_checks import all_text, assert_gongwen_page, open_docx, table_rows
from tests.factories import AgencyFactory, member

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _add(page, name: str, group: str, source: str, pages: str, original: bool) -> None:
    details = page.locator('[data-testid="evidence-add"]')
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    page.fill("#id_evidence-name", name)
    page.select_option("#id_evidence-group", group)
    page.fill("#id_evidence-source", source)
    page.fill("#id_evidence-pages", pages)
    if original:
        page.check("#id_evidence-original")
    details.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def test_a_staff_member_builds_the_evidence_list_and_downloads_the_defence_and_the_list(page, screenshot_dir):
    agency = AgencyFactory(code="wuzhou-hrss", name="梧州市人力资源和社会保障局")
    staff = member(agency, Role.STAFF, username="staff", last_name="李", first_name="明")
    case = case_create(agency=agency, by=staff, kind="litigation", litigation_instance="first",
                       number="(2021)桂0403行初77号", reviewing_body="梧州市万秀区人民法院", applicant="浏览器原告",
                       subject="work_injury", received_on=timezone.localdate() - dt.timedelta(days=3),
                       third_parties="梧州某某有限公司")

    log_in(page, "staff", "pw-for-tests")
    page.goto(f"/cases/{case.pk}/")
    _add(page, "工伤认定申请表", "evidence", "原告提交", "2", False)
    _add(page, "调查笔录", "evidence", "我局调查", "5", True)
    _add(page, "《工伤保险条例》", "basis", "国务院", "12", False)
    page.locator('tr:has-text("调查笔录") button[title="上移"]').click()
    page.wait_for_load_state("networkidle")

    rows = page.locator('[data-testid="evidence"] table[data-group="evidence"] tbody tr')
    assert rows.nth(0).inner_text().startswith("1\t调查笔录")
    page.screenshot(path=str(screenshot_dir / "defence-evidence-list.png"), full_page=True)

    downloads = {}
    for code in ("defence", "evidence_list"):
        with page.expect_download() as info:
            page.click(f'[data-testid="filings"] a[data-filing="{code}"]')
        downloads[code] = open_docx(open(info.value.path(), "rb").read())

    for doc in downloads.values():
        assert_gongwen_page(doc)
        assert "(2021)桂0403行初77号" in all_text(doc) and "第三人:梧州某某有限公司" in all_text(doc)
        assert ["1", "调查笔录", "我局调查", "", "5", "原件"] in table_rows(doc)
        assert ["1", "《工伤保险条例》", "国务院", "", "12", "复印件"] in table_rows(doc)
    assert "一、答辩请求" in all_text(downloads["defence"])
