"""Case services: every state change validates, checks the writer, and leaves history."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from cases.choices import Status
from cases.errors import StaleVersion
from cases.models import Case
from cases.services.cases import (
    case_archive,
    case_conclude,
    case_create,
    case_reopen,
    case_resume,
    case_suspend,
    case_unarchive,
    case_update,
)
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

FIELDS = dict(
    kind="litigation", litigation_instance="first", procedure="ordinary", number="(2021)桂0403行初12号",
    reviewing_body="梧州市万秀区人民法院", applicant="李某芳", subject="work_injury",
    received_on=dt.date(2021, 4, 6), accepted_on=dt.date(2021, 3, 31),
)


def test_it_creates_a_pending_case_handled_by_its_author(agency, staff):
    case = case_create(agency=agency, by=staff, **FIELDS)
    assert case.status == Status.PENDING
    assert list(case.handlers.all()) == [staff]
    assert case.number_year == 2021
    assert case.history.first().history_user == staff


def test_it_refuses_a_case_for_another_agency(other_agency, staff):
    with pytest.raises(PermissionDenied):
        case_create(agency=other_agency, by=staff, **FIELDS)
    assert not Case.objects.exists()


def test_it_refuses_a_leader_writing_a_case(agency, leader):
    with pytest.raises(PermissionDenied):
        case_create(agency=agency, by=leader, **FIELDS)


def test_it_rejects_a_bad_case_and_saves_nothing(agency, staff):
    with pytest.raises(ValidationError) as excinfo:
        case_create(agency=agency, by=staff, **{**FIELDS, "litigation_instance": ""})
    assert "litigation_instance" in excinfo.value.message_dict or "__all__" in excinfo.value.message_dict
    assert not Case.objects.exists()


def test_it_rejects_fields_a_user_may_not_set(agency, staff):
    with pytest.raises(ValidationError):
        case_create(agency=agency, by=staff, status="concluded", **FIELDS)


def test_it_rejects_a_chain_that_loops(agency, staff):
    first = case_create(agency=agency, by=staff, **FIELDS)
    second = case_create(agency=agency, by=staff, **{**FIELDS, "number": "(2021)桂04行终5号", "litigation_instance": "second", "previous": first})
    with pytest.raises(ValidationError, match="循环"):
        case_update(case=first, by=staff, data={"previous": second})


def test_it_updates_facts_and_bumps_the_version(agency, staff):
    case = case_create(agency=agency, by=staff, **FIELDS)
    updated = case_update(case=case, by=staff, data={"applicant": "李某"}, expected_version=case.version)
    assert updated.applicant == "李某"
    assert updated.version == case.version + 1
    assert updated.history.first().history_change_reason


def test_it_refuses_a_stale_update_and_keeps_the_record(agency, staff):
    case = case_create(agency=agency, by=staff, **FIELDS)
    case_update(case=case, by=staff, data={"applicant": "第一次"}, expected_version=1)
    with pytest.raises(StaleVersion):
        case_update(case=case, by=staff, data={"applicant": "第二次"}, expected_version=1)
    assert Case.objects.get(pk=case.pk).applicant == "第一次"


@time_machine.travel("2021-08-01 10:00 +0800")
def test_it_concludes_a_case_with_an_outcome_that_fits_its_kind(agency, staff):
    case = case_create(agency=agency, by=staff, **FIELDS)
    case = case_conclude(case=case, outcome="claims_dismissed", concluded_on=dt.date(2021, 7, 16), by=staff)
    assert (case.status, case.outcome, case.concluded_on) == (Status.CONCLUDED, "claims_dismissed", dt.date(2021, 7, 16))


@time_machine.travel("2021-08-01 10:00 +0800")
def test_it_refuses_an_outcome_of_the_other_kind(agency, staff):
    case = case_create(agency=agency, by=staff, **FIELDS)
    with pytest.raises(ValidationError) as excinfo:
        case_conclude(case=case, outcome="request_rejected", concluded_on=dt.date(2021, 7, 16), by=staff)
    assert "outcome" in excinfo.value.message_dict
    assert Case.objects.get(pk=case.pk).status == Status.PENDING


@time_machine.travel("2021-08-01 10:00 +0800")
def test_it_refuses_a_first_instance_reversed(agency, staff):
    case = case_create(agency=agency, by=staff, **FIELDS)
    with pytest.raises(ValidationError):
        case_conclude(case=case, outcome="reversed", concluded_on=dt.date(2021, 7, 16), by=staff)


@time_machine.travel("2021-08-01 10:00 +0800")
def test_it_refuses_a_conclusion_in_the_future_or_before_receipt(agency, staff):
    case = case_create(agency=agency, by=staff, **FIELDS)
    with pytest.raises(ValidationError):
        case_conclude(case=case, outcome="claims_dismissed", concluded_on=dt.date(2021, 8, 2), by=staff)
    with pytest.raises(ValidationError):
        case_conclude(case=case, outcome="claims_dismissed", concluded_on=dt.date(2021, 4, 1), by=staff)
    assert Case.objects.get(pk=case.pk).status == Status.PENDING


@time_machine.travel("2021-08-01 10:00 +0800")
def test_it_records_a_withdrawal_after_the_bureau_changed_its_act(agency, staff):
    case = case_create(agency=agency, by=staff, **FIELDS)
    case = case_conclude(case=case, outcome="withdrawn", concluded_on=dt.date(2021, 7, 1), act_changed=True, by=staff)
    assert case.act_changed is True


@time_machine.travel("2021-08-01 10:00 +0800")
def test_it_refuses_act_changed_on_a_judgment(agency, staff):
    case = case_create(agency=agency, by=staff, **FIELDS)
    with pytest.raises(ValidationError, match="撤回"):
        case_conclude(case=case, outcome="claims_dismissed", concluded_on=dt.date(2021, 7, 1), act_changed=True, by=staff)


@time_machine.travel("2021-08-01 10:00 +0800")
def test_it_refuses_to_conclude_twice(agency, staff):
    case = case_create(agency=agency, by=staff, **FIELDS)
    case_conclude(case=case, outcome="claims_dismissed", concluded_on=dt.date(2021, 7, 16), by=staff)
    with pytest.raises(ValidationError, match="重新打开"):
        case_conclude(case=case, outcome="revoked", concluded_on=dt.date(2021, 7, 16), by=staff)


@time_machine.travel("2021-08-01 10:00 +0800")
def test_it_suspends_and_resumes_a_case(agency, staff):
    case = case_create(agency=agency, by=staff, **FIELDS)
    case = case_suspend(case=case, by=staff, reason="等待相关案件审理结果", suspended_on=dt.date(2021, 6, 1))
    assert (case.status, case.suspended_on) == (Status.SUSPENDED, dt.date(2021, 6, 1))
    case = case_resume(case=case, by=staff, reason="相关案件已审结")
    assert (case.status, case.suspended_on) == (Status.PENDING, None)
    reasons = [h.history_change_reason for h in case.history.all()]
    assert any("等待相关案件审理结果" in (r or "") for r in reasons)


def test_it_requires_a_reason_to_suspend(agency, staff):
    case = case_create(agency=agency, by=staff, **FIELDS)
    with pytest.raises(ValidationError):
        case_suspend(case=case, by=staff, reason="  ")
    assert Case.objects.get(pk=case.pk).status == Status.PENDING


def test_it_refuses_to_resume_a_pending_case(agency, staff):
    case = case_create(agency=agency, by=staff, **FIELDS)
    with pytest.raises(ValidationError):
        case_resume(case=case, by=staff)


@time_machine.travel("2021-08-01 10:00 +0800")
def test_it_reopens_a_concluded_case_with_a_reason_and_keeps_the_old_outcome_in_history(agency, staff):
    case = case_create(agency=agency, by=staff, **FIELDS)
    case_conclude(case=case, outcome="claims_dismissed", concluded_on=dt.date(2021, 7, 16), by=staff)
    with pytest.raises(ValidationError):
        case_reopen(case=case, by=staff, reason="")
    case = case_reopen(case=case, by=staff, reason="结果录入错误")
    assert (case.status, case.outcome, case.concluded_on) == (Status.PENDING, "", None)
    assert "claims_dismissed" in [h.outcome for h in case.history.all()]


def test_it_archives_instead_of_deleting(agency, staff):
    case = case_create(agency=agency, by=staff, **FIELDS)
    case = case_archive(case=case, by=staff, reason="重复登记")
    assert case.archived_at is not None
    assert Case.objects.filter(pk=case.pk).exists()
    assert not Case.objects.active().filter(pk=case.pk).exists()
    case = case_unarchive(case=case, by=staff, reason="误操作")
    assert case.archived_at is None


def test_it_computes_the_chain_of_linked_proceedings(agency):
    recon = CaseFactory(agency=agency, kind="reconsideration", litigation_instance="", number="梧政复〔2021〕5号")
    first = CaseFactory(agency=agency, previous=recon, received_on=dt.date(2021, 4, 6))
    second = CaseFactory(agency=agency, previous=first, litigation_instance="second", received_on=dt.date(2021, 8, 16))
    assert second.chain() == [recon, first, second]
    assert recon.chain() == [recon, first, second]
