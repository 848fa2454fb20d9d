"""Hearing services: attendance is recorded per D7 and SPC20 Arts. 2, 8 and 9."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.choices import HearingStatus, LeaderRank, Role
from cases.models import Hearing
from cases.services.hearings import (
    hearing_cancel,
    hearing_postpone,
    hearing_record,
    hearing_reschedule,
    hearing_schedule,
)
from tests.factories import CaseFactory, HearingFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def past_hearing(agency):
    return HearingFactory(case=CaseFactory(agency=agency), scheduled_at=timezone.now() - dt.timedelta(hours=2))


def proof() -> ContentFile:
    return ContentFile(b"%PDF-1.4 leave note", name="proof.pdf")


def test_it_records_a_hearing_the_principal_attended(past_hearing, staff, leader):
    hearing = hearing_record(hearing=past_hearing, by=staff, responsible_person=leader, staff=[staff])
    assert hearing.status == HearingStatus.HELD
    assert hearing.bureau_appeared and hearing.leader_attended
    assert list(hearing.attending_staff.all()) == [staff]


@pytest.mark.parametrize("rank", [LeaderRank.DEPUTY, LeaderRank.IN_CHARGE, LeaderRank.SHARED_CHARGE])
def test_it_counts_every_rank_spc20_article_2_names(past_hearing, staff, agency, rank):
    deputy = member(agency, Role.LEADER, rank)
    hearing = hearing_record(hearing=past_hearing, by=staff, responsible_person=deputy)
    assert hearing.leader_attended


def test_it_refuses_a_leader_of_a_rank_that_does_not_count(past_hearing, staff, agency):
    adviser = member(agency, Role.LEADER, LeaderRank.NON_COUNTING)
    with pytest.raises(ValidationError) as excinfo:
        hearing_record(hearing=past_hearing, by=staff, responsible_person=adviser)
    assert "responsible_person" in excinfo.value.message_dict
    assert Hearing.objects.get(pk=past_hearing.pk).status == HearingStatus.SCHEDULED


def test_it_refuses_a_leader_of_a_lower_level_body(past_hearing, staff, agency):
    sub = type(agency).objects.create(code="sub", name="下级单位", parent=agency)
    sub_leader = member(sub, Role.LEADER, LeaderRank.PRINCIPAL)
    with pytest.raises(ValidationError):
        hearing_record(hearing=past_hearing, by=staff, responsible_person=sub_leader)


def test_it_requires_reason_and_proof_when_no_leader_attended(past_hearing, staff):
    with pytest.raises(ValidationError) as excinfo:
        hearing_record(hearing=past_hearing, by=staff, staff=[staff])
    assert {"absence_reason", "absence_proof"} <= set(excinfo.value.message_dict)
    assert Hearing.objects.get(pk=past_hearing.pk).bureau_appeared is None


def test_it_records_staff_attendance_with_reason_and_proof(past_hearing, staff):
    hearing = hearing_record(
        hearing=past_hearing, by=staff, staff=[staff], absence_reason="official_duty", absence_proof=proof()
    )
    assert hearing.bureau_appeared and not hearing.leader_attended and not hearing.lawyer_only
    assert hearing.absence_proof.name


def test_it_flags_a_hearing_attended_only_by_a_lawyer(past_hearing, staff):
    hearing = hearing_record(
        hearing=past_hearing, by=staff, lawyer_names="某律师事务所 周律师",
        absence_reason="accident", absence_detail="承办人均在外地办案", absence_proof=proof(),
    )
    assert hearing.bureau_appeared is False
    assert hearing.lawyer_only


def test_it_refuses_staff_of_another_agency(past_hearing, staff, other_staff, leader):
    with pytest.raises(ValidationError) as excinfo:
        hearing_record(hearing=past_hearing, by=staff, responsible_person=leader, staff=[other_staff])
    assert "staff" in excinfo.value.message_dict


def test_it_refuses_to_record_a_hearing_that_has_not_happened(agency, staff, leader):
    future = HearingFactory(case=CaseFactory(agency=agency))
    with pytest.raises(ValidationError, match="尚未到来"):
        hearing_record(hearing=future, by=staff, responsible_person=leader)


def test_the_database_refuses_a_held_hearing_without_attendance(agency):
    with pytest.raises(IntegrityError), transaction.atomic():
        HearingFactory(case=CaseFactory(agency=agency), status=HearingStatus.HELD)


def test_it_schedules_reschedules_postpones_and_cancels(agency, staff, leader):
    case = CaseFactory(agency=agency)
    when = timezone.now() + dt.timedelta(days=9)
    hearing = hearing_schedule(case=case, scheduled_at=when, by=staff, expected_leader=leader)
    assert hearing.expected_leader == leader
    hearing = hearing_postpone(hearing=hearing, by=staff, reason="法院通知延期")
    assert hearing.status == HearingStatus.POSTPONED
    hearing = hearing_reschedule(hearing=hearing, by=staff, scheduled_at=when + dt.timedelta(days=7))
    assert hearing.status == HearingStatus.SCHEDULED
    hearing = hearing_cancel(hearing=hearing, by=staff, reason="原告撤诉")
    assert hearing.status == HearingStatus.CANCELLED
    assert hearing.history.count() == 4


def test_it_refuses_to_arrange_a_non_leader_to_attend(agency, staff):
    with pytest.raises(ValidationError):
        hearing_schedule(case=CaseFactory(agency=agency), scheduled_at=timezone.now(), by=staff, expected_leader=staff)


def test_it_refuses_to_cancel_a_hearing_twice(agency, staff):
    hearing = HearingFactory(case=CaseFactory(agency=agency))
    hearing = hearing_cancel(hearing=hearing, by=staff, reason="原告撤诉")
    versions = hearing.history.count()
    with pytest.raises(ValidationError, match="已取消"):
        hearing_cancel(hearing=hearing, by=staff, reason="再次取消")
    assert hearing.history.count() == versions


def test_it_refuses_an_absence_proof_over_the_upload_limit(past_hearing, staff, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    too_big = ContentFile(b"%PDF-1.4" + b"x" * 1024 * 1024, name="proof.pdf")
    with pytest.raises(ValidationError) as excinfo:
        hearing_record(hearing=past_hearing, by=staff, staff=[staff], absence_reason="official_duty",
                       absence_proof=too_big)
    assert excinfo.value.message_dict == {"absence_proof": ["文件不能超过 1 MB。"]}
    assert not Hearing.objects.get(pk=past_hearing.pk).absence_proof


def test_it_refuses_an_absence_proof_that_is_a_program(past_hearing, staff):
    program = ContentFile(b"MZ\x90\x00" + b"\x00" * 60, name="proof.pdf")
    with pytest.raises(ValidationError) as excinfo:
        hearing_record(hearing=past_hearing, by=staff, staff=[staff], absence_reason="official_duty",
                       absence_proof=program)
    assert excinfo.value.message_dict["absence_proof"][0].startswith("不支持该文件类型,只能上传:PDF")
    assert Hearing.objects.get(pk=past_hearing.pk).status == "scheduled"
