"""Forms that fit the case (issue 14): the case form by kind, handlers, outcomes in force, nobody attended."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from cases.choices import HearingStatus, Kind, Role, Subject
from cases.models import Case, Hearing
from cases.web.forms import CaseForm, ConcludeForm, HearingRecordForm
from tests.factories import CaseFactory, HearingFactory, ReconsiderationFactory, UserFactory, member

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2025, 9, 15, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def _lawsuit(**overrides: object) -> dict[str, object]:
    data = {
        "kind": Kind.LITIGATION, "litigation_instance": "first", "procedure": "ordinary",
        "number": "(2025)桂0403行初7号", "reviewing_body": "梧州市万秀区人民法院", "applicant": "黄某",
        "subject": Subject.WORK_INJURY, "received_on": "2025-09-10",
    }
    data.update(overrides)
    return data


# --- the case form by kind ---------------------------------------------------------------------------


def test_the_case_form_marks_each_kinds_own_fields_for_the_script(staff):
    form = CaseForm(user=staff, instance=Case())
    kind_of = {name: field.widget.attrs.get("data-only-for-kind") for name, field in form.fields.items()}
    assert kind_of["litigation_instance"] == kind_of["co_defendant"] == kind_of["judgment_served_on"] == "litigation"
    assert kind_of["decision_served_on"] == kind_of["decision_extended"] == "reconsideration"
    assert kind_of["received_on"] is kind_of["applicant"] is None


@time_machine.travel(TODAY)
def test_a_reconsideration_drops_what_the_hidden_litigation_fields_still_hold(staff_client):
    staff_client.post(reverse("case-create"), _lawsuit(
        kind=Kind.RECONSIDERATION, number="梧政复〔2025〕7号", reviewing_body="梧州市人民政府",
        co_defendant="on", judgment_form="judgment", judgment_served_on="2025-09-12", redo_due_on="2025-12-01",
    ))
    case = Case.objects.get()
    assert case.kind == Kind.RECONSIDERATION and case.litigation_instance == ""
    assert not case.co_defendant and case.judgment_served_on is None and case.redo_due_on is None


@time_machine.travel(TODAY)
def test_a_lawsuit_drops_what_the_hidden_reconsideration_fields_still_hold(staff_client, agency):
    case = ReconsiderationFactory(agency=agency, received_on=dt.date(2025, 9, 1), decision_extended=True)
    staff_client.post(reverse("case-edit", args=[case.pk]), _lawsuit(
        number=case.number, decision_extended="on", decision_received_on="2025-09-12", version=case.version,
    ))
    case.refresh_from_db()
    assert case.kind == Kind.LITIGATION and case.litigation_instance == "first"
    assert not case.decision_extended and case.decision_received_on is None


@time_machine.travel(TODAY)
def test_editing_a_reconsideration_keeps_its_extended_decision_period(staff_client, agency):
    case = ReconsiderationFactory(agency=agency, received_on=dt.date(2025, 9, 1), decision_extended=True)
    page = staff_client.get(reverse("case-edit", args=[case.pk])).content.decode()
    assert 'name="decision_extended"' in page


# --- handlers ----------------------------------------------------------------------------------------


def test_a_new_case_is_handled_by_the_member_who_logs_it(staff):
    form = CaseForm(user=staff, instance=Case())
    assert form.fields["handlers"].initial == [staff.pk]


def test_an_administrator_outside_the_agency_is_not_offered_as_the_handler(agency):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    form = CaseForm(user=admin, instance=Case())
    assert not form.fields["handlers"].initial


def test_an_administrator_choosing_among_agencies_sees_each_persons_agency_on_the_handler_list(agency, staff):
    other = member(None, Role.STAFF, username="elsewhere")
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    form = CaseForm(user=admin, instance=Case())
    agency_of = {str(o.data["value"]): o.data["attrs"].get("data-agency") for o in form["handlers"].subwidgets}
    assert agency_of[str(staff.pk)] == agency.pk
    assert agency_of[str(other.pk)] == other.membership.agency_id


def test_handlers_are_ticked_in_a_list_with_a_filter_box_not_a_ctrl_click_select(staff_client, staff, agency):
    member(agency, Role.STAFF, username="wang", last_name="王", first_name="建国")
    page = staff_client.get(reverse("case-create")).content.decode()
    assert 'type="checkbox" name="handlers"' in page and "<select name=\"handlers\"" not in page
    assert 'data-choice-filter="id_handlers"' in page and "王建国" in page
    assert f'value="{staff.pk}" id="id_handlers_' in page and "checked" in page


def test_the_co_defendant_checkbox_sits_inside_its_own_label(staff_client):
    page = staff_client.get(reverse("case-create")).content.decode()
    assert '<label class="check"><input type="checkbox" name="co_defendant"' in page
    assert "共同被告</label>" in page


# --- outcomes in force -------------------------------------------------------------------------------


def _options(form: ConcludeForm) -> dict[str, dict]:
    return {str(option.data["value"]): option.data["attrs"] for option in form["outcome"].subwidgets}


@time_machine.travel(TODAY)
def test_a_first_instance_lawsuit_concluded_today_is_not_offered_upheld(agency):
    form = ConcludeForm(case=CaseFactory(agency=agency))
    options = _options(form)
    assert options["upheld"].get("disabled") and options["upheld"].get("hidden")
    assert options["upheld"]["data-in-force-before"] == "2015-05-01"
    assert not options["claims_dismissed"].get("disabled")


@time_machine.travel(TODAY)
def test_a_first_instance_lawsuit_concluded_before_may_2015_is_offered_upheld(agency):
    case = CaseFactory(agency=agency, received_on=dt.date(2014, 9, 1))
    form = ConcludeForm({"concluded_on": "2015-03-02", "outcome": "upheld", "version": case.version}, case=case)
    assert not _options(form)["upheld"].get("disabled")
    assert form.is_valid()


@time_machine.travel(TODAY)
@pytest.mark.parametrize(("kind", "instance"), [("litigation", "second"), ("reconsideration", "")])
def test_upheld_stays_offered_to_second_instances_and_reconsiderations(agency, kind, instance):
    case = CaseFactory(agency=agency, kind=kind, litigation_instance=instance)
    assert not _options(ConcludeForm(case=case))["upheld"].get("disabled")


@time_machine.travel(TODAY)
def test_the_conclude_page_refuses_upheld_for_a_first_instance_with_the_articles_reason(staff_client, agency):
    case = CaseFactory(agency=agency, received_on=dt.date(2025, 3, 1))
    response = staff_client.post(reverse("case-conclude-page", args=[case.pk]), {
        "outcome": "upheld", "concluded_on": "2025-09-12", "version": case.version,
    })
    assert "判决驳回诉讼请求" in response.context["form"].errors["outcome"][0]
    case.refresh_from_db()
    assert case.outcome == ""


# --- nobody from the bureau attended -----------------------------------------------------------------


def _past_hearing(agency) -> Hearing:
    return HearingFactory(case=CaseFactory(agency=agency), scheduled_at=TODAY - dt.timedelta(days=2))


def _proof() -> SimpleUploadedFile:
    return SimpleUploadedFile("proof.pdf", b"%PDF-1.4 proof", content_type="application/pdf")


def test_the_attendance_form_asks_first_who_of_the_bureau_attended(staff_client, agency):
    with time_machine.travel(TODAY):
        page = staff_client.get(reverse("hearing-record-page", args=[_past_hearing(agency).pk])).content.decode()
    assert 'type="radio" name="attendance" value="nobody"' in page and "我局无人出庭" in page


@time_machine.travel(TODAY)
def test_nobody_attended_requires_the_reason_in_words(staff_client, agency, staff):
    hearing = _past_hearing(agency)
    response = staff_client.post(reverse("hearing-record-page", args=[hearing.pk]), {
        "attendance": "nobody", "staff": [staff.pk], "absence_reason": "accident", "absence_proof": _proof(),
        "version": hearing.version,
    })
    assert response.context["form"].errors["absence_detail"] == ["我局无人出庭的,必须在“事由说明”中写明原因。"]
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.SCHEDULED


@time_machine.travel(TODAY)
def test_nobody_attended_is_recorded_without_the_staff_still_ticked_and_flagged_on_the_case(
    staff_client, agency, staff, leader
):
    hearing = _past_hearing(agency)
    response = staff_client.post(reverse("hearing-record-page", args=[hearing.pk]), {
        "attendance": "nobody", "responsible_person": leader.pk, "staff": [staff.pk], "absence_reason": "accident",
        "absence_detail": "承办人突发疾病,未能出庭", "absence_proof": _proof(), "version": hearing.version,
    })
    assert response.status_code == 302
    hearing.refresh_from_db()
    assert hearing.nobody_attended and hearing.responsible_person is None
    assert not hearing.attending_staff.exists()
    page = staff_client.get(reverse("case-detail-page", args=[hearing.case_id])).content.decode()
    assert 'data-testid="nobody-attended"' in page and "承办人突发疾病" in page


@time_machine.travel(TODAY)
def test_staff_only_attendance_needs_the_staff_who_went(staff_client, agency):
    hearing = _past_hearing(agency)
    response = staff_client.post(reverse("hearing-record-page", args=[hearing.pk]), {
        "attendance": "staff", "absence_reason": "accident", "absence_proof": _proof(), "version": hearing.version,
    })
    assert "我局无人出庭" in response.context["form"].errors["staff"][0]


def test_the_attendance_choice_of_a_recorded_hearing_is_what_was_recorded(agency, staff):
    held = HearingFactory(case=CaseFactory(agency=agency), status=HearingStatus.HELD, bureau_appeared=False,
                          absence_reason="accident", scheduled_at=TODAY)
    assert HearingRecordForm(hearing=held).fields["attendance"].initial == "nobody"


@time_machine.travel(TODAY)
def test_the_api_refuses_nobody_attended_without_the_reason_in_words(client, agency, staff):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(staff)
    hearing = _past_hearing(agency)
    response = api.post(f"/api/hearings/{hearing.pk}/record/", {
        "absence_reason": "accident", "absence_proof": _proof(),
    }, format="multipart")
    assert response.status_code == 400 and "absence_detail" in response.data["errors"]
    response = api.post(f"/api/hearings/{hearing.pk}/record/", {
        "absence_reason": "accident", "absence_detail": "均在外地", "absence_proof": _proof(),
    }, format="multipart")
    assert response.status_code == 200 and response.data["nobody_attended"] is True


@time_machine.travel(TODAY)
def test_the_calendar_and_the_dashboard_flag_a_hearing_nobody_attended(staff_client, agency, staff):
    from cases.services.hearings import hearing_record

    hearing = hearing_record(hearing=_past_hearing(agency), by=staff, absence_reason="accident",
                             absence_detail="均在外地", absence_proof=_proof())
    calendar = staff_client.get(reverse("calendar") + "?view=month&date=2025-09-13").content.decode()
    assert 'data-testid="nobody-attended"' in calendar
    dashboard = staff_client.get(reverse("dashboard") + "?year=2025").content.decode()
    assert 'data-testid="nobody-attended-list"' in dashboard and hearing.case.number in dashboard
