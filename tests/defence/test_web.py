"""The case page's 证据目录 and 生成文书 sections, and the administrators' template page."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.choices.defence import DocumentKind
from cases.models import Document, EvidenceItem, FilingTemplate
from cases.services.documents import document_upload
from cases.services.evidence import evidence_add
from tests.defence.conftest import at
from tests.defence.docx_checks import all_text, open_docx, table_rows
from tests.defence.test_templates import _template
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_the_case_page_lists_the_evidence_by_group_and_offers_the_filings(staff_client, lawsuit, staff):
    evidence_add(case=lawsuit, by=staff, name="调查笔录", pages=5)
    evidence_add(case=lawsuit, by=staff, name="《工伤保险条例》", group="basis")

    html = staff_client.get(f"/cases/{lawsuit.pk}/").content.decode()

    assert "证据目录" in html and "生成文书" in html
    assert "调查笔录" in html and "依据(法律、法规、规范性文件)" in html
    assert f"/cases/{lawsuit.pk}/filing.docx?template=defence" in html


def test_staff_add_an_item_and_download_the_evidence_list(staff_client, lawsuit):
    response = staff_client.post(f"/cases/{lawsuit.pk}/evidence/new/", {
        "evidence-name": "调查笔录", "evidence-group": "evidence", "evidence-source": "我局调查",
        "evidence-pages": "5", "evidence-original": "on",
    })
    assert response.status_code == 302

    download = staff_client.get(f"/cases/{lawsuit.pk}/filing.docx?template=evidence_list")

    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert ["1", "调查笔录", "我局调查", "", "5", "原件"] in table_rows(open_docx(download.content))


def test_a_bad_item_shows_the_form_again_and_saves_nothing(staff_client, lawsuit):
    response = staff_client.post(f"/cases/{lawsuit.pk}/evidence/new/", {"evidence-name": "", "evidence-group": "x"})

    assert response.status_code == 200 and not EvidenceItem.objects.exists()


def test_moving_an_item_up_renumbers_its_group(staff_client, lawsuit, staff):
    evidence_add(case=lawsuit, by=staff, name="甲")
    second = evidence_add(case=lawsuit, by=staff, name="乙")

    staff_client.post(f"/evidence/{second.pk}/move/", {"direction": "up"})

    assert list(EvidenceItem.objects.filter(case=lawsuit).order_by("position").values_list("name", flat=True)) == [
        "乙", "甲"]


def test_a_late_submission_is_flagged_on_the_case_page(staff_client, lawsuit, staff):
    evidence_add(case=lawsuit, by=staff, name="调查笔录")
    with time_machine.travel(at(dt.date(2021, 3, 20)), tick=False):
        staff_client.post(f"/cases/{lawsuit.pk}/evidence/submit/", {"submit-submitted_on": "2021-03-19"})
        html = staff_client.get(f"/cases/{lawsuit.pk}/").content.decode()

    assert 'data-testid="late-evidence"' in html and "逾期提交" in html


def test_a_received_complaint_copy_offers_its_date_as_the_trigger(staff_client, lawsuit, staff):
    with time_machine.travel(at(dt.date(2021, 3, 5)), tick=False):
        staff_client.post(f"/cases/{lawsuit.pk}/documents/new/", {
            "document-title": "起诉状副本", "document-kind": DocumentKind.COMPLAINT_COPY,
            "document-dated_on": "2021-03-02", "document-file": SimpleUploadedFile("c.pdf", b"%PDF-1.4"),
        })
        document = Document.objects.get(case=lawsuit)
        assert 'data-testid="trigger-offer"' in staff_client.get(f"/cases/{lawsuit.pk}/").content.decode()

        staff_client.post(f"/documents/{document.pk}/set-trigger/")

    lawsuit.refresh_from_db()
    assert lawsuit.received_on == dt.date(2021, 3, 2)
    assert lawsuit.deadlines.get(rule="litigation_defence").due_on == dt.date(2021, 3, 17)


def test_a_leader_reads_the_sections_but_cannot_change_the_list(client, leader, lawsuit, staff):
    item = evidence_add(case=lawsuit, by=staff, name="调查笔录")
    client.force_login(leader)

    assert "调查笔录" in client.get(f"/cases/{lawsuit.pk}/").content.decode()
    assert client.post(f"/cases/{lawsuit.pk}/evidence/new/", {"evidence-name": "x"}).status_code == 403
    assert client.post(f"/evidence/{item.pk}/remove/").status_code == 403
    assert client.get(f"/cases/{lawsuit.pk}/filing.docx?template=defence").status_code == 200


def test_another_agencys_case_evidence_and_templates_are_404(staff_client, other_agency, other_staff, admin_user):
    case = CaseFactory(agency=other_agency)
    item = evidence_add(case=case, by=other_staff, name="他局证据")
    FilingTemplate.objects.create(agency=other_agency, code="defence", file=_template("{{ applicant }}"))

    answers = [
        staff_client.get(f"/cases/{case.pk}/filing.docx?template=defence"),
        staff_client.post(f"/cases/{case.pk}/evidence/new/", {"evidence-name": "x"}),
        staff_client.get(f"/evidence/{item.pk}/edit/"),
        staff_client.post(f"/evidence/{item.pk}/remove/"),
        staff_client.get("/filing-templates/defence.docx?agency=hezhou-hrss"),
        staff_client.post("/filing-templates/defence/revert/", {"agency": "hezhou-hrss"}),
    ]

    assert [r.status_code for r in answers] == [404] * len(answers)
    assert EvidenceItem.objects.filter(pk=item.pk).exists()
    assert FilingTemplate.objects.active().count() == 1


def test_an_administrator_uploads_generates_with_and_reverts_a_template(client, admin_user, lawsuit, agency):
    client.force_login(admin_user)
    upload = client.post("/filing-templates/defence/upload/",
                         {"agency": agency.code, "file": _template("本局版本 {{ case_number }}")})
    assert upload.status_code == 302
    assert "本局版本 (2021)桂0403行初12号" in all_text(open_docx(
        client.get(f"/cases/{lawsuit.pk}/filing.docx?template=defence").content))

    client.post("/filing-templates/defence/revert/", {"agency": agency.code})

    assert "本局版本" not in all_text(open_docx(client.get(f"/cases/{lawsuit.pk}/filing.docx?template=defence").content))


def test_the_template_page_names_an_unknown_placeholder(client, admin_user, agency):
    client.force_login(admin_user)

    response = client.post("/filing-templates/defence/upload/",
                           {"agency": agency.code, "file": _template("{{ court_address }}")}, follow=True)

    assert "{{ court_address }}" in response.content.decode()
    assert not FilingTemplate.objects.exists()


def test_a_document_upload_keeps_its_type_and_date(lawsuit, staff):
    with time_machine.travel(at(dt.date(2021, 3, 5)), tick=False):
        document = document_upload(case=lawsuit, title="判决书", kind=DocumentKind.JUDGMENT,
                                   dated_on=dt.date(2021, 3, 4), file=SimpleUploadedFile("j.pdf", b"%PDF-1.4"), by=staff)

    assert (document.kind, document.dated_on) == ("judgment", dt.date(2021, 3, 4))


def test_the_page_generates_a_power_of_attorney_for_the_chosen_agents(staff_client, lawsuit, staff):
    response = staff_client.get(f"/cases/{lawsuit.pk}/filing.docx", {
        "template": "power_of_attorney", "agents": [staff.pk], "lawyer": "陈律师|广西某某律师事务所", "authority": "special"})

    text = all_text(open_docx(response.content))
    assert "受委托人:陈律师,广西某某律师事务所律师" in text and "代理权限:特别授权" in text
