"""The admin with bad input: a clear message on the field, nothing saved, never a 500.

Only administrators reach the admin (tests/cases/test_admin_access.py walks every URL as
everyone else); these tests are an administrator's.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.choices import LeaderRank, Role
from cases.models import Case, Deadline, Document, Hearing, Membership
from tests.factories import CaseFactory, HearingFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client, admin_user) -> Client:
    """An administrator of the agency (role admin, not a superuser) with the app's model permissions."""
    admin_user.is_staff = True
    admin_user.save(update_fields=["is_staff"])
    admin_user.user_permissions.set(Permission.objects.filter(content_type__app_label="cases"))
    client.force_login(admin_user)
    return client


def case_form(for_agency, **overrides):
    data = {
        "agency": for_agency.pk, "kind": "litigation", "litigation_instance": "first", "procedure": "ordinary",
        "number": "(2026)桂04行初1号", "reviewing_body": "梧州市中级人民法院", "applicant": "赵六",
        "subject": "work_injury", "received_on": "2026-03-02",
        "hearings-TOTAL_FORMS": "0", "hearings-INITIAL_FORMS": "0",
        "deadlines-TOTAL_FORMS": "0", "deadlines-INITIAL_FORMS": "0",
        "documents-TOTAL_FORMS": "0", "documents-INITIAL_FORMS": "0",
    }  # fmt: skip
    data.update(overrides)
    return data


def form_errors(response) -> dict[str, list[str]]:
    assert response.status_code == 200, "the form is shown again with its errors"
    return {key: list(value) for key, value in response.context["adminform"].form.errors.items()}


def add_case(client: Client, agency, **overrides):
    return client.post(reverse("admin:cases_case_add"), case_form(agency, **overrides))


def change_case(client: Client, case: Case, **overrides):
    facts = {"number": case.number, "reviewing_body": case.reviewing_body, "received_on": case.received_on.isoformat()}
    data = case_form(case.agency, **{**facts, **overrides})
    if "agency" not in overrides:
        data.pop("agency")
    return client.post(reverse("admin:cases_case_change", args=[case.pk]), data)


def test_it_saves_a_good_case_through_the_service(admin_client, agency, admin_user):
    response = add_case(admin_client, agency)
    assert response.status_code == 302
    case = Case.objects.get()
    assert set(case.history.values_list("history_change_reason", flat=True)) == {"登记案件"}
    assert set(case.deadlines.values_list("rule", flat=True)) == {"litigation_defence"}
    assert list(case.handlers.all()) == [admin_user]


def test_it_shows_a_missing_instance_next_to_the_field(admin_client, agency):
    errors = form_errors(add_case(admin_client, agency, litigation_instance=""))
    assert "行政诉讼案件必须填写审级" in " ".join(errors["litigation_instance"])
    assert not Case.objects.exists()


def test_it_shows_a_duplicate_number_next_to_the_number(admin_client, agency):
    add_case(admin_client, agency)
    errors = form_errors(add_case(admin_client, agency, applicant="另一人"))
    assert "同一审理机关下已有相同案号的案件" in " ".join(errors["number"])
    assert Case.objects.count() == 1


def test_it_shows_a_receipt_before_2004_on_the_field_instead_of_failing(admin_client, agency):
    errors = form_errors(add_case(admin_client, agency, received_on="2003-03-01"))
    assert "2004" in " ".join(errors["received_on"])
    assert not Case.objects.exists() and not Deadline.objects.exists()


def test_it_refuses_a_receipt_moved_past_the_conclusion_of_a_concluded_case(admin_client, agency):
    case = CaseFactory(agency=agency, status="concluded", outcome="claims_dismissed",
                       received_on=dt.date(2021, 3, 1), concluded_on=dt.date(2021, 5, 1))
    errors = form_errors(change_case(admin_client, case, received_on="2021-06-01"))
    assert "结案日期不能早于收到日期" in " ".join(errors["__all__"])
    case.refresh_from_db()
    assert (case.received_on, case.version) == (dt.date(2021, 3, 1), 1)


def test_it_refuses_to_link_a_case_to_itself(admin_client, agency):
    case = CaseFactory(agency=agency, received_on=dt.date(2021, 3, 1))
    errors = form_errors(change_case(admin_client, case, previous=case.pk))
    assert "不能把案件链接到它自己" in " ".join(errors["previous"])
    case.refresh_from_db()
    assert case.previous_id is None


def test_it_keeps_a_case_in_its_agency_on_change(admin_client, agency, other_agency):
    case = CaseFactory(agency=agency, received_on=dt.date(2021, 3, 1))
    response = change_case(admin_client, case, agency=other_agency.pk, applicant="改名")
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.agency_id, case.applicant, case.version) == (agency.pk, "改名", 2)


def test_a_service_error_the_form_could_not_foresee_is_a_message_not_a_500(admin_client, agency, monkeypatch):
    case = CaseFactory(agency=agency, received_on=dt.date(2021, 3, 1))

    def racing_update(**kwargs):
        Case.objects.filter(pk=case.pk).update(applicant="半条记录")
        raise ValidationError({"number": "并发修改"})

    monkeypatch.setattr("cases.admin.cases.case_update", racing_update)
    response = change_case(admin_client, case, applicant="改名")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.applicant != "半条记录", "the admin's transaction rolled back"


