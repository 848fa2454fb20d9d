"""D11 on cases: the retrial opinion and the new act after an order to redo it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from cases.choices import Instance, Kind, Outcome
from cases.models import Case, Deadline
from cases.services.cases import case_conclude, case_reopen, case_update
from tests.cases.test_deadlines import dues, lawsuit, reconsideration, the
from tests.factories import ReconsiderationFactory

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2025, 6, 30, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def test_a_retrial_application_copy_gives_the_bureau_fifteen_days_for_its_opinion(agency, staff):
    case = lawsuit(agency, staff, received_on=dt.date(2024, 3, 1))

    case_update(case=case, by=staff, data={"retrial_application_received_on": dt.date(2025, 4, 16)})

    opinion = the(case, "retrial_opinion")
    assert (opinion.due_on, opinion.rule_version, opinion.is_bureau_duty) == (dt.date(2025, 5, 6), "CPL-2023", True)
    assert opinion.basis == "《民事诉讼法》第二百一十四条：自收到再审申请书副本之日起十五日内提交书面意见"


@time_machine.travel(TODAY)
def test_the_retrial_opinion_survives_the_conclusion_of_the_judgment_it_challenges(agency, staff):
    case = lawsuit(agency, staff, received_on=dt.date(2024, 3, 1), retrial_application_received_on=dt.date(2025, 6, 20))

    case_conclude(case=case, by=staff, outcome=Outcome.CLAIMS_DISMISSED, concluded_on=dt.date(2025, 6, 25))

    assert "retrial_opinion" in dues(case)


def test_it_refuses_a_retrial_application_date_on_a_reconsideration_and_saves_nothing(agency, staff):
    with pytest.raises(ValidationError) as error:
        reconsideration(agency, staff, received_on=dt.date(2025, 4, 16), retrial_application_received_on=dt.date(2025, 5, 1))

    assert error.value.message_dict["retrial_application_received_on"] == ["收到再审申请书副本日期仅适用于行政诉讼案件。"]
    assert not Case.objects.exists()


@time_machine.travel(TODAY)
@pytest.mark.parametrize("outcome", [Outcome.REVOKED_REDO, Outcome.ORDERED_TO_PERFORM])
def test_a_reconsideration_ordering_a_new_act_gives_sixty_days_from_receipt_of_the_decision(agency, staff, outcome):
    case = reconsideration(agency, staff, received_on=dt.date(2025, 3, 3), decision_received_on=dt.date(2025, 4, 1))

    case_conclude(case=case, by=staff, outcome=outcome, concluded_on=dt.date(2025, 3, 28),
                  grounds=["illegal_procedure"])

    redo = the(case, "act_redo")
    # 60 days from 1 Apr land on Sat 31 May, in the Dragon Boat holiday (31 May - 2 Jun 2025).
    assert (redo.trigger_on, redo.due_on, redo.rule_version) == (dt.date(2025, 4, 1), dt.date(2025, 6, 3), "ARL-REG-2007")
    assert redo.basis.startswith("《行政复议法实施条例》第四十九条：")


@time_machine.travel(TODAY)
def test_without_the_receipt_date_the_new_act_counts_from_the_decision_date(agency, staff):
    case = reconsideration(agency, staff, received_on=dt.date(2025, 3, 3))

    case_conclude(case=case, by=staff, outcome=Outcome.REVOKED_REDO, concluded_on=dt.date(2025, 3, 28),
                  grounds=["illegal_procedure"])

    assert (the(case, "act_redo").trigger_on, the(case, "act_redo").due_on) == (dt.date(2025, 3, 28), dt.date(2025, 5, 27))


@time_machine.travel(TODAY)
def test_an_upheld_act_needs_no_new_act_and_reopening_waives_the_order(agency, staff):
    upheld = reconsideration(agency, staff, received_on=dt.date(2025, 3, 3))
    case_conclude(case=upheld, by=staff, outcome=Outcome.UPHELD, concluded_on=dt.date(2025, 3, 28))
    assert not upheld.deadlines.filter(rule="act_redo").exists()

    redo = reconsideration(agency, staff, received_on=dt.date(2025, 3, 3))
    redo = case_conclude(case=redo, by=staff, outcome=Outcome.REVOKED_REDO, concluded_on=dt.date(2025, 3, 28),
                  grounds=["illegal_procedure"])
    case_reopen(case=redo, by=staff, reason="结果录入有误")

    assert the(redo, "act_redo").status == "waived"


@time_machine.travel(TODAY)
def test_a_judgment_ordering_a_new_act_takes_the_due_date_staff_entered_from_it(agency, staff):
    case = lawsuit(agency, staff, received_on=dt.date(2024, 9, 2), judgment_form="judgment",
                   judgment_served_on=dt.date(2025, 3, 3), effective_on=dt.date(2025, 3, 20))  # fmt: skip
    case = case_conclude(case=case, by=staff, outcome=Outcome.REVOKED_REDO, concluded_on=dt.date(2025, 3, 3),
                  grounds=["illegal_procedure"])
    assert not case.deadlines.filter(rule="act_redo").exists()  # no period entered yet

    case_update(case=case, by=staff, data={"redo_due_on": dt.date(2025, 5, 19)})

    redo = the(case, "act_redo")
    assert (redo.trigger_on, redo.due_on, redo.rule_version, redo.provisional) == (
        dt.date(2025, 3, 20), dt.date(2025, 5, 19), "JUDGMENT", False,
    )  # fmt: skip
    assert redo.basis == "人民法院裁判文书：在裁判确定的期限内重新作出行政行为"


@time_machine.travel(TODAY)
def test_it_refuses_a_judgments_redo_date_before_the_judgment_took_effect(agency, staff):
    case = lawsuit(agency, staff, received_on=dt.date(2024, 9, 2), effective_on=dt.date(2025, 3, 20))
    case = case_conclude(case=case, by=staff, outcome=Outcome.ORDERED_TO_PERFORM, concluded_on=dt.date(2025, 3, 3),
                  grounds=["illegal_procedure"])

    with pytest.raises(ValidationError) as error:
        case_update(case=case, by=staff, data={"redo_due_on": dt.date(2025, 3, 1)})

    assert error.value.message_dict["redo_due_on"] == ["届满日必须晚于起算日 2025-03-20。"]
    case.refresh_from_db()
    assert case.redo_due_on is None and not Deadline.objects.filter(rule="act_redo").exists()


def test_it_refuses_a_redo_date_on_a_reconsideration(agency, staff):
    with pytest.raises(ValidationError) as error:
        reconsideration(agency, staff, received_on=dt.date(2025, 3, 3), redo_due_on=dt.date(2025, 6, 1))

    assert "行政复议按六十日自动计算" in error.value.message_dict["redo_due_on"][0]


# --- the API and the form carry the facts ---------------------------------------------------


def test_the_api_takes_a_retrial_application_date_and_shows_the_opinion_deadline(client, staff, agency):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(staff)
    case = lawsuit(agency, staff, received_on=dt.date(2024, 3, 1), litigation_instance=Instance.SECOND,
                   appeal_received_on=dt.date(2024, 3, 1))  # fmt: skip

    response = api.patch(f"/api/cases/{case.pk}/", {"retrial_application_received_on": "2025-04-16"}, format="json",
                         HTTP_IF_MATCH=f'"{case.version}"')  # fmt: skip

    assert response.status_code == 200, response.data
    assert response.data["retrial_application_received_on"] == "2025-04-16"
    deadlines = api.get("/api/deadlines/", {"case": case.pk, "rule": "retrial_opinion"}).data["results"]
    assert [(d["due_on"], d["rule_version"]) for d in deadlines] == [("2025-05-06", "CPL-2023")]


def test_the_case_form_offers_no_simplified_procedure_to_a_2021_reconsideration(client, staff, agency):
    client.force_login(staff)
    old = ReconsiderationFactory(agency=agency, received_on=dt.date(2021, 9, 28))
    new = ReconsiderationFactory(agency=agency, received_on=dt.date(2024, 9, 27))

    old_choices = dict(client.get(reverse("case-edit", args=[old.pk])).context["form"].fields["procedure"].choices)
    new_choices = dict(client.get(reverse("case-edit", args=[new.pk])).context["form"].fields["procedure"].choices)

    assert list(old_choices) == ["ordinary"]
    assert list(new_choices) == ["ordinary", "simplified"]


def test_the_case_form_puts_the_refusal_of_a_2023_simplified_reconsideration_next_to_the_procedure(client, staff):
    client.force_login(staff)
    response = client.post(reverse("case-create"), {
        "kind": Kind.RECONSIDERATION, "litigation_instance": "", "procedure": "simplified",
        "number": "梧政复〔2023〕7号", "reviewing_body": "梧州市人民政府", "applicant": "黄某",
        "subject": "information_disclosure", "received_on": "2023-12-20",
    })  # fmt: skip

    assert response.status_code == 200
    assert response.context["form"].errors["procedure"] == [
        "简易程序自 2024-01-01 起施行,2023-12-20 起算的期限不能适用简易程序,请选择普通程序。"
    ]
    assert not Case.objects.exists()
