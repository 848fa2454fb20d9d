"""Grounds of a correction or loss (D12): asked for on concluding, listed as missing on old cases."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases.choices import Status
from cases.models import Case, CaseGround
from cases.services.cases import case_conclude, case_reopen
from cases.services.grounds import case_grounds_record
from tests.factories import CaseFactory, ReconsiderationFactory

pytestmark = pytest.mark.django_db

ON = dt.date(2021, 6, 1)


def grounds_of(case):
    return list(CaseGround.objects.filter(case=case).values_list("ground", flat=True))


def test_it_refuses_to_conclude_a_lawsuit_as_lost_without_grounds_and_saves_nothing(agency, staff):
    case = CaseFactory(agency=agency)
    with pytest.raises(ValidationError) as excinfo:
        case_conclude(case=case, outcome="revoked", concluded_on=ON, by=staff)
    assert "grounds" in excinfo.value.message_dict
    case.refresh_from_db()
    assert case.status == Status.PENDING and case.version == 1


def test_it_refuses_to_conclude_a_reconsideration_as_corrected_without_grounds(agency, staff):
    case = ReconsiderationFactory(agency=agency)
    with pytest.raises(ValidationError) as excinfo:
        case_conclude(case=case, outcome="confirmed_illegal", concluded_on=ON, by=staff, grounds=[])
    assert "grounds" in excinfo.value.message_dict


def test_it_saves_the_grounds_in_d12_order_and_names_them_in_the_history(agency, staff):
    case = CaseFactory(agency=agency)
    case_conclude(case=case, outcome="revoked", concluded_on=ON, by=staff,
                  grounds=["illegal_procedure", "insufficient_evidence", "illegal_procedure"])
    assert grounds_of(case) == ["insufficient_evidence", "illegal_procedure"]
    latest = Case.history.filter(id=case.pk).first()
    assert "主要证据不足、违反法定程序" in latest.history_change_reason
    assert CaseGround.history.filter(case_id=case.pk).count() == 2


def test_it_refuses_an_unknown_ground_code_naming_the_valid_ones(agency, staff):
    case = CaseFactory(agency=agency)
    with pytest.raises(ValidationError) as excinfo:
        case_conclude(case=case, outcome="revoked", concluded_on=ON, by=staff, grounds=["bad_mood"])
    assert "insufficient_evidence" in excinfo.value.message_dict["grounds"][0]
    assert not CaseGround.objects.exists()


def test_it_refuses_grounds_on_an_outcome_that_is_not_a_correction_or_loss(agency, staff):
    case = CaseFactory(agency=agency)
    with pytest.raises(ValidationError) as excinfo:
        case_conclude(case=case, outcome="claims_dismissed", concluded_on=ON, by=staff, grounds=["wrong_law"])
    assert "grounds" in excinfo.value.message_dict


def test_a_reconcluded_case_keeps_only_its_new_grounds(agency, staff):
    case = CaseFactory(agency=agency)
    case_conclude(case=case, outcome="revoked", concluded_on=ON, by=staff, grounds=["wrong_law"])
    case_reopen(case=case, by=staff, reason="结果录错")
    case_conclude(case=case, outcome="claims_dismissed", concluded_on=ON, by=staff)
    assert grounds_of(case) == []


def test_it_lists_old_corrected_cases_without_grounds_as_grounds_missing(agency, staff):
    old = CaseFactory(agency=agency, status=Status.CONCLUDED, outcome="revoked", concluded_on=ON)
    CaseFactory(agency=agency, status=Status.CONCLUDED, outcome="claims_dismissed", concluded_on=ON)
    filled = CaseFactory(agency=agency)
    case_conclude(case=filled, outcome="changed", concluded_on=ON, by=staff, grounds=["manifestly_improper"])
    assert list(Case.objects.grounds_missing()) == [old]


def test_it_fills_in_the_grounds_of_an_old_case_and_it_leaves_the_missing_list(agency, staff):
    old = CaseFactory(agency=agency, status=Status.CONCLUDED, outcome="revoked", concluded_on=ON)
    case_grounds_record(case=old, grounds=["abuse_of_power"], by=staff)
    assert grounds_of(old) == ["abuse_of_power"]
    assert not Case.objects.grounds_missing().exists()
    assert "滥用职权" in Case.history.filter(id=old.pk).first().history_change_reason


def test_it_refuses_grounds_for_a_case_that_was_not_lost(agency, staff):
    case = CaseFactory(agency=agency, status=Status.CONCLUDED, outcome="claims_dismissed", concluded_on=ON)
    with pytest.raises(ValidationError):
        case_grounds_record(case=case, grounds=["wrong_law"], by=staff)


def test_a_leader_cannot_record_grounds(agency, leader):
    old = CaseFactory(agency=agency, status=Status.CONCLUDED, outcome="revoked", concluded_on=ON)
    with pytest.raises(PermissionDenied):
        case_grounds_record(case=old, grounds=["wrong_law"], by=leader)
    assert not CaseGround.objects.exists()


def test_an_imported_old_loss_may_come_without_grounds_and_is_then_listed_as_missing(agency, staff):
    case = CaseFactory(agency=agency)
    case_conclude(case=case, outcome="revoked", concluded_on=ON, by=staff, grounds=None)  # the ledger import's call
    assert list(Case.objects.grounds_missing()) == [case]
