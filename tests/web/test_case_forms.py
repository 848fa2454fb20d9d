"""Logging, editing and moving a case through the pages: services do the work, errors sit by their field."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from cases.choices import Kind, Status, Subject
from cases.models import Case, Deadline
from tests.factories import CaseFactory, ReconsiderationFactory

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2025, 9, 15, 9, 0, tzinfo=dt.UTC)


def _new_case(**overrides: object) -> dict[str, object]:
    data = {
        "kind": Kind.RECONSIDERATION, "litigation_instance": "", "procedure": "ordinary",
        "number": "梧政复〔2025〕7号", "reviewing_body": "梧州市人民政府", "applicant": "黄某",
        "subject": Subject.WORK_INJURY, "received_on": "2025-09-10",
    }
    data.update(overrides)
    return data


@time_machine.travel(TODAY)
def test_it_logs_a_case_with_its_statutory_deadlines(staff_client, staff):
    response = staff_client.post(reverse("case-create"), _new_case())
    case = Case.objects.get()
    assert response["Location"] == reverse("case-detail-page", args=[case.pk])
    assert case.agency == staff.membership.agency and case.number_year == 2025
    assert list(case.handlers.all()) == [staff]
    reply = Deadline.objects.get(case=case, rule="reconsideration_reply")
    assert reply.due_on == dt.date(2025, 9, 24)  # 10 working days after 10 Sep (ARL 48, 88)
    page = staff_client.get(response["Location"]).content.decode()
    assert "案件已登记" in page and 'data-urgency="later"' in page


def test_it_keeps_nothing_and_says_why_when_a_required_field_is_missing(staff_client):
    response = staff_client.post(reverse("case-create"), _new_case(applicant="", received_on="not a date"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "applicant" in errors and "received_on" in errors
    assert "没有保存任何内容" in response.content.decode()
    assert not Case.objects.exists()


def test_it_asks_for_the_instance_of_a_lawsuit(staff_client):
    response = staff_client.post(reverse("case-create"), _new_case(kind=Kind.LITIGATION, litigation_instance=""))
    assert "litigation_instance" in response.context["form"].errors
    assert not Case.objects.exists()


def test_it_shows_the_services_refusal_of_a_duplicate_number(staff_client, agency):
    ReconsiderationFactory(agency=agency, number="梧政复〔2025〕7号", reviewing_body="梧州市人民政府")
    response = staff_client.post(reverse("case-create"), _new_case())
    assert response.status_code == 200
    assert "已有相同案号" in response.content.decode()
    assert Case.objects.count() == 1


def test_it_refuses_a_date_before_the_working_day_calendar_next_to_the_field(staff_client):
    response = staff_client.post(reverse("case-create"), _new_case(received_on="1999-05-01"))
    assert response.context["form"].errors.get("received_on")
    assert not Case.objects.exists()


def test_it_edits_a_case_and_records_the_change(staff_client, agency):
    case = ReconsiderationFactory(agency=agency, applicant="旧名")
    data = _new_case(number=case.number, reviewing_body=case.reviewing_body, applicant="新名", version=case.version,
                     received_on="2021-03-01")
    response = staff_client.post(reverse("case-edit", args=[case.pk]), data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.applicant == "新名"
    assert case.history.first().history_change_reason == "修改案件信息"
    page = staff_client.get(reverse("case-detail-page", args=[case.pk])).content.decode()
    assert "旧名 → 新名" in page


def test_it_refuses_an_edit_made_on_a_stale_version(staff_client, agency):
    case = ReconsiderationFactory(agency=agency, applicant="旧名", version=3)
    data = _new_case(number=case.number, reviewing_body=case.reviewing_body, applicant="新名", version=2,
                     received_on="2021-03-01")
    response = staff_client.post(reverse("case-edit", args=[case.pk]), data)
    assert response.status_code == 200
    assert "已被他人修改" in response.content.decode()
    case.refresh_from_db()
    assert case.applicant == "旧名"


@time_machine.travel(TODAY)
def test_it_offers_only_the_outcomes_of_the_cases_kind(staff_client, agency):
    recon = ReconsiderationFactory(agency=agency)
    lawsuit = CaseFactory(agency=agency)
    recon_choices = dict(staff_client.get(reverse("case-conclude-page", args=[recon.pk])).context["form"].fields["outcome"].choices)
    lawsuit_choices = dict(staff_client.get(reverse("case-conclude-page", args=[lawsuit.pk])).context["form"].fields["outcome"].choices)
    assert "request_rejected" in recon_choices and "claims_dismissed" not in recon_choices
    assert "claims_dismissed" in lawsuit_choices and "reversed" not in lawsuit_choices  # first instance


@time_machine.travel(TODAY)
def test_it_concludes_a_case(staff_client, agency):
    case = CaseFactory(agency=agency)
    response = staff_client.post(reverse("case-conclude-page", args=[case.pk]), {
        "outcome": "claims_dismissed", "concluded_on": "2025-09-12", "version": case.version,
    })
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.outcome, case.concluded_on) == (Status.CONCLUDED, "claims_dismissed", dt.date(2025, 9, 12))


@time_machine.travel(TODAY)
def test_it_puts_the_services_date_refusal_next_to_the_conclusion_date(staff_client, agency):
    case = CaseFactory(agency=agency)
    response = staff_client.post(reverse("case-conclude-page", args=[case.pk]), {
        "outcome": "claims_dismissed", "concluded_on": "2025-12-01", "version": case.version,
    })
    assert response.context["form"].errors["concluded_on"] == ["结案日期（2025-12-01）不能晚于今天（2025-09-15）。"]
    case.refresh_from_db()
    assert case.status == Status.PENDING


@time_machine.travel(TODAY)
def test_it_refuses_an_act_change_flag_on_a_non_withdrawal(staff_client, agency):
    case = CaseFactory(agency=agency)
    response = staff_client.post(reverse("case-conclude-page", args=[case.pk]), {
        "outcome": "claims_dismissed", "concluded_on": "2025-09-12", "act_changed": "on", "version": case.version,
    })
    assert "act_changed" in response.context["form"].errors
    case.refresh_from_db()
    assert case.status == Status.PENDING


@time_machine.travel(TODAY)
def test_it_suspends_resumes_and_reopens_a_case(staff_client, agency):
    case = CaseFactory(agency=agency)
    assert staff_client.post(reverse("case-suspend-page", args=[case.pk]), {"reason": "等待另案结果"}).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.SUSPENDED
    assert staff_client.post(reverse("case-resume-page", args=[case.pk]), {"reason": ""}).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.PENDING
    staff_client.post(reverse("case-conclude-page", args=[case.pk]), {"outcome": "withdrawn", "concluded_on": "2025-09-12"})
    assert staff_client.post(reverse("case-reopen-page", args=[case.pk]), {"reason": "误录结果"}).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.PENDING and case.outcome == ""


def test_it_requires_a_reason_to_suspend(staff_client, agency):
    case = CaseFactory(agency=agency)
    response = staff_client.post(reverse("case-suspend-page", args=[case.pk]), {"reason": ""})
    assert response.context["form"].errors["reason"]
    case.refresh_from_db()
    assert case.status == Status.PENDING


def test_it_says_so_when_a_suspended_case_cannot_be_suspended_again(staff_client, agency):
    case = CaseFactory(agency=agency, status=Status.SUSPENDED, suspended_on=dt.date(2021, 4, 1))
    response = staff_client.post(reverse("case-suspend-page", args=[case.pk]), {"reason": "再次中止"})
    assert response.status_code == 200
    assert "只有未结案件可以中止" in response.content.decode()


def test_it_shows_the_chain_timeline_and_history_on_the_case_page(staff_client, agency):
    recon = ReconsiderationFactory(agency=agency, status=Status.CONCLUDED, outcome="upheld",
                                   concluded_on=dt.date(2021, 2, 1), received_on=dt.date(2021, 1, 5))
    first = CaseFactory(agency=agency, previous=recon, received_on=dt.date(2021, 3, 1))
    second = CaseFactory(agency=agency, previous=first, litigation_instance="second", received_on=dt.date(2021, 9, 1))
    response = staff_client.get(reverse("case-detail-page", args=[first.pk]))
    assert [c.pk for c in response.context["chain"]] == [recon.pk, first.pk, second.pk]
    assert response.context["timeline"]
    assert response.context["history"][0].what == "创建"
