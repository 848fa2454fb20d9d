"""The 跟进事项 pages and corrective actions on the case page: filters, export, scoping, leaders read only."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from cases.choices import Status
from cases.models import CorrectiveAction, FollowUp
from cases.services.corrective_actions import corrective_action_create
from cases.services.followups import follow_up_create
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2025, 6, 30, 9, tzinfo=TZ), tick=False):
        yield


def letter(agency, staff, **fields):
    values = dict(type="procuratorial_recommendation", issuing_body="梧州市人民检察院", document_number="梧检行建〔2025〕1号",
                  received_on=dt.date(2025, 3, 10))
    return follow_up_create(agency=agency, by=staff, **{**values, **fields})


@pytest.fixture
def world(agency, staff):
    case = CaseFactory(agency=agency, status=Status.CONCLUDED, outcome="revoked", concluded_on=dt.date(2025, 3, 1))
    overdue = letter(agency, staff)
    answered = letter(agency, staff, type="judicial_recommendation", issuing_body="梧州市中级人民法院",
                      document_number="司建2号", answered_on=dt.date(2025, 3, 20))
    action = corrective_action_create(case=case, by=staff, description="规范送达", responsible_unit="工伤保险科",
                                      due_on=dt.date(2025, 8, 1))
    return {"case": case, "overdue": overdue, "answered": answered, "action": action}


def routes(w):
    """(method, url) of every new page route that names an object."""
    f, case, action = w["overdue"].pk, w["case"].pk, w["action"].pk
    return [
        ("get", reverse("follow-up-edit", args=[f])), ("post", reverse("follow-up-edit", args=[f])),
        ("get", reverse("follow-up-answer-page", args=[f])), ("post", reverse("follow-up-answer-page", args=[f])),
        ("get", reverse("follow-up-action-create", args=[f])), ("post", reverse("follow-up-action-create", args=[f])),
        ("get", reverse("case-action-create", args=[case])), ("post", reverse("case-action-create", args=[case])),
        ("get", reverse("corrective-action-done-page", args=[action])),
        ("post", reverse("corrective-action-done-page", args=[action])),
        ("get", reverse("case-grounds-page", args=[case])), ("post", reverse("case-grounds-page", args=[case])),
    ]


def test_the_list_filters_by_type_status_and_overdue(staff_client, world):
    page = staff_client.get(reverse("follow-up-list"), {"overdue": "true"}).content.decode()
    assert "梧检行建〔2025〕1号" in page and "司建2号" not in page
    page = staff_client.get(reverse("follow-up-list"), {"status": "answered"}).content.decode()
    assert "司建2号" in page and "梧检行建〔2025〕1号" not in page
    page = staff_client.get(reverse("follow-up-list"), {"type": "judicial_recommendation"}).content.decode()
    assert "司建2号" in page and "梧检行建〔2025〕1号" not in page


def test_the_export_has_a_row_per_filtered_letter(staff_client, world):
    response = staff_client.get(reverse("follow-up-export"), {"overdue": "true"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("类型", "发出机关", "文号")
    assert [r[2] for r in rows[1:]] == ["梧检行建〔2025〕1号"]
    assert rows[1][6].date() == dt.date(2025, 5, 12)


def test_staff_log_answer_and_add_an_action_through_the_pages(staff_client, agency, world):
    response = staff_client.post(reverse("follow-up-create"), {
        "type": "opinion_letter", "issuing_body": "梧州市人民政府", "received_on": "2025-03-03"})
    assert response.status_code == 302
    created = FollowUp.objects.get(type="opinion_letter")
    assert created.due_on == dt.date(2025, 5, 6)
    response = staff_client.post(reverse("follow-up-answer-page", args=[created.pk]),
                                 {"answered_on": "2025-05-07", "version": created.version})
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.status == "answered_late"
    response = staff_client.post(reverse("case-action-create", args=[world["case"].pk]), {
        "description": "修订调查规程", "responsible_unit": "法规科", "due_on": "2025-09-30"})
    assert response.status_code == 302
    assert CorrectiveAction.objects.filter(description="修订调查规程", deadline__isnull=False).exists()


def test_a_bad_letter_shows_field_errors_and_saves_nothing(staff_client):
    response = staff_client.post(reverse("follow-up-create"), {
        "type": "opinion_letter", "issuing_body": "梧州市人民政府", "received_on": "2025-07-03"})
    assert response.status_code == 200
    assert "received_on" in response.context["form"].errors
    assert not FollowUp.objects.filter(type="opinion_letter").exists()


def test_a_leader_reads_the_list_and_case_page_but_every_write_route_is_403(client, leader, world):
    client.force_login(leader)
    assert "梧检行建〔2025〕1号" in client.get(reverse("follow-up-list")).content.decode()
    assert client.get(reverse("follow-up-export")).status_code == 200
    page = client.get(reverse("case-detail-page", args=[world["case"].pk])).content.decode()
    assert "规范送达" in page and reverse("case-action-create", args=[world["case"].pk]) not in page
    assert client.get(reverse("follow-up-create")).status_code == 403
    for method, url in routes(world):
        assert getattr(client, method)(url).status_code == 403, (method, url)
    assert FollowUp.objects.get(pk=world["overdue"].pk).version == 1


def test_another_agencys_objects_are_404_on_every_route_and_absent_from_the_list(client, other_staff, world):
    client.force_login(other_staff)
    for method, url in routes(world):
        assert getattr(client, method)(url).status_code == 404, (method, url)
    assert "梧检行建" not in client.get(reverse("follow-up-list")).content.decode()
    rows = list(load_workbook(io.BytesIO(client.get(reverse("follow-up-export")).content)).active.iter_rows())
    assert len(rows) == 1


def test_anonymous_visitors_are_sent_to_the_login(client, world):
    for url in (reverse("follow-up-list"), reverse("follow-up-export"), reverse("follow-up-create")):
        assert client.get(url).status_code == 302


def test_the_dashboard_shows_open_follow_ups_grounds_and_losses_without_grounds(client, leader, agency, staff, world):
    from cases.services.cases import case_conclude

    lost = CaseFactory(agency=agency)
    case_conclude(case=lost, outcome="revoked", concluded_on=dt.date(2025, 6, 1), by=staff, grounds=["wrong_law"])
    client.force_login(leader)
    page = client.get(reverse("dashboard"), {"year": 2025}).content.decode()
    assert "梧检行建〔2025〕1号" in page and "司建2号" not in page  # open ones only
    assert "适用法律、法规错误" in page
    assert world["case"].number in page  # the old loss without grounds is listed
