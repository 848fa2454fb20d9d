"""The evidence list: numbered within its groups, reordered and edited with history, filed on time or late."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.choices.defence import DocumentKind, EvidenceGroup
from cases.models import Case, EvidenceItem, EvidenceSubmission
from cases.services.documents import document_set_trigger, document_upload
from cases.services.evidence import (
    evidence_add,
    evidence_remove,
    evidence_reorder,
    evidence_submit,
    evidence_update,
)
from tests.defence.conftest import DEFENCE_DUE, at

pytestmark = pytest.mark.django_db


def _positions(case) -> list[tuple[str, int, str]]:
    return list(EvidenceItem.objects.filter(case=case).listed().values_list("group", "position", "name"))


def _three(case, staff):
    a = evidence_add(case=case, by=staff, name="工伤认定申请表", source="原告提交", purpose="证明申请事实", pages=2)
    b = evidence_add(case=case, by=staff, name="调查笔录", source="我局调查", pages=5, original=True)
    law = evidence_add(case=case, by=staff, name="《工伤保险条例》", group=EvidenceGroup.BASIS)
    return a, b, law


def test_it_numbers_items_from_one_within_each_group(lawsuit, staff):
    _three(lawsuit, staff)

    assert _positions(lawsuit) == [
        ("evidence", 1, "工伤认定申请表"), ("evidence", 2, "调查笔录"), ("basis", 1, "《工伤保险条例》"),
    ]


def test_it_reorders_items_and_keeps_each_move_in_the_history(lawsuit, staff):
    a, b, law = _three(lawsuit, staff)

    evidence_reorder(case=lawsuit, by=staff, order=[law.pk, b.pk, a.pk])

    assert _positions(lawsuit)[:2] == [("evidence", 1, "调查笔录"), ("evidence", 2, "工伤认定申请表")]
    assert a.history.first().position == 2 and a.history.first().history_change_reason == "调整证据顺序"


def test_it_refuses_an_order_that_leaves_out_an_item(lawsuit, staff):
    a, b, _law = _three(lawsuit, staff)

    with pytest.raises(ValidationError) as error:
        evidence_reorder(case=lawsuit, by=staff, order=[b.pk, a.pk])

    assert "order" in error.value.message_dict
    assert _positions(lawsuit)[0] == ("evidence", 1, "工伤认定申请表")


def test_it_moves_an_edited_item_to_the_end_of_its_new_group_and_closes_the_gap(lawsuit, staff):
    a, _b, _law = _three(lawsuit, staff)

    evidence_update(item=a, by=staff, data={"group": EvidenceGroup.PROCEDURE, "name": "送达回证"})

    assert _positions(lawsuit) == [
        ("evidence", 1, "调查笔录"), ("basis", 1, "《工伤保险条例》"), ("procedure", 1, "送达回证"),
    ]


def test_it_renumbers_the_group_after_a_removal_and_keeps_the_removed_item_in_the_history(lawsuit, staff):
    a, _b, _law = _three(lawsuit, staff)

    evidence_remove(item=a, by=staff)

    assert _positions(lawsuit)[0] == ("evidence", 1, "调查笔录")
    deleted = EvidenceItem.history.filter(id=a.pk, history_type="-").get()
    assert deleted.name == "工伤认定申请表" and deleted.history_user == staff


def test_it_links_only_documents_of_the_same_case(lawsuit, staff, agency):
    other = Case.objects.create(agency=agency, kind="reconsideration", number="梧政复〔2021〕1号",
                                reviewing_body="梧州市人民政府", applicant="李四", subject="other",
                                received_on=dt.date(2021, 3, 1))
    with time_machine.travel(at(dt.date(2021, 3, 2)), tick=False):
        theirs = document_upload(case=other, title="申请书", file=SimpleUploadedFile("a.pdf", b"%PDF-1.4"), by=staff)

    with pytest.raises(ValidationError) as error:
        evidence_add(case=lawsuit, by=staff, name="申请书", documents=[theirs.pk])

    assert "documents" in error.value.message_dict and not EvidenceItem.objects.exists()


def test_it_refuses_a_leader_who_only_reads(lawsuit, leader):
    with pytest.raises(PermissionDenied):
        evidence_add(case=lawsuit, by=leader, name="调查笔录")


def test_it_records_the_first_submission_on_time(lawsuit, staff):
    _three(lawsuit, staff)
    with time_machine.travel(at(dt.date(2021, 3, 15)), tick=False):
        submission = evidence_submit(case=lawsuit, by=staff, submitted_on=dt.date(2021, 3, 15))

    assert (submission.supplementary, submission.late, submission.items_count) == (False, False, 3)
    assert submission.due_on == DEFENCE_DUE


def test_it_flags_and_counts_a_supplementary_submission_after_the_defence_deadline(lawsuit, staff):
    _three(lawsuit, staff)
    with time_machine.travel(at(dt.date(2021, 3, 20)), tick=False):
        evidence_submit(case=lawsuit, by=staff, submitted_on=dt.date(2021, 3, 15))
        evidence_add(case=lawsuit, by=staff, name="补充调查笔录")
        late = evidence_submit(case=lawsuit, by=staff, submitted_on=dt.date(2021, 3, 19), note="开庭前补充")

    assert (late.supplementary, late.late, late.items_count) == (True, True, 1)
    flagged = Case.objects.with_late_evidence().get(pk=lawsuit.pk)
    assert (flagged.late_evidence_submissions, flagged.late_evidence_items) == (1, 1)


def test_it_refuses_a_submission_with_nothing_new_to_file(lawsuit, staff):
    _three(lawsuit, staff)
    with time_machine.travel(at(dt.date(2021, 3, 15)), tick=False):
        evidence_submit(case=lawsuit, by=staff, submitted_on=dt.date(2021, 3, 15))
        with pytest.raises(ValidationError):
            evidence_submit(case=lawsuit, by=staff, submitted_on=dt.date(2021, 3, 15))

    assert EvidenceSubmission.objects.count() == 1


def test_it_takes_a_received_response_notice_date_as_the_defence_trigger(lawsuit, staff):
    with time_machine.travel(at(dt.date(2021, 3, 5)), tick=False):
        notice = document_upload(case=lawsuit, title="应诉通知书", kind=DocumentKind.RESPONSE_NOTICE,
                                 dated_on=dt.date(2021, 3, 3), file=SimpleUploadedFile("n.pdf", b"%PDF-1.4"), by=staff)
        assert notice.offered_trigger == dt.date(2021, 3, 3)

        case = document_set_trigger(document=notice, by=staff)

    defence = case.deadlines.get(rule="litigation_defence")
    assert (case.received_on, defence.trigger_on, defence.due_on) == (dt.date(2021, 3, 3),) * 2 + (dt.date(2021, 3, 18),)
    notice.refresh_from_db()
    assert notice.offered_trigger is None


def test_it_offers_no_trigger_for_a_judgment(lawsuit, staff):
    with time_machine.travel(at(dt.date(2021, 3, 5)), tick=False):
        judgment = document_upload(case=lawsuit, title="判决书", kind=DocumentKind.JUDGMENT,
                                   dated_on=dt.date(2021, 3, 3), file=SimpleUploadedFile("j.pdf", b"%PDF-1.4"), by=staff)

        assert judgment.offered_trigger is None
        with pytest.raises(ValidationError):
            document_set_trigger(document=judgment, by=staff)
