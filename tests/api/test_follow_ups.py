"""/api/follow-ups/ and the grounds on /api/cases/{id}/conclude/ (D11, D12)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cases.choices import Status
from cases.models import Case, CaseGround, FollowUp
from tests.factories import CaseFactory, ReconsiderationFactory

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
FIELDS = ["type", "issuing_body", "document_number", "received_on", "case", "summary", "due_on", "answered_on",
          "status"]
LETTER = {"type": "opinion_letter", "issuing_body": "梧州市人民政府", "document_number": "梧府复意〔2025〕1号",
          "received_on": "2025-03-03", "summary": "建议规范工伤认定送达程序"}


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2025, 6, 30, 9, tzinfo=TZ), tick=False):
        yield


def test_it_logs_a_letter_and_computes_its_reply_deadline(api, agency):
    response = api.post("/api/follow-ups/", LETTER, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(FIELDS) <= set(body)
    assert (body["due_on"], body["status"], body["agency"], body["case"]) == ("2025-05-06", "open", agency.code, None)


def test_it_keeps_a_due_date_the_letter_sets(api):
    body = api.post("/api/follow-ups/", {**LETTER, "due_on": "2025-04-15"}, format="json").json()
    assert (body["due_on"], body["due_given"]) == ("2025-04-15", True)


def test_it_answers_a_letter_late_after_its_deadline(api, agency):
    letter = api.post("/api/follow-ups/", LETTER, format="json").json()
    response = api.post(f"/api/follow-ups/{letter['id']}/answer/",
                        {"answered_on": "2025-05-07", "reply_document_number": "梧人社函〔2025〕9号"}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["answered_on"]) == ("answered_late", "2025-05-07")


def test_it_filters_by_type_status_and_overdue(api, agency):
    open_one = api.post("/api/follow-ups/", LETTER, format="json").json()
    answered = api.post("/api/follow-ups/", {**LETTER, "answered_on": "2025-04-01"}, format="json").json()
    assert answered["status"] == "answered"
    overdue = api.get("/api/follow-ups/", {"overdue": "true"}).json()["results"]
    assert [row["id"] for row in overdue] == [open_one["id"]]
    assert api.get("/api/follow-ups/", {"status": "answered"}).json()["count"] == 1
    assert api.get("/api/follow-ups/", {"type": "judicial_recommendation"}).json()["count"] == 0


def test_it_patches_only_the_fields_sent(api):
    letter = api.post("/api/follow-ups/", {**LETTER, "due_on": "2025-04-15"}, format="json").json()
    body = api.patch(f"/api/follow-ups/{letter['id']}/", {"summary": "新内容"}, format="json").json()
    assert (body["summary"], body["due_on"], body["version"]) == ("新内容", "2025-04-15", 2)


def test_delete_archives_the_letter_and_leaves_it_out_of_the_list(api):
    letter = api.post("/api/follow-ups/", LETTER, format="json").json()
    assert api.delete(f"/api/follow-ups/{letter['id']}/").status_code == 204
    assert api.get("/api/follow-ups/").json()["count"] == 0
    assert FollowUp.objects.get(pk=letter["id"]).archived_at is not None


def test_it_refuses_bad_input_with_field_errors_and_saves_nothing(api, other_agency):
    theirs = ReconsiderationFactory(agency=other_agency)
    for body, field in [({**LETTER, "type": "memo"}, "type"), ({**LETTER, "case": theirs.pk}, "case"),
                        ({**LETTER, "received_on": "2025-07-01"}, "received_on"),
                        ({**LETTER, "due_on": "2025-03-01"}, "due_on")]:
        response = api.post("/api/follow-ups/", body, format="json")
        assert response.status_code == 400, body
        assert field in response.json()["errors"], response.json()
    assert not FollowUp.objects.exists()


def test_a_leader_reads_but_cannot_write_follow_ups(client_for, api, leader):
    letter = api.post("/api/follow-ups/", LETTER, format="json").json()
    client = client_for(leader)
    assert client.get(f"/api/follow-ups/{letter['id']}/").status_code == 200
    assert client.post("/api/follow-ups/", LETTER, format="json").status_code == 403
    url = f"/api/follow-ups/{letter['id']}/"
    for method, path, body in [("patch", url, {"summary": "x"}), ("put", url, LETTER), ("delete", url, {}),
                               ("post", url + "answer/", {"answered_on": "2025-04-01"})]:
        assert getattr(client, method)(path, body, format="json").status_code == 403, (method, path)
    assert FollowUp.objects.get().version == 1


def test_another_agencys_follow_up_is_a_404_for_every_method(client_for, other_staff, staff):
    theirs = client_for(other_staff).post("/api/follow-ups/", LETTER, format="json").json()
    client = client_for(staff)
    url = f"/api/follow-ups/{theirs['id']}/"
    for method, path in [("get", url), ("patch", url), ("put", url), ("delete", url), ("post", url + "answer/")]:
        assert getattr(client, method)(path, {}, format="json").status_code == 404, (method, path)


# --- grounds on the conclude action ------------------------------------------------------------


def test_concluding_as_lost_without_grounds_is_refused(api, agency):
    case = CaseFactory(agency=agency)
    response = api.post(f"/api/cases/{case.pk}/conclude/", {"outcome": "revoked", "concluded_on": "2025-06-01"},
                        format="json")
    assert response.status_code == 400
    assert "grounds" in response.json()["errors"]
    assert Case.objects.get(pk=case.pk).status == Status.PENDING


def test_concluding_as_lost_with_grounds_saves_them_and_shows_them(api, agency):
    case = CaseFactory(agency=agency)
    response = api.post(f"/api/cases/{case.pk}/conclude/", {
        "outcome": "revoked", "concluded_on": "2025-06-01", "grounds": ["wrong_law", "illegal_procedure"],
    }, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["grounds"] == ["wrong_law", "illegal_procedure"]
    assert set(CaseGround.objects.values_list("ground", flat=True)) == {"wrong_law", "illegal_procedure"}


def test_an_unknown_ground_is_a_400(api, agency):
    case = CaseFactory(agency=agency)
    response = api.post(f"/api/cases/{case.pk}/conclude/", {
        "outcome": "revoked", "concluded_on": "2025-06-01", "grounds": ["bad_luck"]}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["grounds.0"]


def test_grounds_of_an_old_case_are_filled_in_and_it_leaves_the_missing_filter(api, agency):
    old = CaseFactory(agency=agency, status=Status.CONCLUDED, outcome="revoked", concluded_on=dt.date(2024, 5, 1))
    assert [c["id"] for c in api.get("/api/cases/", {"grounds_missing": "true"}).json()["results"]] == [old.pk]
    response = api.post(f"/api/cases/{old.pk}/grounds/", {"grounds": ["abuse_of_power"]}, format="json")
    assert response.status_code == 200 and response.json()["grounds"] == ["abuse_of_power"]
    assert api.get("/api/cases/", {"grounds_missing": "true"}).json()["count"] == 0
    assert api.get("/api/cases/", {"ground": "abuse_of_power"}).json()["count"] == 1


def test_a_leader_cannot_fill_in_grounds(client_for, leader, agency):
    old = CaseFactory(agency=agency, status=Status.CONCLUDED, outcome="revoked", concluded_on=dt.date(2024, 5, 1))
    response = client_for(leader).post(f"/api/cases/{old.pk}/grounds/", {"grounds": ["wrong_law"]}, format="json")
    assert response.status_code == 403 and not CaseGround.objects.exists()
