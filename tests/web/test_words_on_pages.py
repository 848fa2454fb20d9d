"""The main pages speak one language: no code from the choice and rule lists in Chinese mode,
no untranslated Chinese label from those lists in English mode.

One busy case is built through the services (statutory deadlines, a held hearing with its
attendance, a scheduled one, a document, a concluded sibling, a notification), then the
ledger, the case page, the calendar, the dashboard and the notifications are read as a
person sees them: the text of the page, scripts and styles left out.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import lxml.html
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from django.utils import translation

import cases.choices as choice_lists
from cases.choices import DocumentKind, FollowUpType, Kind, LeaderRank, Outcome, Role, Subject
from cases.models import Notification
from cases.services.cases import case_conclude, case_create
from cases.services.documents import document_upload
from cases.services.followups import follow_up_create
from cases.services.hearings import hearing_record, hearing_schedule
from casetracker.periods import RULES
from tests.factories import member

pytestmark = pytest.mark.django_db


BEIJING = ZoneInfo("Asia/Shanghai")
TODAY = dt.datetime(2025, 9, 15, 9, 0, tzinfo=BEIJING)

# What data the pages show on purpose (case numbers, names, places); taken out before the check.
DATA = ["梧州市人力资源和社会保障局", "梧州市万秀区人民法院", "梧州市人民政府", "第一审判庭", "王建国", "李明",
        "(2025)桂0403行初8号", "梧政复〔2025〕8号", "原告甲", "申请人乙", "工伤认定决定书.pdf",
        "期限提醒", "梧州市人民检察院", "梧检建〔2025〕3号"]


def _choice_classes() -> list[type[models.Choices]]:
    return [value for name in choice_lists.__all__ if isinstance(value := getattr(choice_lists, name), type)
            and issubclass(value, models.Choices)]


def codes() -> set[str]:
    """Every stored code a page could leak: choice values, rule codes and their versions' codes."""
    found = {str(value) for kind in _choice_classes() for value in kind.values}
    found |= set(RULES)
    found |= {version.code for rule in RULES.values() for version in rule.versions}
    return {code for code in found if code}


def chinese_labels() -> set[str]:
    """The Chinese labels of the choice lists and the rules' titles, as written in the code."""
    with translation.override("zh-hans"):
        labels = {str(label) for kind in _choice_classes() for label in kind.labels}
    labels |= {rule.title_zh for rule in RULES.values()}
    return labels


# A law's short code with an article number ("ALL 67", "ARL-2023 30") is a code too.
LAW_CODE = re.compile(r"\b(?:ALL|ARL|CPL|SPC|SPP)(?:-[A-Z]+)?[ -]\d+")


# A case number, whole or cut short on the calendar: "(2025)桂0403行初8号", "(2025)桂0403行初…".
CASE_NUMBER = re.compile(r"\(\d{4}\)\S*")


def visible_text(html: bytes) -> str:
    """The page's words; text marked as Chinese on purpose (the report's official paragraph,
    the language switch's 中文) is left out, as are scripts and styles."""
    tree = lxml.html.fromstring(html.decode())
    for hidden in tree.xpath("//script|//style|//template|//noscript|//body//*[starts-with(@lang, 'zh')]"):
        hidden.drop_tree()
    text = " ".join(tree.text_content().split())
    for value in DATA:
        text = text.replace(value, " ")
    return CASE_NUMBER.sub(" ", text)


@pytest.fixture
def busy_case(agency):
    with time_machine.travel(TODAY - dt.timedelta(days=20), tick=False):
        wang = member(agency, Role.STAFF, username="wjg", first_name="建国", last_name="王")
        li = member(agency, Role.LEADER, LeaderRank.PRINCIPAL, username="lm", first_name="明", last_name="李")
        case = case_create(
            agency=agency, by=wang, handlers=[wang], kind=Kind.LITIGATION, litigation_instance="first",
            procedure="ordinary", number="(2025)桂0403行初8号", reviewing_body="梧州市万秀区人民法院",
            applicant="原告甲", subject=Subject.WORK_INJURY, received_on=dt.date(2025, 8, 26),
        )
        held = hearing_schedule(case=case, by=wang, scheduled_at=TODAY - dt.timedelta(days=10),
                                place="第一审判庭", expected_leader=li)
        hearing_schedule(case=case, by=wang, scheduled_at=TODAY + dt.timedelta(days=3), place="第一审判庭")
        document_upload(case=case, by=wang, title="工伤认定决定书.pdf", kind=DocumentKind.JUDGMENT,
                        file=SimpleUploadedFile("工伤认定决定书.pdf", b"%PDF-1.4\n"))
        sibling = case_create(
            agency=agency, by=wang, handlers=[wang], kind=Kind.RECONSIDERATION, procedure="ordinary",
            number="梧政复〔2025〕8号", reviewing_body="梧州市人民政府", applicant="申请人乙",
            subject=Subject.OTHER, received_on=dt.date(2025, 8, 20),
        )
    with time_machine.travel(TODAY - dt.timedelta(days=5), tick=False):
        hearing_record(hearing=held, by=wang, responsible_person=li, staff=[wang])
        case_conclude(case=sibling, by=wang, outcome=Outcome.UPHELD, concluded_on=dt.date(2025, 9, 9))
        follow_up_create(agency=agency, by=wang, case=case, type=FollowUpType.PROCURATORIAL_RECOMMENDATION,
                         issuing_body="梧州市人民检察院", document_number="梧检建〔2025〕3号",
                         received_on=dt.date(2025, 9, 10))
    Notification.objects.create(recipient=wang, title="期限提醒", url=f"/cases/{case.pk}/", case=case)
    case.sibling = sibling
    return case, wang


