"""/api/hearings/, /api/deadlines/ and /api/deadline-rules/: writes through the services."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.choices import HearingStatus, Role
from cases.models import Deadline, Hearing, HolidayOverride
from cases.services.calendar import invalidate_calendar
from tests.factories import CaseFactory, HearingFactory, member

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2021, 6, 1, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def _past_hearing(agency, **fields):
    return HearingFactory(case=CaseFactory(agency=agency), scheduled_at=NOW - dt.timedelta(days=1), **fields)


def test_it_schedules_a_hearing_with_the_leader_arranged(api, agency, leader):
    case = CaseFactory(agency=agency)
    response = api.post("/api/hearings/", {
        "case": case.pk, "scheduled_at": "2021-06-20T09:30:00+08:00", "place": "第三审判庭",
        "expected_leader": leader.pk,
    }, format="json")

    assert response.status_code == 201, response.data
    assert (response.data["status"], response.data["expected_leader"], response.data["version"]) == (
        "scheduled", leader.pk, 1,
    )
    assert api.get(f"/api/cases/{case.pk}/").data["hearings"]["leader_arranged"] is True


def test_it_refuses_a_leader_who_does_not_count_as_responsible(api, agency, viewer):
    case = CaseFactory(agency=agency)
    response = api.post("/api/hearings/", {
        "case": case.pk, "scheduled_at": "2021-06-20T09:30:00+08:00", "expected_leader": viewer.pk,
    }, format="json")

    assert response.status_code == 400 and "expected_leader" in response.data["errors"]
    assert not Hearing.objects.exists()


def test_it_refuses_a_hearing_in_year_one(api, agency):
    case = CaseFactory(agency=agency)
    response = api.post("/api/hearings/", {"case": case.pk, "scheduled_at": "0001-01-01T00:00:00"}, format="json")

    assert response.status_code == 400 and "scheduled_at" in response.data["errors"]


def test_it_reschedules_through_patch(api, agency):
    hearing = HearingFactory(case=CaseFactory(agency=agency))
    response = api.patch(f"/api/hearings/{hearing.pk}/", {"place": "第五审判庭"}, format="json",
                         HTTP_IF_MATCH='"1"')

    assert response.status_code == 200, response.data
    assert (response.data["place"], response.data["version"], response["ETag"]) == ("第五审判庭", 2, '"2"')


def test_it_refuses_a_stale_reschedule(api, agency):
    hearing = HearingFactory(case=CaseFactory(agency=agency), version=2)
    response = api.patch(f"/api/hearings/{hearing.pk}/", {"place": "x", "version": 1}, format="json")

    assert response.status_code == 409
    hearing.refresh_from_db()
    assert hearing.place == "第一审判庭"


def test_it_records_attendance_of_a_responsible_person(api, agency, leader, staff):
    hearing = _past_hearing(agency)
    response = api.post(f"/api/hearings/{hearing.pk}/record/", {
        "responsible_person": leader.pk, "staff": [staff.pk], "lawyer_names": "王律师",
    }, format="json")

    assert response.status_code == 200, response.data
    assert (response.data["status"], response.data["bureau_appeared"], response.data["leader_attended"]) == (
        "held", True, True,
    )
    assert response.data["attending_staff"] == [staff.pk]


def test_it_records_an_absence_with_proof_as_multipart(api, agency, staff):
    hearing = _past_hearing(agency)
    proof = SimpleUploadedFile("proof.pdf", b"%PDF-1.4 sealed", content_type="application/pdf")
    response = api.post(f"/api/hearings/{hearing.pk}/record/", {
        "staff": [staff.pk], "absence_reason": "official_duty", "absence_detail": "参加省厅会议",
        "absence_proof": proof,
    }, format="multipart")

    assert response.status_code == 200, response.data
    assert response.data["leader_attended"] is False
    assert response.data["absence_proof"] == f"http://testserver/api/hearings/{hearing.pk}/proof/"
    download = api.get(response.data["absence_proof"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 sealed"


def test_the_proof_address_in_the_api_is_refused_to_another_agency(api, agency, staff, other_staff):
    hearing = _past_hearing(agency)
    proof = SimpleUploadedFile("proof.pdf", b"%PDF-1.4 sealed", content_type="application/pdf")
    url = api.post(f"/api/hearings/{hearing.pk}/record/", {
        "staff": [staff.pk], "absence_reason": "official_duty", "absence_proof": proof,
    }, format="multipart").data["absence_proof"]
    api.force_authenticate(other_staff)
    assert api.get(url).status_code == 404


def test_it_refuses_an_absence_without_reason_or_proof(api, agency, staff):
    hearing = _past_hearing(agency)
    response = api.post(f"/api/hearings/{hearing.pk}/record/", {"staff": [staff.pk]}, format="json")

    assert response.status_code == 400
    assert {"absence_reason", "absence_proof"} <= set(response.data["errors"])
    hearing.refresh_from_db()
    assert (hearing.status, hearing.version) == (HearingStatus.SCHEDULED, 1)


def test_it_postpones_and_cancels(api, agency):
    hearing = HearingFactory(case=CaseFactory(agency=agency))
    postponed = api.post(f"/api/hearings/{hearing.pk}/postpone/", {"reason": "法院通知延期"}, format="json")
    cancelled = api.post(f"/api/hearings/{hearing.pk}/cancel/", {"reason": "原告撤诉"}, format="json")

    assert (postponed.status_code, postponed.data["status"]) == (200, "postponed")
    assert (cancelled.status_code, cancelled.data["status"]) == (200, "cancelled")
    assert api.post(f"/api/hearings/{hearing.pk}/postpone/", {"reason": "x"}, format="json").status_code == 400


def test_it_has_no_hearing_delete(api, agency):
    hearing = HearingFactory(case=CaseFactory(agency=agency))
    assert api.delete(f"/api/hearings/{hearing.pk}/").status_code == 405


def test_it_adds_completes_and_waives_deadlines(api, agency):
    case = CaseFactory(agency=agency)
    added = api.post("/api/deadlines/", {"case": case.pk, "title": "补充证据", "due_on": "2021-06-10"}, format="json")
    assert added.status_code == 201, added.data
    assert (added.data["rule"], added.data["urgency"], added.data["title"]) == ("manual", "later", "补充证据")

    completed = api.post(f"/api/deadlines/{added.data['id']}/complete/", {"note": "已提交"}, format="json")
    assert (completed.status_code, completed.data["status"], completed.data["urgency"]) == (200, "met", None)
    assert api.post(f"/api/deadlines/{added.data['id']}/waive/", {"note": "x"}, format="json").status_code == 400

    second = api.post("/api/deadlines/", {"case": case.pk, "title": "庭前交换证据", "due_on": "2021-06-03"},
                      format="json")
    assert second.data["urgency"] == "due_3_working_days"
    assert api.post(f"/api/deadlines/{second.data['id']}/waive/", {}, format="json").status_code == 400
    waived = api.post(f"/api/deadlines/{second.data['id']}/waive/", {"note": "法院取消"}, format="json")
    assert (waived.status_code, waived.data["status"], waived.data["close_note"]) == (200, "waived", "法院取消")


def test_it_refuses_a_manual_deadline_without_a_title(api, agency):
    case = CaseFactory(agency=agency)
    response = api.post("/api/deadlines/", {"case": case.pk, "title": "  ", "due_on": "2021-06-10"}, format="json")

    assert response.status_code == 400 and "title" in response.data["errors"]
    assert not Deadline.objects.exists()


def test_it_lists_the_d9_rules(api):
    rules = api.get("/api/deadline-rules/").data

    assert len(rules) == 18
    assert rules[0]["code"] == "reconsideration_reply" and rules[0]["unit"] == "working_days"
    defence = api.get("/api/deadline-rules/litigation_defence/").data
    assert defence["basis"] == "《行政诉讼法》第六十七条：收到起诉状副本之日起十五日内提交答辩状"
    assert [(v["version"], v["valid_from"], v["valid_until"], v["length"]) for v in defence["versions"]] == [
        ("ALL-1989", None, "2015-04-30", 10), ("ALL-2014", "2015-05-01", None, 15),
    ]


def test_it_computes_a_2021_reply_under_the_old_law_in_ten_calendar_days(api):
    response = api.get("/api/deadline-rules/reconsideration_reply/compute/?trigger=2021-09-28")

    assert response.status_code == 200
    assert response.data == {
        "rule": "reconsideration_reply", "version": "ARL-1999", "trigger": "2021-09-28", "due": "2021-10-08",
        "provisional": False,
        "basis": "《行政复议法》（1999年）第二十三条：自收到申请书副本或者申请笔录复印件之日起十日内提出书面答复",
    }


def test_it_computes_a_reply_over_the_national_day_holiday_in_working_days_from_2024(api):
    response = api.get("/api/deadline-rules/reconsideration_reply/compute/?trigger=2024-09-27")

    assert (response.data["due"], response.data["version"]) == ("2024-10-16", "ARL-2023")


def test_it_answers_a_rule_not_yet_in_force_with_400_and_the_cli_reason(api):
    response = api.get("/api/deadline-rules/reconsideration_reply_simplified/compute/?trigger=2019-04-26")

    assert response.status_code == 400
    assert "reconsideration_reply_simplified was not in force on 2019-04-26: it applies from 2024-01-01." in str(
        response.data
    )


def test_it_computes_on_the_administrators_calendar(api, admin_user):
    before = api.get("/api/deadline-rules/litigation_defence/compute/?trigger=2021-03-01").data["due"]
    HolidayOverride.objects.create(date=dt.date(2021, 3, 16), is_working=False, note="地方假日", created_by=admin_user)
    invalidate_calendar()
    after = api.get("/api/deadline-rules/litigation_defence/compute/?trigger=2021-03-01").data["due"]

    assert (before, after) == ("2021-03-16", "2021-03-17")


@pytest.mark.parametrize("trigger", ["2021-02-30", "not-a-date", "", "1999-01-01", "9999-12-31", "2021-01-01\x00"])
def test_it_answers_a_bad_trigger_with_400(api, trigger):
    response = api.get("/api/deadline-rules/litigation_defence/compute/", {"trigger": trigger})

    assert response.status_code == 400
    assert "trigger" in response.data["errors"]


def test_it_answers_an_unknown_rule_with_404(api):
    response = api.get("/api/deadline-rules/no_such_rule/compute/?trigger=2021-03-01")

    assert response.status_code == 404 and response.data["code"] == "not_found"


def test_it_lets_a_viewer_compute_but_not_add_deadlines(client_for, agency):
    viewer = member(agency, Role.VIEWER)
    case = CaseFactory(agency=agency)
    client = client_for(viewer)

    assert client.get("/api/deadline-rules/litigation_defence/compute/?trigger=2021-03-01").status_code == 200
    assert client.post("/api/deadlines/", {"case": case.pk, "title": "x", "due_on": "2021-06-10"},
                       format="json").status_code == 403


def test_it_refuses_an_absence_proof_over_twenty_megabytes(api, agency, staff):
    hearing = _past_hearing(agency)
    too_big = SimpleUploadedFile("proof.pdf", b"%PDF" + b"x" * (20 * 1024 * 1024), content_type="application/pdf")
    response = api.post(f"/api/hearings/{hearing.pk}/record/", {
        "staff": [staff.pk], "absence_reason": "official_duty", "absence_proof": too_big,
    }, format="multipart")

    assert response.status_code == 400
    assert response.data["errors"]["absence_proof"] == ["文件不能超过 20 MB。"]
    hearing.refresh_from_db()
    assert (hearing.status, hearing.version) == (HearingStatus.SCHEDULED, 1)
