"""In Chromium, in Chinese and in English: an upload of a program is refused with the allowed types,
the printed ledger carries its heading (and only on paper), and people are named 王建国."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from cases.choices import Role
from cases.models import Document
from tests.browser.conftest import log_in
from tests.factories import AgencyFactory, CaseFactory, member
from tests.sample_files import WINDOWS_PROGRAM, ofd

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# What each language shows; the browser asks for the language (Accept-Language), as an office's browser does.
WORDS = {
    "zh-CN": {"refused": "不支持该文件类型", "ofd": "OFD 版式文件", "title": "案件台账",
              "agency": "机关:梧州市人力资源和社会保障局", "filters": "筛选条件:类型:行政诉讼", "printed": "打印日期:"},
    "en-US": {"refused": "This file type is not accepted", "ofd": "OFD documents", "title": "Case ledger",
              "agency": "Agency: 梧州市人力资源和社会保障局", "filters": "Filters: Kind: Administrative litigation",
              "printed": "Printed on: "},
}


@pytest.fixture
def browser_page(page_in_each_language):
    page_in_each_language.words = WORDS[page_in_each_language.locale]
    return page_in_each_language


@pytest.fixture
def office():
    agency = AgencyFactory(code="wuzhou-hrss", name="梧州市人力资源和社会保障局")
    wang = member(agency, Role.STAFF, username="wjg", first_name="建国", last_name="王")
    case = CaseFactory(agency=agency, number="(2025)桂0403行初8号", received_on=dt.date(2025, 9, 1))
    case.handlers.add(wang)
    return case


def test_a_program_is_refused_with_the_list_of_allowed_types(browser_page, office, tmp_path):
    page, words = browser_page, browser_page.words
    program = tmp_path / "setup.exe"
    program.write_bytes(WINDOWS_PROGRAM)
    log_in(page, "wjg", "pw-for-tests")

    page.goto(f"/cases/{office.pk}/documents/new/")
    page.fill("#id_document-title", "安装程序")
    page.set_input_files("#id_document-file", str(program))
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")

    error = page.locator(".error, .errorlist, [role=alert]").filter(has_text=words["refused"])
    assert error.count() >= 1
    message = error.first.inner_text()
    assert "PDF" in message and words["ofd"] in message and "DOCX" in message
    assert not Document.objects.exists()


def test_an_ofd_file_is_taken_and_shows_on_the_timeline(browser_page, office, tmp_path):
    page = browser_page
    path = tmp_path / "电子判决书.ofd"
    path.write_bytes(ofd())
    log_in(page, "wjg", "pw-for-tests")

    page.goto(f"/cases/{office.pk}/documents/new/")
    page.fill("#id_document-title", "电子判决书")
    page.set_input_files("#id_document-file", str(path))
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")

    assert page.url.endswith(f"/cases/{office.pk}/")
    assert "电子判决书" in page.locator("[data-testid=timeline]").inner_text()


def test_the_printed_ledger_has_its_heading_and_the_screen_does_not(browser_page, office):
    page, words = browser_page, browser_page.words
    log_in(page, "wjg", "pw-for-tests")
    page.goto("/cases/?kind=litigation")
    heading = page.locator("[data-testid=print-heading]")
    assert not heading.is_visible()

    page.emulate_media(media="print")

    assert heading.is_visible()
    lines = [line.strip() for line in heading.inner_text().splitlines() if line.strip()]
    assert lines[:3] == [words["title"], words["agency"], words["filters"]]
    assert lines[3].startswith(words["printed"])
    assert not page.locator("#ledger-filters").is_visible()
    assert not page.locator("a[download]").is_visible()


def test_people_are_named_family_name_first(browser_page, office):
    page = browser_page
    log_in(page, "wjg", "pw-for-tests")

    page.goto("/cases/")
    assert "王建国" in page.locator("#id_handler").inner_text()
    assert "王建国" in page.locator(f'tr[data-case="{office.pk}"]').inner_text()
    page.goto(f"/cases/{office.pk}/")
    assert "王建国" in page.locator("main").inner_text()
    assert "建国 王" not in page.content()