PAGES = ["ledger", "case page", "concluded case page", "calendar", "dashboard", "notifications", "follow-ups"]


def pages(case) -> dict[str, str]:
    return {
        "ledger": reverse("case-list") + "?year=2025",
        "case page": reverse("case-detail-page", args=[case.pk]),
        "concluded case page": reverse("case-detail-page", args=[case.sibling.pk]),
        "calendar": reverse("calendar") + "?month=2025-09",
        "dashboard": reverse("dashboard") + "?year=2025",
        "notifications": reverse("notifications"),
        "follow-ups": reverse("follow-up-list"),
    }


def read(client, user, url: str, language: str) -> str:
    client.force_login(user)
    with time_machine.travel(TODAY, tick=False):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, url
    return visible_text(response.content)


@pytest.mark.parametrize("name", PAGES)
def test_no_page_shows_a_code_from_the_choice_or_rule_lists_in_chinese(client, busy_case, name):
    case, wang = busy_case
    text = read(client, wang, pages(case)[name], "zh-hans")
    words = set(re.findall(r"[A-Za-z][A-Za-z0-9_\-]*", text))

    leaked = sorted(words & codes()) + LAW_CODE.findall(text)

    assert leaked == [], f"{name} shows codes: {leaked}"


@pytest.mark.parametrize("name", PAGES)
def test_no_page_shows_an_untranslated_chinese_label_in_english(client, busy_case, name):
    case, wang = busy_case
    text = read(client, wang, pages(case)[name], "en")

    untranslated = sorted(label for label in chinese_labels() if label in text)

    assert untranslated == [], f"{name} shows Chinese labels in English mode: {untranslated}"


@pytest.mark.parametrize("name", ["case page", "concluded case page"])
def test_the_timeline_and_history_of_a_case_are_all_english_in_english(client, busy_case, name):
    """History notes are stored as written (Chinese); the page shows them through the catalogue."""
    case, wang = busy_case
    client.force_login(wang)
    with time_machine.travel(TODAY, tick=False):
        html = client.get(pages(case)[name], HTTP_ACCEPT_LANGUAGE="en").content
    tree = lxml.html.fromstring(html.decode())
    for testid in ("timeline", "history"):
        section = tree.xpath(f"//*[@data-testid='{testid}']")[0]
        text = CASE_NUMBER.sub(" ", " ".join(section.text_content().split()))
        for value in DATA:
            text = text.replace(value, " ")
        assert re.findall(r"[\u3400-\u9fff]+", text) == [], f"{testid}: {text}"


def test_the_english_pages_still_show_the_recorded_data_as_entered(client, busy_case):
    """The check above takes data out; the data itself is never translated."""
    case, wang = busy_case
    client.force_login(wang)
    with time_machine.travel(TODAY, tick=False):
        html = client.get(reverse("case-detail-page", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "(2025)桂0403行初8号" in html and "原告甲" in html


def test_the_code_lists_cover_the_examples_of_the_issue():
    assert {"reconsideration_reply", "upheld", str(FollowUpType.OPINION_LETTER)} <= codes()
    assert LAW_CODE.findall("依据 ALL 67") == ["ALL 67"]


def test_a_refused_outcome_is_named_by_its_label_not_its_code(agency):
    staff = member(agency, Role.STAFF, username="s1")
    case = case_create(agency=agency, by=staff, kind=Kind.RECONSIDERATION, procedure="ordinary",
                       number="梧政复〔2025〕9号", reviewing_body="梧州市人民政府", applicant="申请人乙",
                       subject=Subject.OTHER, received_on=dt.date(2025, 8, 20))
    with pytest.raises(ValidationError) as refused:
        case_conclude(case=case, by=staff, outcome=Outcome.CLAIMS_DISMISSED, concluded_on=dt.date(2025, 9, 9))
    assert refused.value.message_dict["outcome"] == ["结果“判决驳回诉讼请求”不适用于该类案件。"]


def test_a_computed_deadlines_history_names_the_fact_it_counts_from_not_its_column(agency):
    staff = member(agency, Role.STAFF, username="s1")
    case = case_create(agency=agency, by=staff, kind=Kind.RECONSIDERATION, procedure="ordinary",
                       number="梧政复〔2025〕9号", reviewing_body="梧州市人民政府", applicant="申请人乙",
                       subject=Subject.OTHER, received_on=dt.date(2025, 8, 20))
    reply = case.deadlines.get(rule="reconsideration_reply")
    assert reply.history.earliest("history_date").history_change_reason == "按案件事实计算(收到复议申请书副本/起诉状副本日期)"
