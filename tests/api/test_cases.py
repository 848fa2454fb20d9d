"""/api/cases/: the write contract, the actions, versions and validation."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from cases.choices import Role, Status
from cases.models import Case, Deadline
from tests.factories import CaseFactory, HearingFactory, ReconsiderationFactory, member

pytestmark = pytest.mark.django_db

NEW_CASE = {
    "kind": "litigation",
    "instance": "first",
    "procedure": "ordinary",
    "number": "(2021)桂04行初12号",
    "reviewing_body": "梧州市中级人民法院",
    "applicant": "张三",
    "subject": "work_injury",
    "received_on": "2021-03-01",
}


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2021, 6, 1, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def test_it_creates_a_pending_case_with_its_deadlines(api, agency, staff):
    response = api.post("/api/cases/", NEW_CASE, format="json")

    assert response.status_code == 201, response.data
    body = response.data
    assert body["agency"] == "wuzhou-hrss"
    assert (body["status"], body["outcome"], body["bucket"], body["instance"]) == ("pending", "", "pending", "first")
    assert body["version"] == 1
    assert body["handlers"] == [staff.pk]
    assert [d["rule"] for d in body["deadlines"]] == ["litigation_defence"]
    assert body["deadlines"][0]["due_on"] == "2021-03-16"
    assert body["hearings"] == {
        "count": 0, "held": 0, "leader_attended": False, "next_id": None, "next_at": None, "leader_arranged": None,
    }
    assert Deadline.objects.filter(case_id=body["id"], rule="litigation_defence").exists()
    assert response["ETag"] == '"1"'


def test_it_creates_a_case_in_the_agency_named_by_code(client_for, agency, other_agency):
    admin = member(agency, Role.ADMIN)
    response = client_for(admin).post("/api/cases/", {**NEW_CASE, "agency": "hezhou-hrss"}, format="json")

    assert response.status_code == 201, response.data
    assert Case.objects.get(pk=response.data["id"]).agency == other_agency


def test_it_refuses_a_case_in_an_agency_the_user_cannot_see(api, other_agency):
    response = api.post("/api/cases/", {**NEW_CASE, "agency": "hezhou-hrss"}, format="json")

    assert response.status_code == 400
    assert set(response.data["errors"]) == {"agency"}
    assert not Case.objects.exists()


def test_it_requires_an_instance_for_litigation_and_none_for_reconsideration(api, agency):
    no_instance = api.post("/api/cases/", {**NEW_CASE, "instance": ""}, format="json")
    recon = api.post("/api/cases/", {**NEW_CASE, "kind": "reconsideration"}, format="json")

    assert no_instance.status_code == recon.status_code == 400
    assert "instance" in no_instance.data["errors"] and "instance" in recon.data["errors"]
    assert not Case.objects.exists()


def test_it_reports_a_duplicate_case_number_as_a_field_error(api, agency):
    api.post("/api/cases/", NEW_CASE, format="json")
    response = api.post("/api/cases/", NEW_CASE, format="json")

    assert response.status_code == 400
    assert response.data["code"] == "invalid"
    assert Case.objects.count() == 1


def test_it_refuses_a_handler_of_another_agency(api, agency, other_staff, admin_user):
    response = api.post("/api/cases/", {**NEW_CASE, "handlers": [other_staff.pk]}, format="json")

    assert response.status_code == 400
    assert "handlers" in response.data["errors"]
    assert not Case.objects.exists()


def test_it_edits_a_case_and_bumps_its_version(api, agency):
    case = CaseFactory(agency=agency)
    response = api.patch(f"/api/cases/{case.pk}/", {"applicant": "李四", "version": 1}, format="json")

    assert response.status_code == 200, response.data
    case.refresh_from_db()
    assert (case.applicant, case.version) == ("李四", 2)
    assert response["ETag"] == '"2"'


def test_it_refuses_a_stale_if_match_with_412_and_saves_nothing(api, agency):
    case = CaseFactory(agency=agency, version=3)
    response = api.patch(f"/api/cases/{case.pk}/", {"applicant": "李四"}, format="json", HTTP_IF_MATCH='"2"')

    assert response.status_code == 412
    assert response.data["code"] == "precondition_failed" and response.data["current_version"] == 3
    case.refresh_from_db()
    assert (case.applicant, case.version) != ("李四", 4)
    assert case.version == 3


def test_it_refuses_a_stale_body_version_with_409_and_saves_nothing(api, agency):
    case = CaseFactory(agency=agency, version=3)
    response = api.post(
        f"/api/cases/{case.pk}/conclude/", {"outcome": "upheld", "concluded_on": "2021-05-01", "version": 2},
        format="json",
    )

    assert response.status_code == 409
    assert response.data["code"] == "stale_version"
    case.refresh_from_db()
    assert (case.status, case.version) == (Status.PENDING, 3)


def test_it_accepts_a_matching_if_match(api, agency):
    case = CaseFactory(agency=agency, version=3)
    response = api.post(f"/api/cases/{case.pk}/suspend/", {"reason": "等待另案"}, format="json", HTTP_IF_MATCH='"3"')

    assert response.status_code == 200, response.data
    assert (response.data["status"], response.data["suspended_on"], response.data["version"]) == (
        "suspended", "2021-06-01", 4,
    )


def test_it_concludes_suspends_resumes_and_reopens_through_the_services(api, agency):
    case = CaseFactory(agency=agency)
    url = f"/api/cases/{case.pk}"

    concluded = api.post(f"{url}/conclude/", {
        "outcome": "withdrawn", "concluded_on": "2021-05-20", "act_changed": True, "document_number": "(2021)桂04行初12号之一",
    }, format="json")
    assert concluded.status_code == 200, concluded.data
    assert (concluded.data["status"], concluded.data["outcome"], concluded.data["bucket"]) == (
        "concluded", "withdrawn", "withdrawn",
    )
    assert concluded.data["decision_number"] == "(2021)桂04行初12号之一"

    reopened = api.post(f"{url}/reopen/", {"reason": "结果录错"}, format="json")
    assert (reopened.status_code, reopened.data["status"], reopened.data["outcome"]) == (200, "pending", "")

    assert api.post(f"{url}/suspend/", {"reason": "中止审理", "suspended_on": "2021-05-25"}, format="json").status_code == 200
    resumed = api.post(f"{url}/resume/", {}, format="json")
    assert (resumed.status_code, resumed.data["status"], resumed.data["suspended_on"]) == (200, "pending", None)
    assert case.history.filter(history_type="~").count() == 4


def test_it_refuses_an_outcome_that_does_not_fit_the_kind(api, agency):
    case = ReconsiderationFactory(agency=agency)
    response = api.post(f"/api/cases/{case.pk}/conclude/", {"outcome": "claims_dismissed", "concluded_on": "2021-05-01"},
                        format="json")

    assert response.status_code == 400
    assert "outcome" in response.data["errors"]
    case.refresh_from_db()
    assert case.status == Status.PENDING


def test_it_names_the_document_number_field_in_errors(api, agency):
    case = CaseFactory(agency=agency)
    response = api.post(f"/api/cases/{case.pk}/conclude/", {
        "outcome": "upheld", "concluded_on": "2021-05-01", "document_number": "x" * 101,
    }, format="json")

    assert response.status_code == 400
    assert set(response.data["errors"]) == {"document_number"}


def test_it_refuses_a_conclusion_date_in_the_future(api, agency):
    case = CaseFactory(agency=agency)
    response = api.post(f"/api/cases/{case.pk}/conclude/", {"outcome": "upheld", "concluded_on": "2021-07-01"},
                        format="json")

    assert response.status_code == 400
    assert "concluded_on" in response.data["errors"]


def test_it_has_no_delete_and_archives_instead(api, agency):
    case = CaseFactory(agency=agency)

    assert api.delete(f"/api/cases/{case.pk}/").status_code == 405
    archived = api.post(f"/api/cases/{case.pk}/archive/", {"reason": "重复登记"}, format="json")
    assert archived.status_code == 200 and archived.data["archived_at"] is not None
    assert api.get("/api/cases/").data["count"] == 0
    assert api.get("/api/cases/?archived=true").data["count"] == 1
    assert api.get(f"/api/cases/{case.pk}/").status_code == 200
    assert api.post(f"/api/cases/{case.pk}/archive/", {}, format="json").status_code == 400


def test_it_lets_readers_read_but_not_write(client_for, agency, leader, viewer):
    case = CaseFactory(agency=agency)
    for user in (leader, viewer):
        client = client_for(user)
        assert client.get(f"/api/cases/{case.pk}/").status_code == 200
        assert client.patch(f"/api/cases/{case.pk}/", {"applicant": "x"}, format="json").status_code == 403
        assert client.post(f"/api/cases/{case.pk}/suspend/", {"reason": "x"}, format="json").status_code == 403
        assert client.post("/api/cases/", NEW_CASE, format="json").status_code == 403
    case.refresh_from_db()
    assert (case.version, case.status) == (1, Status.PENDING)


def test_it_shows_the_hearings_summary(api, agency, leader):
    case = CaseFactory(agency=agency)
    later = HearingFactory(case=case, scheduled_at=dt.datetime(2021, 7, 1, 9, tzinfo=dt.UTC))
    HearingFactory(case=case, scheduled_at=dt.datetime(2021, 6, 10, 9, tzinfo=dt.UTC), expected_leader=leader)
    HearingFactory(case=case, scheduled_at=dt.datetime(2021, 5, 10, 9, tzinfo=dt.UTC), status="held",
                   bureau_appeared=True, responsible_person=leader)

    summary = api.get(f"/api/cases/{case.pk}/").data["hearings"]

    assert (summary["count"], summary["held"], summary["leader_attended"]) == (3, 1, True)
    assert summary["next_at"].startswith("2021-06-10") and summary["leader_arranged"] is True
    assert summary["next_id"] != later.pk


def test_it_replaces_a_case_with_put(api, agency):
    case = CaseFactory(agency=agency)
    response = api.put(f"/api/cases/{case.pk}/", {**NEW_CASE, "number": "(2021)桂04行初99号"}, format="json")

    assert response.status_code == 200, response.data
    case.refresh_from_db()
    assert case.number == "(2021)桂04行初99号" and case.number_year == 2021


def test_it_refuses_moving_a_case_to_another_agency(client_for, agency, other_agency, admin_user):
    case = CaseFactory(agency=agency)
    response = client_for(admin_user).patch(f"/api/cases/{case.pk}/", {"agency": "hezhou-hrss"}, format="json")

    assert response.status_code == 400 and "agency" in response.data["errors"]


@time_machine.travel(dt.datetime(2021, 7, 1, 10, 0, tzinfo=dt.UTC), tick=False)
def test_the_case_lists_every_suspension_with_the_days_it_extends_the_courts_limit(api, agency):
    case = CaseFactory(agency=agency, received_on=dt.date(2021, 5, 10))
    url = f"/api/cases/{case.pk}"
    api.post(f"{url}/suspend/", {"reason": "等待另案审结", "suspended_on": "2021-05-25"}, format="json")
    api.post(f"{url}/resume/", {"resumed_on": "2021-06-04", "reason": "另案已审结"}, format="json")
    suspended = api.post(f"{url}/suspend/", {"reason": "当事人死亡", "suspended_on": "2021-06-10"}, format="json")

    assert suspended.data["suspensions"] == [
        {"suspended_on": "2021-05-25", "reason": "等待另案审结", "resumed_on": "2021-06-04",
         "resume_note": "另案已审结", "days": 10},
        {"suspended_on": "2021-06-10", "reason": "当事人死亡", "resumed_on": None, "resume_note": "", "days": 0},
    ]
    assert api.get(f"{url}/").data["suspensions"] == suspended.data["suspensions"]
