"""Corrective actions (整改措施, D12): each a reminded deadline of the bureau until done."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from cases.choices import DeadlineStatus, Status
from cases.models import CorrectiveAction, Deadline
from cases.services.corrective_actions import (
    corrective_action_archive,
    corrective_action_create,
    corrective_action_done,
    corrective_action_update,
)
from cases.services.followups import follow_up_create
from tests.factories import CaseFactory, ReconsiderationFactory

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2025, 6, 30, 9, tzinfo=TZ), tick=False):
        yield


@pytest.fixture
def lost_case(agency):
    return CaseFactory(agency=agency, status=Status.CONCLUDED, outcome="revoked", concluded_on=dt.date(2025, 3, 1))


def add(case, staff, **fields):
    values = dict(description="修订工伤认定调查程序", responsible_unit="工伤保险科", due_on=dt.date(2025, 8, 29))
    return corrective_action_create(case=case, by=staff, **{**values, **fields})


def test_an_action_on_a_case_is_a_bureau_deadline_of_that_case(lost_case, staff):
    action = add(lost_case, staff)
    assert action.agency_id == lost_case.agency_id
    deadline = action.deadline
    assert (deadline.case, deadline.rule, deadline.due_on, deadline.is_bureau_duty, deadline.status) == (
        lost_case, "manual", dt.date(2025, 8, 29), True, DeadlineStatus.OPEN)
    assert "修订工伤认定调查程序" in deadline.title


def test_done_in_time_meets_the_deadline_and_done_late_misses_it(lost_case, staff):
    in_time = corrective_action_done(action=add(lost_case, staff), done_on=dt.date(2025, 6, 1), by=staff)
    late = corrective_action_done(action=add(lost_case, staff, due_on=dt.date(2025, 5, 30)),
                                  done_on=dt.date(2025, 6, 2), by=staff)
    assert Deadline.objects.get(pk=in_time.deadline_id).status == DeadlineStatus.MET
    assert Deadline.objects.get(pk=late.deadline_id).status == DeadlineStatus.MISSED


def test_a_new_due_date_moves_the_deadline(lost_case, staff):
    action = corrective_action_update(action=add(lost_case, staff), by=staff, data={"due_on": dt.date(2025, 9, 30)})
    assert Deadline.objects.get(pk=action.deadline_id).due_on == dt.date(2025, 9, 30)
    assert action.history.count() == 2


def test_archiving_waives_the_deadline(lost_case, staff):
    action = corrective_action_archive(action=add(lost_case, staff), by=staff, reason="录入错误")
    assert Deadline.objects.get(pk=action.deadline_id).status == DeadlineStatus.WAIVED


def test_an_action_of_a_follow_up_takes_the_letters_case(agency, staff):
    case = ReconsiderationFactory(agency=agency)
    letter = follow_up_create(agency=agency, by=staff, type="opinion_letter", issuing_body="梧州市人民政府",
                              received_on=dt.date(2025, 3, 3), case=case)
    action = corrective_action_create(follow_up=letter, by=staff, description="整改", responsible_unit="法规科",
                                      due_on=dt.date(2025, 4, 30))
    assert (action.case, action.follow_up, action.deadline.case) == (case, letter, case)


def test_an_action_of_a_letter_without_a_case_has_no_case_deadline(agency, staff):
    letter = follow_up_create(agency=agency, by=staff, type="procuratorial_recommendation",
                              issuing_body="梧州市人民检察院", received_on=dt.date(2025, 3, 3), due_on=dt.date(2025, 5, 6))
    action = corrective_action_create(follow_up=letter, by=staff, description="整改", responsible_unit="法规科",
                                      due_on=dt.date(2025, 4, 30))
    assert action.case is None and action.deadline is None and action.agency_id == agency.pk


def test_it_refuses_an_action_without_what_or_who_and_saves_nothing(lost_case, staff):
    with pytest.raises(ValidationError) as excinfo:
        add(lost_case, staff, description="  ", responsible_unit="")
    assert {"description", "responsible_unit"} <= set(excinfo.value.message_dict)
    assert not CorrectiveAction.objects.exists() and not Deadline.objects.exists()


def test_it_refuses_an_action_without_a_case_or_letter(staff):
    with pytest.raises(ValidationError):
        corrective_action_create(by=staff, description="整改", responsible_unit="法规科", due_on=dt.date(2025, 8, 1))


def test_a_leader_cannot_add_an_action(lost_case, leader):
    with pytest.raises(PermissionDenied):
        add(lost_case, leader)
