"""The 导入台账 page: upload, preview with counts and errors, confirm; the template; who may use it."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from cases.choices import LedgerImportStatus
from cases.models import Case, LedgerImport
from cases.services.ledger_jobs import ledger_progress
from tests.ledger_books import book, lawsuit, reconsideration

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2025-06-02 10:00 +0800", tick=False):
        yield


def upload(content: bytes, name: str = "台账.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_staff_upload_see_the_counts_confirm_and_find_the_cases_in_the_ledger(staff_client):
    response = staff_client.post(reverse("ledger-import"), {"file": upload(book([lawsuit(), reconsideration()]))})
    job = LedgerImport.objects.get()
    assert response.url == reverse("ledger-import-detail", args=[job.pk])

    preview = staff_client.get(response.url).content.decode()
    assert 'data-testid="count-created">2<' in preview and "确认导入" in preview
    assert Case.objects.count() == 0

    staff_client.post(reverse("ledger-import-confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == LedgerImportStatus.IMPORTED
    ledger = staff_client.get(reverse("case-list")).content.decode()
    assert "(2021)桂0403行初12号" in ledger and "梧政复〔2021〕5号" in ledger


def test_the_preview_lists_every_error_and_offers_no_confirmation(staff_client):
    staff_client.post(reverse("ledger-import"), {"file": upload(book([lawsuit(收到日期="昨天")]))})
    job = LedgerImport.objects.get()

    page = staff_client.get(reverse("ledger-import-detail", args=[job.pk])).content.decode()

    assert "第2行 [收到日期] 日期“昨天”无法识别" in page
    assert "确认导入" not in page
    assert staff_client.post(reverse("ledger-import-confirm", args=[job.pk])).status_code == 302
    assert Case.objects.count() == 0


def test_a_file_that_is_not_a_workbook_is_refused_on_the_form(staff_client):
    response = staff_client.post(reverse("ledger-import"), {"file": upload(b"%PDF-1.4 not a ledger", "台账.xlsx")})

    assert "不支持该文件类型,只能上传:Excel 表格(XLSX)。" in response.content.decode()
    assert not LedgerImport.objects.exists()


def test_a_leader_cannot_open_the_import_page(leader_client):
    assert leader_client.get(reverse("ledger-import")).status_code == 403
    assert leader_client.post(reverse("ledger-import"), {"file": upload(book([lawsuit()]))}).status_code == 403


def test_another_agencys_import_is_not_found(staff_client, other_staff, other_agency):
    job = LedgerImport.objects.create(agency=other_agency, created_by=other_staff, filename="x.xlsx", file="x.xlsx")

    assert staff_client.get(reverse("ledger-import-detail", args=[job.pk])).status_code == 404
    assert staff_client.post(reverse("ledger-import-confirm", args=[job.pk])).status_code == 404


def test_a_large_file_is_checked_and_imported_by_the_task(staff_client, settings, django_capture_on_commit_callbacks):
    settings.LEDGER_IMPORT_INLINE_BYTES = 0
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("ledger-import"), {"file": upload(book([lawsuit()]))})
    job = LedgerImport.objects.get()
    assert job.status == LedgerImportStatus.CHECKED and job.check_result["created"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("ledger-import-confirm", args=[job.pk]))

    job.refresh_from_db()
    assert (job.status, job.result["created"], Case.objects.count()) == (LedgerImportStatus.IMPORTED, 1, 1)


def test_the_page_shows_the_progress_a_running_task_reports(staff_client, staff, agency):
    job = LedgerImport.objects.create(agency=agency, created_by=staff, filename="big.xlsx", file="big.xlsx",
                                      status=LedgerImportStatus.IMPORTING)
    caches["progress"].set(f"ledger-import:{job.pk}", (1200, 10000))

    page = staff_client.get(reverse("ledger-import-detail", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()

    assert ledger_progress(job) == (1200, 10000)
    assert "已处理 1200 / 10000 行" in page and 'hx-trigger="every 1s"' in page


def test_the_template_lists_every_allowed_label(staff_client):
    response = staff_client.get(reverse("ledger-import-template"))

    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["案件", "开庭", "可选值"]
    allowed = {row[1]: row[3] for row in workbook["可选值"].iter_rows(min_row=2, values_only=True) if row[0] == "案件"}
    assert "判决驳回诉讼请求" in allowed["结果"] and "发回重审" in allowed["结果"]
    assert allowed["类型"] == "行政复议、行政诉讼"


def test_the_ledger_offers_the_import_to_staff_only(staff_client, client, leader):
    assert "导入台账" in staff_client.get(reverse("case-list")).content.decode()
    client.force_login(leader)
    assert "导入台账" not in client.get(reverse("case-list")).content.decode()
