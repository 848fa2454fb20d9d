"""Each generated filing, opened with python-docx: the 公文 page, and the case's own facts in it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from cases.choices import AbsenceReason, HearingStatus, LeaderRank, Role
from cases.choices.defence import AgentAuthority, EvidenceGroup, FilingCode
from cases.filings.context import FilingOptions, Lawyer
from cases.filings.render import filing_render
from cases.services.evidence import evidence_add
from tests.defence.conftest import at
from tests.defence.docx_checks import all_text, assert_gongwen_page, open_docx, table_rows
from tests.factories import HearingFactory, ReconsiderationFactory, member

pytestmark = pytest.mark.django_db
TODAY = dt.date(2021, 3, 10)


@pytest.fixture
def package(lawsuit, staff, agency):
    """The lawsuit after a reconsideration upheld the act: the city government is a co-defendant."""
    recon = ReconsiderationFactory(agency=agency, reviewing_body="梧州市人民政府", number="梧政复〔2020〕9号")
    lawsuit.previous, lawsuit.co_defendant = recon, True
    lawsuit.save(update_fields=["previous", "co_defendant"])
    member(agency, Role.LEADER, LeaderRank.PRINCIPAL, username="chief", last_name="王", first_name="局长")
    with time_machine.travel(at(TODAY), tick=False):
        evidence_add(case=lawsuit, by=staff, name="工伤认定申请表", source="原告提交", purpose="证明申请事实",
                     pages=2)
        evidence_add(case=lawsuit, by=staff, name="《工伤保险条例》", group=EvidenceGroup.BASIS, pages=12,
                     original=True)
    return lawsuit


def _render(case, code, **options):
    with time_machine.travel(at(TODAY), tick=False):
        return open_docx(filing_render(case=case, code=code, options=FilingOptions(today=TODAY, **options)))


def _assert_case_facts(doc, *, evidence: bool) -> None:
    text = all_text(doc)
    for fact in ("(2021)桂0403行初12号", "梧州市万秀区人民法院", "张三", "梧州市人力资源和社会保障局",
                 "梧州市人民政府", "梧州某某有限公司"):
        assert fact in text, fact
    if evidence:
        rows = table_rows(doc)
        assert ["1", "工伤认定申请表", "原告提交", "证明申请事实", "2", "复印件"] in rows
        assert ["1", "《工伤保险条例》", "", "", "12", "原件"] in rows


@pytest.mark.parametrize("code", [FilingCode.DEFENCE, FilingCode.EVIDENCE_LIST, FilingCode.LEGAL_REPRESENTATIVE])
def test_it_lays_out_the_filing_as_a_gongwen_page_with_the_cases_facts(package, code):
    doc = _render(package, code)

    assert_gongwen_page(doc)
    _assert_case_facts(doc, evidence=code != FilingCode.LEGAL_REPRESENTATIVE)


def test_it_names_the_co_defendant_and_the_third_party_as_parties(package):
    text = all_text(_render(package, FilingCode.DEFENCE))

    assert "被告(共同被告):梧州市人民政府" in text
    assert "第三人:梧州某某有限公司" in text
    assert "张三诉梧州市人力资源和社会保障局、梧州市人民政府工伤认定一案" in text


def test_it_leaves_the_defence_sections_for_the_lawyer_and_signs_with_the_agency_and_date(package):
    text = all_text(_render(package, FilingCode.DEFENCE))

    for heading in ("一、答辩请求", "二、事实与理由", "三、法律依据", "一、证据", "二、依据(法律、法规、规范性文件)"):
        assert heading in text
    assert "答辩人:梧州市人力资源和社会保障局(盖章)" in text and "2021年3月10日" in text
    assert "不予认定工伤决定(梧人社工伤〔2020〕88号)" in text


def test_it_writes_the_reconsideration_reply_with_its_applicant_and_reviewing_body(agency, staff):
    recon = ReconsiderationFactory(agency=agency, applicant="李四", third_parties="王五;赵六",
                                   act_description="工伤认定决定")
    with time_machine.travel(at(TODAY), tick=False):
        evidence_add(case=recon, by=staff, name="工伤认定决定书", source="我局作出", pages=3, original=True)
    doc = _render(recon, FilingCode.RECONSIDERATION_REPLY)

    assert_gongwen_page(doc)
    text = all_text(doc)
    assert "申请人:李四" in text and "被申请人:梧州市人力资源和社会保障局" in text
    assert "第三人:王五" in text and "第三人:赵六" in text and recon.number in text
    assert "梧州市人民政府" in text
    assert ["1", "工伤认定决定书", "我局作出", "", "3", "原件"] in table_rows(doc)


def test_it_writes_a_power_of_attorney_for_a_staff_member_and_a_lawyer_with_special_authority(package, staff):
    doc = _render(package, FilingCode.POWER_OF_ATTORNEY, agents=[staff],
                  lawyers=[Lawyer("陈律师", "广西某某律师事务所", "0774-1234567")], authority=AgentAuthority.SPECIAL)

    assert_gongwen_page(doc)
    _assert_case_facts(doc, evidence=False)
    text = all_text(doc)
    assert "受委托人:测试" in text or f"受委托人:{staff.last_name}{staff.first_name}" in text
    assert "受委托人:陈律师,广西某某律师事务所律师,电话0774-1234567" in text
    assert "代理权限:特别授权" in text and "提起上诉" in text


def test_it_refuses_three_agents(package, staff):
    lawyers = [Lawyer("甲"), Lawyer("乙")]
    with pytest.raises(ValidationError) as error:
        _render(package, FilingCode.POWER_OF_ATTORNEY, agents=[staff], lawyers=lawyers)

    assert "agents" in error.value.message_dict


def test_it_notifies_the_expected_leader_of_a_hearing_at_least_three_days_ahead(package, leader):
    hearing = HearingFactory(case=package, scheduled_at=at(dt.date(2021, 3, 15), 9), place="第三审判庭",
                             expected_leader=leader)
    doc = _render(package, FilingCode.HEARING_NOTICE, hearing=hearing)

    assert_gongwen_page(doc)
    _assert_case_facts(doc, evidence=False)
    text = all_text(doc)
    assert f"{leader.last_name}{leader.first_name}同志" in text
    assert "2021年3月15日09:00在第三审判庭开庭审理" in text


def test_it_refuses_a_hearing_notice_two_days_before_the_hearing(package, leader):
    hearing = HearingFactory(case=package, scheduled_at=at(dt.date(2021, 3, 12), 9), expected_leader=leader)

    with pytest.raises(ValidationError) as error:
        _render(package, FilingCode.HEARING_NOTICE, hearing=hearing)

    assert "第5条" in error.value.message_dict["hearing"][0]


def test_it_explains_the_leaders_absence_with_the_recorded_reason(package, leader, staff):
    hearing = HearingFactory(case=package, scheduled_at=at(dt.date(2021, 3, 8), 9), expected_leader=leader,
                             status=HearingStatus.HELD, bureau_appeared=True,
                             absence_reason=AbsenceReason.OFFICIAL_DUTY, absence_detail="参加自治区人社厅会议")
    hearing.attending_staff.add(staff)
    doc = _render(package, FilingCode.ABSENCE_STATEMENT)

    assert_gongwen_page(doc)
    _assert_case_facts(doc, evidence=False)
    text = all_text(doc)
    assert "因需要履行他人不能代替的公务(参加自治区人社厅会议),不能出庭应诉" in text
    assert f"委托工作人员{staff.last_name}{staff.first_name}出庭应诉" in text
    assert "负责人(签字):王局长" in text


def test_it_refuses_an_absence_statement_without_a_recorded_reason(package):
    with pytest.raises(ValidationError):
        _render(package, FilingCode.ABSENCE_STATEMENT)


def test_it_escapes_what_was_typed_into_the_case(package):
    package.applicant = "张三 & <李四>"
    package.save(update_fields=["applicant"])

    assert "张三 & <李四>" in all_text(_render(package, FilingCode.EVIDENCE_LIST))
