"""The case's timeline and history show its files and attendance records, not only edits of the case row."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from cases.choices import LeaderRank, Role
from cases.services.documents import document_archive, document_upload
from cases.services.hearings import hearing_record, hearing_schedule
from cases.stored_text import stored_text
from tests.factories import CaseFactory, member

pytestmark = pytest.mark.django_db


BEIJING = ZoneInfo("Asia/Shanghai")
MONDAY = dt.datetime(2025, 9, 15, 9, 0, tzinfo=BEIJING)


@pytest.fixture
def wang(agency):
    return member(agency, Role.STAFF, username="wjg", first_name="建国", last_name="王")


@pytest.fixture
def case(agency, wang):
    with time_machine.travel(MONDAY - dt.timedelta(days=30), tick=False):
        case = CaseFactory(agency=agency, number="(2025)桂0403行初8号")
        case.handlers.add(wang)
    return case


def page(client, user, case, language="zh-hans"):
    client.force_login(user)
    return client.get(reverse("case-detail-page", args=[case.pk]), HTTP_ACCEPT_LANGUAGE=language).context


def test_the_timeline_shows_a_document_uploaded_and_then_archived(client, case, wang):
    with time_machine.travel(MONDAY, tick=False):
        document = document_upload(case=case, by=wang, title="判决书", file=SimpleUploadedFile("判决书.pdf", b"%PDF-1.4"))
    with time_machine.travel(MONDAY + dt.timedelta(days=1), tick=False):
        document_archive(document=document, by=wang, reason="重复上传")

    context = page(client, wang, case)

    titles = [(e.kind, e.title, e.detail) for e in context["timeline"] if e.kind == "document"]
    assert titles == [("document", "文书已上传:判决书", "王建国"), ("document", "文书已归档:判决书", "王建国")]
    assert [(h.who, h.what, h.reason) for h in context["history"][:2]] == [
        ("王建国", "文书已归档", "判决书"), ("王建国", "文书已上传", "判决书"),
    ]


def test_the_timeline_shows_when_and_by_whom_a_hearings_attendance_was_recorded(client, agency, case, wang):
    li = member(agency, Role.LEADER, LeaderRank.PRINCIPAL, username="lm", first_name="明", last_name="李")
    with time_machine.travel(MONDAY, tick=False):
        hearing = hearing_schedule(case=case, by=wang, scheduled_at=MONDAY + dt.timedelta(days=1))
    with time_machine.travel(MONDAY + dt.timedelta(days=2), tick=False):
        hearing_record(hearing=hearing, by=wang, responsible_person=li, staff=[wang])

    context = page(client, wang, case)

    recorded = [e for e in context["timeline"] if e.title.startswith("出庭情况已记录")]
    assert [(e.title, e.detail) for e in recorded] == [("出庭情况已记录:庭审 2025-09-16 · 负责人出庭", "王建国")]
    assert recorded[0].when == MONDAY + dt.timedelta(days=2)


def test_it_shows_a_hearing_recorded_without_the_bureau_as_such(client, case, wang):
    with time_machine.travel(MONDAY, tick=False):
        hearing = hearing_schedule(case=case, by=wang, scheduled_at=MONDAY + dt.timedelta(days=1))
    with time_machine.travel(MONDAY + dt.timedelta(days=2), tick=False):
        hearing_record(hearing=hearing, by=wang, absence_reason="official_duty", absence_detail="出差",
                       allow_missing_proof=True)

    history = page(client, wang, case)["history"]

    assert history[0].reason.endswith("我局无人出庭")


def test_the_english_page_shows_the_records_in_english(client, case, wang):
    with time_machine.travel(MONDAY, tick=False):
        document_upload(case=case, by=wang, title="判决书", file=SimpleUploadedFile("判决书.pdf", b"%PDF-1.4"))

    context = page(client, wang, case, language="en")

    assert "Document uploaded: 判决书" in [e.title for e in context["timeline"]]


@pytest.mark.parametrize(("stored", "english"), [
    ("登记案件", "Log a case"),
    ("结案:维持", "Concluded: Upheld"),
    ("归档:重复登记", "Archived: 重复登记"),
    ("王建国手写的原因", "王建国手写的原因"),
    ("答复检察建议 梧检建〔2025〕3号", "Reply to Procuratorial recommendation 梧检建〔2025〕3号"),
    ("结案:撤销;理由:主要证据不足、超越职权", "Concluded: Revoked; grounds: Insufficient main evidence, Beyond authority"),
])
def test_it_shows_a_stored_history_note_or_deadline_title_through_the_catalogue(stored, english):
    with translation.override("en"):
        assert stored_text(stored) == english
