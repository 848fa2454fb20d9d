"""The 导入台账 page in a real browser: upload, preview, confirm, the cases in the ledger."""

from __future__ import annotations

import os

import pytest

from cases.choices import Role
from cases.models import Case
from tests.browser.conftest import log_in
from tests.factories import AgencyFactory, member
from tests.ledger_books import book, lawsuit, reconsideration

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_a_staff_member_uploads_a_ledger_previews_it_confirms_and_finds_the_cases(page, screenshot_dir, tmp_path):
    agency = AgencyFactory(code="wuzhou-hrss", name="梧州市人力资源和社会保障局")
    member(agency, Role.STAFF, username="staff", last_name="李", first_name="明")
    ledger = tmp_path / "2021年台账.xlsx"
    rows = [lawsuit(承办人="李明", 结果="判决驳回诉讼请求", 结案日期="2021-08-01"), reconsideration(承办人="李明")]
    ledger.write_bytes(book(rows, title="梧州市人社局2021年行政复议和应诉案件台账"))

    log_in(page, "staff", "pw-for-tests")
    page.goto("/cases/")
    page.click("text=导入台账")
    page.set_input_files("#id_file", str(ledger))
    page.click("text=上传并检查")
    page.wait_for_selector("[data-testid=confirm-import]")
    assert page.inner_text("[data-testid=count-created]") == "2"
    assert page.inner_text("[data-testid=count-errors]") == "0"
    assert Case.objects.count() == 0
    page.screenshot(path=str(screenshot_dir / "ledger-import-preview.png"), full_page=True)

    page.click("[data-testid=confirm-import]")
    page.wait_for_selector("text=导入完成")
    page.click("text=查看案件台账")
    page.wait_for_load_state("networkidle")

    assert page.locator("text=(2021)桂0403行初12号").count() >= 1
    assert page.locator("text=梧政复〔2021〕5号").count() >= 1
    assert Case.objects.filter(agency=agency).count() == 2
