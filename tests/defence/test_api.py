"""/api/cases/{id}/evidence/ and /api/cases/{id}/documents/generate/{template}/: scoped, written through the services."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from cases.choices import LeaderRank, Role
from cases.choices.defence import FilingCode
from cases.models import EvidenceItem
from cases.services.evidence import evidence_add
from tests.defence.conftest import at
from tests.defence.docx_checks import all_text, open_docx, table_rows
from tests.factories import CaseFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(lawsuit, staff):
    a = evidence_add(case=lawsuit, by=staff, name="工伤认定申请表", source="原告提交", pages=2)
    b = evidence_add(case=lawsuit, by=staff, name="调查笔录", source="我局调查", pages=5, original=True)
    return a, b


def test_it_lists_the_evidence_with_its_public_fields(api, lawsuit, items):
    body = api.get(f"/api/cases/{lawsuit.pk}/evidence/").json()

    assert [row["name"] for row in body] == ["工伤认定申请表", "调查笔录"]
    assert {"name", "source", "purpose", "pages", "original", "group", "documents", "position"} <= set(body[0])
    assert (body[1]["position"], body[1]["original"], body[1]["group"]) == (2, True, "evidence")


def test_it_creates_edits_reorders_and_removes_items(api, lawsuit, items):
    url = f"/api/cases/{lawsuit.pk}/evidence/"
    created = api.post(url, {"name": "《工伤保险条例》", "group": "basis", "pages": 12}, format="json")
    assert created.status_code == 201 and created.json()["position"] == 1

    a, b = items
    edited = api.patch(f"{url}{a.pk}/", {"purpose": "证明原告提出申请"}, format="json")
    assert edited.status_code == 200 and edited.json()["purpose"] == "证明原告提出申请"

    reordered = api.post(f"{url}reorder/", {"order": [b.pk, a.pk], "group": "evidence"}, format="json")
    assert reordered.status_code == 200
    assert [(r["name"], r["position"]) for r in reordered.json()][:2] == [("调查笔录", 1), ("工伤认定申请表", 2)]

    assert api.delete(f"{url}{b.pk}/").status_code == 204
    assert list(EvidenceItem.objects.filter(case=lawsuit, group="evidence").values_list("name", "position")) == [
        ("工伤认定申请表", 1)]


def test_it_answers_a_bad_item_with_a_clear_400_and_saves_nothing(api, lawsuit):
    response = api.post(f"/api/cases/{lawsuit.pk}/evidence/", {"name": "", "group": "witness"}, format="json")

    assert response.status_code == 400 and {"name", "group"} <= set(response.json()["errors"])
    assert not EvidenceItem.objects.exists()


def test_it_flags_a_late_submission(api, lawsuit, items):
    with time_machine.travel(at(dt.date(2021, 3, 20)), tick=False):
        response = api.post(f"/api/cases/{lawsuit.pk}/evidence/submit/", {"submitted_on": "2021-03-18"}, format="json")

    assert response.status_code == 201
    assert (response.json()["late"], response.json()["due_on"], response.json()["items_count"]) == (
        True, "2021-03-16", 2)


def test_it_generates_the_defence_and_the_evidence_list_as_docx(api, lawsuit, items):
    for code in (FilingCode.DEFENCE, FilingCode.EVIDENCE_LIST):
        response = api.get(f"/api/cases/{lawsuit.pk}/documents/generate/{code}/")

        assert response.status_code == 200, response.content[:300]
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        doc = open_docx(response.content)
        assert lawsuit.number in all_text(doc)
        assert ["2", "调查笔录", "我局调查", "", "5", "原件"] in table_rows(doc)


def test_it_answers_404_for_an_unknown_template_code(api, lawsuit):
    assert api.get(f"/api/cases/{lawsuit.pk}/documents/generate/complaint/").status_code == 404


def test_it_explains_why_a_filing_cannot_be_generated(api, lawsuit):
    response = api.get(f"/api/cases/{lawsuit.pk}/documents/generate/power_of_attorney/")

    assert response.status_code == 400 and "agents" in response.json()["errors"]


def test_it_generates_a_power_of_attorney_for_chosen_agents(api, lawsuit, staff):
    response = api.get(f"/api/cases/{lawsuit.pk}/documents/generate/power_of_attorney/",
                       {"agents": str(staff.pk), "lawyers": "陈律师|广西某某律师事务所", "authority": "special"})

    text = all_text(open_docx(response.content))
    assert "陈律师,广西某某律师事务所律师" in text and "特别授权" in text


# --- scoping -----------------------------------------------------------------------------


@pytest.fixture
def theirs(other_agency, other_staff):
    case = CaseFactory(agency=other_agency)
    item = evidence_add(case=case, by=other_staff, name="他局证据")
    return case, item


@pytest.mark.parametrize("role", [Role.STAFF, Role.LEADER, Role.VIEWER])
def test_another_agencys_case_and_evidence_are_404(client_for, agency, theirs, role):
    client = client_for(member(agency, role, LeaderRank.PRINCIPAL if role == Role.LEADER else ""))
    case, item = theirs
    base = f"/api/cases/{case.pk}/"

    answers = [
        client.get(f"{base}evidence/"), client.get(f"{base}evidence/{item.pk}/"),
        client.patch(f"{base}evidence/{item.pk}/", {"name": "x"}, format="json"),
        client.delete(f"{base}evidence/{item.pk}/"),
        client.get(f"{base}documents/generate/evidence_list/"),
    ]
    if role == Role.STAFF:  # a reader is refused any write before the lookup (403), and learns nothing either
        answers += [client.post(f"{base}evidence/", {"name": "x"}, format="json"),
                    client.post(f"{base}evidence/reorder/", {"order": [item.pk]}, format="json")]

    assert [r.status_code for r in answers] == [404] * len(answers)
    assert EvidenceItem.objects.get(pk=item.pk).name == "他局证据"


def test_an_item_of_one_case_is_404_under_another_case_of_the_same_agency(api, agency, items):
    other = CaseFactory(agency=agency)

    assert api.get(f"/api/cases/{other.pk}/evidence/{items[0].pk}/").status_code == 404


def test_a_leader_reads_but_cannot_write_the_evidence_list(client_for, leader, lawsuit, items):
    client = client_for(leader)
    url = f"/api/cases/{lawsuit.pk}/evidence/"

    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "x"}, format="json").status_code == 403
    assert client.patch(f"{url}{items[0].pk}/", {"name": "x"}, format="json").status_code == 403
    assert client.delete(f"{url}{items[0].pk}/").status_code == 403
    assert EvidenceItem.objects.filter(case=lawsuit).count() == 2
