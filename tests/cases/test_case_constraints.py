"""Every database invariant of a case rejects bad input with a clear message and saves nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cases.choices import Kind, Status
from cases.models import Case
from tests.factories import CaseFactory, ReconsiderationFactory

pytestmark = pytest.mark.django_db


def messages_of(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def assert_rejected(case: Case, expected: str) -> None:
    before = Case.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        case.full_clean()
    assert expected in messages_of(excinfo.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        case.save()
    assert Case.objects.count() == before


def test_it_rejects_a_concluded_case_without_an_outcome():
    case = CaseFactory.build(agency=CaseFactory().agency, status=Status.CONCLUDED, concluded_on=dt.date(2021, 5, 1))
    assert_rejected(case, "已结案件必须有结果和结案日期")


def test_it_rejects_a_pending_case_that_carries_an_outcome():
    case = CaseFactory.build(agency=CaseFactory().agency, outcome="upheld")
    assert_rejected(case, "已结案件必须有结果和结案日期")


def test_it_rejects_a_conclusion_before_receipt():
    case = CaseFactory.build(
        agency=CaseFactory().agency, status=Status.CONCLUDED, outcome="claims_dismissed",
        received_on=dt.date(2021, 5, 1), concluded_on=dt.date(2021, 4, 30),
    )
    assert_rejected(case, "结案日期不能早于收到日期")


def test_it_rejects_a_lawsuit_without_an_instance():
    case = CaseFactory.build(agency=CaseFactory().agency, litigation_instance="")
    assert_rejected(case, "行政诉讼案件必须填写审级")


def test_it_rejects_a_reconsideration_with_an_instance():
    case = ReconsiderationFactory.build(agency=CaseFactory().agency, litigation_instance="first")
    assert_rejected(case, "行政复议案件不填审级")


def test_it_rejects_a_litigation_outcome_on_a_reconsideration():
    case = ReconsiderationFactory.build(
        agency=CaseFactory().agency, status=Status.CONCLUDED, outcome="claims_dismissed",
        concluded_on=dt.date(2021, 5, 1),
    )
    assert_rejected(case, "该结果不适用于此类案件")


def test_it_rejects_a_reconsideration_outcome_on_a_lawsuit():
    case = CaseFactory.build(
        agency=CaseFactory().agency, kind=Kind.LITIGATION, status=Status.CONCLUDED,
        outcome="request_rejected", concluded_on=dt.date(2021, 5, 1),
    )
    assert_rejected(case, "该结果不适用于此类案件")


def test_it_rejects_act_changed_on_anything_but_a_withdrawal():
    case = CaseFactory.build(
        agency=CaseFactory().agency, status=Status.CONCLUDED, outcome="claims_dismissed",
        concluded_on=dt.date(2021, 5, 1), act_changed=True,
    )
    assert_rejected(case, "仅适用于撤回或撤诉")


def test_it_rejects_a_suspension_date_on_a_case_that_is_not_suspended():
    case = CaseFactory.build(agency=CaseFactory().agency, suspended_on=dt.date(2021, 5, 1))
    assert_rejected(case, "只有中止的案件才有中止日期")


def test_it_rejects_the_same_number_twice_at_one_reviewing_body():
    first = CaseFactory()
    twin = CaseFactory.build(agency=first.agency, number=first.number, reviewing_body=first.reviewing_body)
    assert_rejected(twin, "同一审理机关下已有相同案号的案件")


def test_it_accepts_the_same_number_at_another_reviewing_body():
    first = CaseFactory()
    other = CaseFactory.build(agency=first.agency, number=first.number, reviewing_body="梧州市长洲区人民法院")
    other.full_clean()
    other.save()
    assert Case.objects.filter(number=first.number).count() == 2
