"""Hearings (schedule, attendance per D7), deadlines (manual, complete, waive) and documents through the pages."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.choices import HearingStatus, Role
from cases.models import Deadline, Document, Hearing
from tests.factories import CaseFactory, DeadlineFactory, HearingFactory, member

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2025, 9, 15, 9, 0, tzinfo=dt.UTC)


@time_machine.travel(TODAY)
def test_it_schedules_a_hearing_with_a_responsible_person(staff_client, agency, leader):
    case = CaseFactory(agency=agency)
    response = staff_client.post(reverse("hearing-create", args=[case.pk]), {
        "kind": "court", "scheduled_at": "2025-10-09T09:30", "place": "第一审判庭", "expected_leader": leader.pk,
    })
    assert response.status_code == 302
    hearing = Hearing.objects.get(case=case)
    assert hearing.expected_leader == leader and hearing.place == "第一审判庭"


@time_machine.travel(TODAY)
def test_it_refuses_a_hearing_without_a_time(staff_client, agency):
    case = CaseFactory(agency=agency)
    response = staff_client.post(reverse("hearing-create", args=[case.pk]), {"kind": "court", "scheduled_at": ""})
    assert "scheduled_at" in response.context["form"].errors
    assert not Hearing.objects.exists()


def _past_hearing(agency) -> Hearing:
    return HearingFactory(case=CaseFactory(agency=agency), scheduled_at=TODAY - dt.timedelta(days=2))


@time_machine.travel(TODAY)
def test_it_records_a_hearing_the_responsible_person_attended(staff_client, agency, leader, staff):
    hearing = _past_hearing(agency)
    response = staff_client.post(reverse("hearing-record-page", args=[hearing.pk]), {
        "responsible_person": leader.pk, "staff": [staff.pk], "lawyer_names": "某律师", "version": hearing.version,
    })
    assert response.status_code == 302
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.HELD and hearing.leader_attended and hearing.bureau_appeared


@time_machine.travel(TODAY)
def test_it_requires_reason_and_proof_when_no_responsible_person_attended(staff_client, agency, staff):
    hearing = _past_hearing(agency)
    response = staff_client.post(reverse("hearing-record-page", args=[hearing.pk]), {"staff": [staff.pk]})
    errors = response.context["form"].errors
    assert "absence_reason" in errors and "absence_proof" in errors
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.SCHEDULED


@time_machine.travel(TODAY)
def test_it_records_an_absence_with_reason_and_proof(staff_client, agency, staff):
    hearing = _past_hearing(agency)
    proof = SimpleUploadedFile("proof.pdf", b"%PDF-1.4 proof", content_type="application/pdf")
    response = staff_client.post(reverse("hearing-record-page", args=[hearing.pk]), {
        "staff": [staff.pk], "absence_reason": "official_duty", "absence_detail": "参加省厅会议", "absence_proof": proof,
    })
    assert response.status_code == 302
    hearing.refresh_from_db()
    assert hearing.absence_reason == "official_duty" and hearing.absence_proof
    download = staff_client.get(reverse("hearing-proof", args=[hearing.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 proof"


@time_machine.travel(TODAY)
def test_it_refuses_a_non_counting_leader_as_the_responsible_person(staff_client, agency, staff):
    hearing = _past_hearing(agency)
    chief = member(agency, Role.LEADER, "non_counting", username="chief-of-staff")
    response = staff_client.post(reverse("hearing-record-page", args=[hearing.pk]), {"responsible_person": chief.pk,
                                                                               "staff": [staff.pk]})
    assert "responsible_person" in response.context["form"].errors
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.SCHEDULED


@time_machine.travel(TODAY)
def test_it_tells_that_a_future_hearing_cannot_be_recorded(staff_client, agency, leader):
    hearing = HearingFactory(case=CaseFactory(agency=agency), scheduled_at=TODAY + dt.timedelta(days=3))
    response = staff_client.post(reverse("hearing-record-page", args=[hearing.pk]), {"responsible_person": leader.pk})
    assert "尚未到来，不能记录为已开庭" in response.content.decode()
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.SCHEDULED


@time_machine.travel(TODAY)
def test_it_adds_a_manual_deadline(staff_client, agency):
    case = CaseFactory(agency=agency)
    response = staff_client.post(reverse("deadline-create", args=[case.pk]), {
        "deadline-title": "补充证据", "deadline-due_on": "2025-09-30", "deadline-is_bureau_duty": "on",
    })
    assert response.status_code == 302
    assert Deadline.objects.get(case=case).title == "补充证据"


def test_it_refuses_a_manual_deadline_without_a_title(staff_client, agency):
    case = CaseFactory(agency=agency)
    response = staff_client.post(reverse("deadline-create", args=[case.pk]), {"deadline-due_on": "2025-09-30"})
    assert response.context["form"].errors["title"]
    assert not Deadline.objects.exists()


@time_machine.travel(TODAY)
def test_it_completes_a_deadline_in_place_with_htmx(staff_client, agency):
    deadline = DeadlineFactory(case=CaseFactory(agency=agency), due_on=dt.date(2025, 9, 20))
    response = staff_client.post(reverse("deadline-complete-page", args=[deadline.pk]), {"note": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.templates[0].name == "cases/_deadlines.html"
    assert "期限已标记为完成" in response.content.decode()  # the message rides along out of band
    deadline.refresh_from_db()
    assert deadline.status == "met"


@time_machine.travel(TODAY)
def test_it_requires_a_reason_to_waive_and_shows_it_in_place(staff_client, agency):
    deadline = DeadlineFactory(case=CaseFactory(agency=agency), due_on=dt.date(2025, 9, 20))
    response = staff_client.post(reverse("deadline-waive-page", args=[deadline.pk]), {"reason": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    deadline.refresh_from_db()
    assert deadline.status == "open"
    staff_client.post(reverse("deadline-waive-page", args=[deadline.pk]), {"reason": "申请人撤回申请"})
    deadline.refresh_from_db()
    assert deadline.status == "waived" and deadline.close_note == "申请人撤回申请"


def test_it_says_a_closed_deadline_cannot_be_completed_again(staff_client, agency):
    deadline = DeadlineFactory(case=CaseFactory(agency=agency), status="met",
                               closed_at=dt.datetime(2025, 9, 1, tzinfo=dt.UTC))
    response = staff_client.post(reverse("deadline-complete-page", args=[deadline.pk]), {"note": ""})
    assert response.status_code == 422
    assert "该期限已办结" in response.content.decode()


def test_it_uploads_downloads_and_archives_a_document(staff_client, agency):
    case = CaseFactory(agency=agency)
    upload = SimpleUploadedFile("complaint.pdf", b"%PDF-1.4 complaint", content_type="application/pdf")
    response = staff_client.post(reverse("document-create", args=[case.pk]),
                                 {"document-title": "起诉状副本", "document-file": upload})
    assert response.status_code == 302
    document = Document.objects.get(case=case)
    assert document.history.first().history_change_reason == "上传文书"
    download = staff_client.get(reverse("document-download", args=[document.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 complaint"
    staff_client.post(reverse("document-archive", args=[document.pk]), {"reason": "重复上传"})
    document.refresh_from_db()
    assert document.archived_at is not None
    assert staff_client.get(reverse("document-download", args=[document.pk])).status_code == 404


def test_it_refuses_an_upload_without_a_file(staff_client, agency):
    case = CaseFactory(agency=agency)
    response = staff_client.post(reverse("document-create", args=[case.pk]), {"document-title": "起诉状副本"})
    assert response.context["form"].errors["file"]
    assert not Document.objects.exists()


def test_it_hides_another_agencys_document(other_client, agency):
    case = CaseFactory(agency=agency)
    document = Document.objects.create(case=case, title="x", file=SimpleUploadedFile("x.txt", b"x"))
    assert other_client.get(reverse("document-download", args=[document.pk])).status_code == 404


@time_machine.travel(TODAY)
def test_it_refuses_an_absence_proof_over_the_upload_limit_on_the_page(staff_client, agency, staff, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    hearing = _past_hearing(agency)
    too_big = SimpleUploadedFile("proof.pdf", b"%PDF" + b"x" * (1024 * 1024), content_type="application/pdf")
    response = staff_client.post(reverse("hearing-record-page", args=[hearing.pk]), {
        "staff": [staff.pk], "absence_reason": "official_duty", "absence_proof": too_big,
    })
    assert response.status_code == 200
    assert "absence_proof" in response.context["form"].errors
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.SCHEDULED and not hearing.absence_proof


def test_it_refuses_a_program_uploaded_as_a_document_with_the_allowed_types(staff_client, agency):
    case = CaseFactory(agency=agency)
    program = SimpleUploadedFile("setup.exe", b"MZ\x90\x00" + b"\x00" * 60, content_type="application/x-msdownload")
    response = staff_client.post(reverse("document-create", args=[case.pk]),
                                 {"document-title": "证据", "document-file": program})
    assert response.context["form"].errors["file"] == [
        "不支持该文件类型,只能上传:PDF、图片(JPG、PNG、GIF、BMP、TIFF、WEBP、HEIC)、"
        "Office 97-2003 / WPS 文档(DOC、XLS、PPT、WPS、ET、DPS)、Word 文档(DOCX)、Excel 表格(XLSX)、"
        "PowerPoint 演示文稿(PPTX)、OpenDocument 文档(ODT、ODS、ODP)、OFD 版式文件。"
    ]
    assert not Document.objects.exists()
