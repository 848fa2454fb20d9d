"""D10 on cases: each deadline follows the law in force on its trigger date and says which."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cases.choices import Procedure
from cases.models import Case, Deadline
from cases.services.cases import case_update
from tests.cases.test_deadlines import dues, lawsuit, reconsideration, the

pytestmark = pytest.mark.django_db


def test_a_2021_reconsideration_reply_is_due_in_ten_calendar_days_under_the_old_law(agency, staff):
    case = reconsideration(agency, staff, received_on=dt.date(2021, 9, 28))

    reply = the(case, "reconsideration_reply")
    assert (reply.due_on, reply.rule_version) == (dt.date(2021, 10, 8), "ARL-1999")
    assert reply.basis.startswith("《行政复议法》（1999年）第二十三条：")


def test_a_2024_reconsideration_reply_is_due_in_ten_working_days_under_the_new_law(agency, staff):
    case = reconsideration(agency, staff, received_on=dt.date(2024, 9, 27))

    reply = the(case, "reconsideration_reply")
    assert (reply.due_on, reply.rule_version) == (dt.date(2024, 10, 16), "ARL-2023")


def test_a_defence_filed_under_the_1989_law_had_ten_days(agency, staff):
    case = lawsuit(agency, staff, received_on=dt.date(2015, 4, 30), accepted_on=dt.date(2015, 4, 28))

    assert dues(case) == {"litigation_defence": dt.date(2015, 5, 11), "first_instance_trial": dt.date(2015, 7, 28)}
    assert {d.rule_version for d in case.deadlines.all()} == {"ALL-1989"}


def test_it_refuses_a_simplified_reconsideration_received_before_2024_and_saves_nothing(agency, staff):
    with pytest.raises(ValidationError) as error:
        reconsideration(agency, staff, procedure=Procedure.SIMPLIFIED, received_on=dt.date(2023, 12, 20))

    assert error.value.message_dict["procedure"] == [
        "简易程序自 2024-01-01 起施行,2023-12-20 起算的期限不能适用简易程序,请选择普通程序。"
    ]
    assert not Case.objects.exists() and not Deadline.objects.exists()


def test_it_refuses_to_make_a_2021_reconsideration_simplified(agency, staff):
    case = reconsideration(agency, staff, received_on=dt.date(2021, 9, 28))

    with pytest.raises(ValidationError) as error:
        case_update(case=case, by=staff, data={"procedure": Procedure.SIMPLIFIED})

    assert "procedure" in error.value.message_dict
    case.refresh_from_db()
    assert case.procedure == Procedure.ORDINARY
    assert set(dues(case)) == {"reconsideration_reply"}


def test_it_accepts_a_simplified_reconsideration_received_in_2024(agency, staff):
    case = reconsideration(agency, staff, procedure=Procedure.SIMPLIFIED, received_on=dt.date(2024, 1, 2))

    assert the(case, "reconsideration_reply_simplified").rule_version == "ARL-2023"


def test_it_refuses_a_simplified_first_instance_filed_before_may_2015(agency, staff):
    with pytest.raises(ValidationError) as error:
        lawsuit(
            agency, staff, procedure=Procedure.SIMPLIFIED,
            received_on=dt.date(2015, 4, 30), accepted_on=dt.date(2015, 4, 28),
        )  # fmt: skip

    assert "简易程序自 2015-05-01 起施行" in error.value.message_dict["procedure"][0]
    assert not Case.objects.exists()


def test_correcting_a_trigger_across_the_cut_over_switches_the_version(agency, staff):
    case = reconsideration(agency, staff, received_on=dt.date(2023, 12, 31))
    assert the(case, "reconsideration_reply").due_on == dt.date(2024, 1, 10)

    case_update(case=case, by=staff, data={"received_on": dt.date(2024, 1, 1)})

    reply = the(case, "reconsideration_reply")
    assert (reply.due_on, reply.rule_version) == (dt.date(2024, 1, 15), "ARL-2023")
