"""Audit of issue 7's pages: every page of a case is a 404 to another agency (generated from the URLs),
the case page shows each of its sections, errors sit next to their field, and the .ics feed is valid text."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.choices import HearingStatus, Kind, Status, Subject
from cases.models import CalendarFeedToken, Case, CorrectiveAction, Document, EvidenceItem, FollowUp, LedgerImport
from cases.models.reminders import Notification
from cases.web import urls as web_urls
from tests.factories import CaseFactory, DeadlineFactory, HearingFactory, ReconsiderationFactory

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2025, 9, 15, 9, 0, tzinfo=dt.UTC)

#: URL-name prefix -> the kind of object its <pk> names (notifications belong to a user, not an agency).
OBJECT_OF = {"case": "case", "hearing": "hearing", "deadline": "deadline", "document": "document",
             "notification": "notification", "ledger": "ledger_import", "evidence": "evidence",
             "follow": "follow_up", "corrective": "corrective_action"}
WITH_PK = [p for p in web_urls.urlpatterns if "pk" in p.pattern.converters]


def _object(kind: str, agency, owner):
    case = CaseFactory(agency=agency)
    if kind == "case":
        return case
    if kind == "hearing":
        return HearingFactory(case=case, scheduled_at=TODAY - dt.timedelta(days=1))
    if kind == "deadline":
        return DeadlineFactory(case=case)
    if kind == "evidence":
        return EvidenceItem.objects.create(case=case, position=1, name="调查笔录")
    if kind == "document":
        return Document.objects.create(case=case, title="答辩状", file=SimpleUploadedFile("a.pdf", b"%PDF"),
                                       uploaded_by=owner)
    if kind == "ledger_import":
        return LedgerImport.objects.create(agency=agency, created_by=owner, filename="台账.xlsx", file="台账.xlsx")
    if kind in ("follow_up", "corrective_action"):
        letter = FollowUp.objects.create(agency=agency, type="procuratorial_recommendation", issuing_body="检察院",
                                         received_on=dt.date(2025, 3, 10), due_on=dt.date(2025, 5, 12))
        if kind == "follow_up":
            return letter
        return CorrectiveAction.objects.create(agency=agency, follow_up=letter, description="整改",
                                               responsible_unit="法规科", due_on=dt.date(2025, 8, 1))
    return Notification.objects.create(recipient=owner, title="提醒", url=f"/cases/{case.pk}/")


def test_it_knows_the_object_of_every_page_with_an_id():
    assert {p.name.split("-")[0] for p in WITH_PK} <= set(OBJECT_OF)


@time_machine.travel(TODAY)
@pytest.mark.parametrize("pattern", WITH_PK, ids=lambda p: p.name)
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_answers_404_for_every_page_of_another_agencys_object(client, agency, staff, other_staff, pattern, method):
    obj = _object(OBJECT_OF[pattern.name.split("-")[0]], agency, staff)
    client.force_login(other_staff)

    url = reverse(pattern.name, args=[obj.pk])
    response = getattr(client, method)(url, {"reason": "x", "title": "x"})

    assert response.status_code in (404, 405), (pattern.name, response.status_code)
    if response.status_code == 405:  # the page takes only the other method: by that one it is the 404
        other = "post" if method == "get" else "get"
        assert getattr(client, other)(url, {"reason": "x", "title": "x"}).status_code == 404


@time_machine.travel(TODAY)
def test_it_shows_every_section_of_the_case_page(staff_client, agency, staff, leader):
    recon = ReconsiderationFactory(agency=agency, number="梧政复〔2025〕3号", status=Status.CONCLUDED,
                                   outcome="upheld", concluded_on=dt.date(2025, 3, 1), received_on=dt.date(2025, 1, 5))
    case = CaseFactory(agency=agency, previous=recon, number="(2025)桂04行初9号", applicant="黄某某",
                       third_parties="某公司", reviewing_body="梧州市中级人民法院", act_description="工伤认定决定",
                       subject=Subject.WORK_INJURY, received_on=dt.date(2025, 9, 1))
    case.handlers.set([staff])
    DeadlineFactory(case=case, title="提交答辩状及证据", due_on=dt.date(2025, 9, 16))
    HearingFactory(case=case, scheduled_at=TODAY + dt.timedelta(days=5), place="第三审判庭", expected_leader=leader)
    Document.objects.create(case=case, title="起诉状副本", file=SimpleUploadedFile("c.pdf", b"%PDF"), uploaded_by=staff)

    html = staff_client.get(reverse("case-detail-page", args=[case.pk])).content.decode()

    for text in ("梧州市中级人民法院", "工伤认定决定", "工伤认定",  # facts
                 "黄某某", "某公司",  # parties
                 "梧政复〔2025〕3号",  # chain
                 "提交答辩状及证据", "urgency-due3",  # deadlines, coloured
                 "第三审判庭",  # hearings
                 "起诉状副本"):  # documents
        assert text in html, text
    assert re.search(r'data-testid="timeline">\s*<li', html)
    assert re.search(r'data-testid="history">\s*<li', html)


def test_it_puts_a_field_error_inside_that_fields_box(staff_client):
    response = staff_client.post(reverse("case-create"), {
        "kind": Kind.LITIGATION, "litigation_instance": "first", "procedure": "ordinary", "number": "(2025)桂04行初1号",
        "reviewing_body": "法院", "applicant": "", "subject": Subject.OTHER, "received_on": "2025-02-30",
    })
    html = response.content.decode()

    for field in ("received_on", "applicant"):
        box = re.search(rf'<div class="field has-error[^"]*" data-field="{field}">(.*?)</div>', html, re.S)
        assert box, field
        assert f'id="id_{field}-error"' in box.group(1)
    assert not Case.objects.exists()


@time_machine.travel(TODAY)
def test_it_serves_a_feed_of_valid_content_lines_even_from_pasted_text(client, agency, staff):
    case = CaseFactory(agency=agency, number="(2025)桂04行初9号", applicant="张三\x0b李四")
    HearingFactory(case=case, scheduled_at=TODAY + dt.timedelta(days=3), notes="第一行\r\n第二行\x0c;" + "长" * 60)
    HearingFactory(case=case, scheduled_at=TODAY + dt.timedelta(days=4), status=HearingStatus.CANCELLED)
    token = CalendarFeedToken.objects.create(user=staff)

    body = client.get(reverse("calendar-feed", args=[token.token])).content

    lines = body.split(b"\r\n")
    assert lines[-1] == b"" and all(len(line) <= 75 for line in lines)
    assert not re.search(rb"[\x00-\x08\x0a-\x1f\x7f]", body.replace(b"\r\n", b""))
    unfolded = body.decode().replace("\r\n ", "")
    assert "张三李四" in unfolded and "第一行\\n第二行\\;" in unfolded
    assert unfolded.count("BEGIN:VEVENT") == 2 and "STATUS:CANCELLED" in unfolded


@pytest.mark.parametrize("token", ["x" * 43, "a\x00b", "%00", "x" * 5000, "../../etc/passwd", "token'--"])
def test_it_answers_404_to_a_wrong_feed_token_even_for_a_signed_in_user(staff_client, staff, token):
    real = CalendarFeedToken.objects.create(user=staff).token

    assert staff_client.get(f"/calendar/feed/{token}.ics").status_code == 404
    assert staff_client.get(reverse("calendar-feed", args=[real])).status_code == 200


@pytest.mark.parametrize("code", ["a\x00b", "x" * 5000, "hezhou-hrss", "no-such-agency"])
def test_it_shows_the_users_own_agency_for_an_unknown_or_malformed_agency_code(leader_client, agency, other_agency,
                                                                              code):
    CaseFactory(agency=other_agency)
    for name in ("dashboard", "dashboard-report", "dashboard-xlsx", "dashboard-docx"):
        response = leader_client.get(reverse(name), {"agency": code, "year": 2025})
        assert response.status_code == 200, name
    page = leader_client.get(reverse("dashboard"), {"agency": code, "year": 2025})
    assert page.context["scope"].agency == agency and page.context["problems"]
    assert "\x00" not in page.content.decode()


def test_it_shows_logging_a_case_once_in_its_history_and_timeline(staff_client, agency, staff):
    """case_create saves the case, then sets its handlers: two history records of one act."""
    from cases.services.cases import case_create

    case = case_create(agency=agency, by=staff, handlers=[staff], kind=Kind.RECONSIDERATION, procedure="ordinary",
                       number="梧政复〔2025〕8号", reviewing_body="梧州市人民政府", applicant="黄某",
                       subject=Subject.OTHER, received_on=dt.date(2025, 9, 1))
    assert case.history.count() == 2

    response = staff_client.get(reverse("case-detail-page", args=[case.pk]))

    assert [(h.what, h.reason) for h in response.context["history"]] == [("创建", "登记案件")]
    assert [e.title for e in response.context["timeline"] if e.kind == "change"] == ["登记案件"]


def test_it_still_shows_a_later_change_with_the_same_reason(staff_client, agency, staff):
    from cases.services.cases import case_create, case_update

    case = case_create(agency=agency, by=staff, kind=Kind.RECONSIDERATION, procedure="ordinary",
                       number="梧政复〔2025〕9号", reviewing_body="梧州市人民政府", applicant="黄某",
                       subject=Subject.OTHER, received_on=dt.date(2025, 9, 1))
    case_update(case=case, by=staff, data={"applicant": "黄某某"}, reason="登记案件")

    history = staff_client.get(reverse("case-detail-page", args=[case.pk])).context["history"]

    assert [h.what for h in history] == ["修改", "创建"]
    assert [(c.old, c.new) for c in history[0].changes] == [("黄某", "黄某某")]