def test_staff_cannot_change_their_own_role_or_agency(client, staff, agency):
    staff_client = client
    staff_client.force_login(staff)
    membership = staff.membership
    url = reverse("admin:cases_membership_change", args=[membership.pk])
    response = staff_client.post(url, {"user": staff.pk, "agency": agency.pk, "role": Role.ADMIN, "leader_rank": ""})
    assert response.status_code == 403
    assert Membership.objects.get(pk=membership.pk).role == Role.STAFF
    assert staff_client.post(reverse("admin:cases_agency_add"), {"name": "x", "code": "x"}).status_code == 403


def test_an_administrator_may_change_roles(client, admin_user, staff, agency):
    client.force_login(admin_user)
    admin_user.is_staff = True
    admin_user.save(update_fields=["is_staff"])
    url = reverse("admin:cases_membership_change", args=[staff.membership.pk])
    data = {"user": staff.pk, "agency": agency.pk, "role": Role.VIEWER, "leader_rank": "", "title": "",
            "phone": "", "webhook_mention": ""}
    admin_user.user_permissions.set(Permission.objects.filter(content_type__app_label="cases"))
    assert client.post(url, data).status_code == 302
    assert Membership.objects.get(pk=staff.membership.pk).role == Role.VIEWER


def hearing_form(case, **overrides):
    local = timezone.localtime(timezone.now() + dt.timedelta(days=10))
    data = {"case": case.pk, "kind": "court", "scheduled_at_0": local.date().isoformat(),
            "scheduled_at_1": "09:30:00", "place": "第一法庭", "expected_leader": "", "notes": ""}
    data.update(overrides)
    return data


def test_a_hearing_added_in_the_admin_goes_through_the_service(admin_client, agency, leader):
    case = CaseFactory(agency=agency)
    response = admin_client.post(reverse("admin:cases_hearing_add"), hearing_form(case, expected_leader=leader.pk))
    assert response.status_code == 302
    hearing = Hearing.objects.get()
    assert hearing.history.first().history_change_reason == "安排开庭/听证"
    assert hearing.expected_leader == leader


def test_it_refuses_to_arrange_a_leader_who_is_not_a_responsible_person(admin_client, agency):
    case = CaseFactory(agency=agency)
    chief = member(agency, Role.LEADER, LeaderRank.NON_COUNTING, username="chief")
    errors = form_errors(admin_client.post(reverse("admin:cases_hearing_add"), hearing_form(case, expected_leader=chief.pk)))
    assert "出庭应诉规定第2条" in " ".join(errors["expected_leader"])
    assert not Hearing.objects.exists()


def test_the_admin_cannot_mark_a_hearing_held_or_set_attendance(admin_client, agency):
    hearing = HearingFactory(case=CaseFactory(agency=agency))
    data = hearing_form(hearing.case, place="第二法庭", status="held", bureau_appeared="on")
    response = admin_client.post(reverse("admin:cases_hearing_change", args=[hearing.pk]), data)
    assert response.status_code == 302
    hearing.refresh_from_db()
    assert (hearing.place, hearing.status, hearing.bureau_appeared, hearing.version) == ("第二法庭", "scheduled", None, 2)


def test_the_case_page_lists_hearings_read_only(admin_client, agency):
    hearing = HearingFactory(case=CaseFactory(agency=agency))
    response = change_case(admin_client, hearing.case, **{
        "hearings-TOTAL_FORMS": "1", "hearings-INITIAL_FORMS": "0", "hearings-0-kind": "court",
        "hearings-0-scheduled_at_0": "2026-01-05", "hearings-0-scheduled_at_1": "09:00:00",
    })  # fmt: skip
    assert response.status_code == 302
    assert Hearing.objects.count() == 1


def test_a_manual_deadline_needs_a_title_and_an_active_case(admin_client, agency):
    own, archived = CaseFactory(agency=agency), CaseFactory(agency=agency, archived_at=timezone.now())
    url = reverse("admin:cases_deadline_add")
    errors = form_errors(admin_client.post(url, {"case": own.pk, "title": "", "due_on": "2026-05-06"}))
    assert "title" in errors
    errors = form_errors(admin_client.post(url, {"case": archived.pk, "title": "补充证据", "due_on": "2026-05-06"}))
    assert "case" in errors
    assert admin_client.post(url, {"case": own.pk, "title": "补充证据", "due_on": "2026-05-06",
                                   "is_bureau_duty": "on"}).status_code == 302
    assert list(Deadline.objects.values_list("case_id", "title")) == [(own.pk, "补充证据")]


def test_a_document_added_on_the_case_page_records_who_uploaded_it(admin_client, agency, admin_user):
    case = CaseFactory(agency=agency, received_on=dt.date(2021, 3, 1))
    upload = SimpleUploadedFile("judgment.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = change_case(admin_client, case, **{
        "documents-TOTAL_FORMS": "1", "documents-0-title": "一审判决书", "documents-0-file": upload,
    })  # fmt: skip
    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.case, document.title, document.uploaded_by) == (case, "一审判决书", admin_user)
    assert document.history.first().history_change_reason == "上传文书"


def test_it_asks_for_the_decision_form_when_a_service_date_is_entered(admin_client, agency):
    errors = form_errors(add_case(admin_client, agency, judgment_served_on="2026-04-01"))
    assert "上诉期" in " ".join(errors["judgment_form"])
    assert not Case.objects.exists()
