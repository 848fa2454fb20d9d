"""Token auth, the one error shape, languages, and inputs that must never give a 500."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from cases.models import Case
from tests.factories import CaseFactory, HearingFactory

pytestmark = pytest.mark.django_db


def test_it_issues_a_token_for_username_and_password(staff, agency):
    client = APIClient()
    response = client.post("/api/auth/token/", {"username": "staff", "password": "pw-for-tests"}, format="json")

    assert response.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get("/api/cases/").status_code == 200


def test_it_refuses_a_wrong_password_in_the_error_shape(staff):
    response = APIClient().post("/api/auth/token/", {"username": "staff", "password": "nope"}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"detail", "code", "errors"}
    assert "non_field_errors" in response.json()["errors"]


def test_it_asks_anonymous_scripts_for_a_token(db):
    response = APIClient().get("/api/cases/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"


def test_it_answers_in_chinese_by_default_and_english_on_request(api, agency):
    zh = api.post("/api/cases/", {}, format="json")
    en = api.post("/api/cases/", {}, format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert zh.json()["errors"]["number"] == ["该字段是必填项。"]
    assert en.json()["errors"]["number"] == ["This field is required."]


def test_it_answers_malformed_json_with_400(api, agency):
    response = api.generic("POST", "/api/cases/", '{"kind": ', content_type="application/json")

    assert response.status_code == 400 and response.json()["code"] == "parse_error"


@pytest.mark.parametrize("payload", [
    {"number": "(2021)\x00号"},
    {"number_year": 10**30},
    {"number_year": -1},
    {"received_on": "2021-02-30"},
    {"received_on": "1999-01-01"},
    {"kind": "no_such_kind"},
    {"agency": "no-such-agency"},
    {"agency": "x\x00"},
    {"agency": 12},
    {"handlers": [10**30]},
    {"handlers": "1"},
    {"previous": 10**30},
    {"previous": True},
    {"applicant": ["a list"]},
    {"notes": "长" * 10_001},
    {"co_defendant": "maybe"},
])
def test_it_refuses_bad_case_input_with_400_and_saves_nothing(api, agency, payload):
    base = {"kind": "litigation", "instance": "first", "number": "(2021)桂04行初1号", "reviewing_body": "法院",
            "applicant": "张三", "subject": "other", "received_on": "2021-03-01"}
    response = api.post("/api/cases/", {**base, **payload}, format="json")

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid" and response.json()["errors"]
    assert not Case.objects.exists()


@pytest.mark.parametrize("query", [
    "page=99999999999999999999", "page=abc", "page_size=100000000000000000000", "year=99999999999",
    "year=abc", "received_after=2021-13-01", "handler=99999999999999999999", "q=%00", "agency=%00",
    "status=unknown", "ordering=-nonexistent", "due_before=0000-01-01", "bucket=nope", "hearing_after=9999-99-99",
])
def test_it_never_answers_a_bad_filter_with_a_500(api, agency, query):
    CaseFactory(agency=agency)
    response = api.get(f"/api/cases/?{query}")

    assert response.status_code in (200, 400, 404), response.content
    assert set(response.json()) >= ({"detail", "code", "errors"} if response.status_code >= 400 else {"results"})


@pytest.mark.parametrize("path", ["/api/cases/99999999999999999999/", "/api/cases/abc/", "/api/hearings/-1/",
                                  "/api/people/99999999999999999999/", "/api/agencies/%00/"])
def test_it_answers_impossible_ids_with_404(api, agency, path):
    assert api.get(path).status_code == 404


def test_it_refuses_an_oversized_reason(api, agency):
    case = CaseFactory(agency=agency)
    response = api.post(f"/api/cases/{case.pk}/suspend/", {"reason": "因" * 1001}, format="json")

    assert response.status_code == 400 and "reason" in response.json()["errors"]
    case.refresh_from_db()
    assert case.status == "pending"


def test_it_keeps_a_long_reason_whole_in_the_history(api, agency):
    case = CaseFactory(agency=agency)
    reason = "等待相关民事案件审理结果" * 40
    response = api.post(f"/api/cases/{case.pk}/suspend/", {"reason": reason}, format="json")

    assert response.status_code == 200
    assert reason in case.history.latest().history_change_reason


def test_it_refuses_a_malformed_if_match_with_412(api, agency):
    case = CaseFactory(agency=agency)
    response = api.patch(f"/api/cases/{case.pk}/", {"applicant": "x"}, format="json", HTTP_IF_MATCH="garbage")

    assert response.status_code == 412
    case.refresh_from_db()
    assert case.version == 1


def test_it_accepts_if_match_star_and_weak_tags(api, agency):
    case = CaseFactory(agency=agency)
    star = api.patch(f"/api/cases/{case.pk}/", {"applicant": "x"}, format="json", HTTP_IF_MATCH="*")
    weak = api.patch(f"/api/cases/{case.pk}/", {"applicant": "y"}, format="json", HTTP_IF_MATCH='W/"2"')

    assert (star.status_code, weak.status_code, weak.json()["version"]) == (200, 200, 3)


def test_it_refuses_a_staff_id_in_a_record_that_is_not_a_list(api, agency):
    with time_machine.travel(dt.datetime(2030, 1, 1, tzinfo=dt.UTC)):
        hearing = HearingFactory(case=CaseFactory(agency=agency), scheduled_at=dt.datetime(2029, 1, 1, tzinfo=dt.UTC))
        response = api.post(f"/api/hearings/{hearing.pk}/record/", {"staff": {"a": 1}}, format="json")

    assert response.status_code == 400 and "staff" in response.json()["errors"]
