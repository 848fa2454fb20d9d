"""A person with first_name 建国 and last_name 王 is 王建国 wherever the tracker names them
(cases.people.person_name): the ledger's filter and rows, the case page, the ledger export,
the admin's pickers and lists, a service's error and the failed-reminder report."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cases.admin.cases import DocumentAdmin, HearingAdmin
from cases.admin.site import site
from cases.choices import LeaderRank, Role
from cases.models import Document, Hearing
from cases.services.case_rules import handler_errors
from cases.services.reminder_failures import _line
from tests.factories import AgencyFactory, CaseFactory, HearingFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def wang(agency):
    return member(agency, Role.STAFF, username="wjg", first_name="建国", last_name="王")


@pytest.fixture
def case(agency, wang):
    case = CaseFactory(agency=agency, number="(2025)桂0403行初8号")
    case.handlers.add(wang)
    return case


def test_the_ledgers_handler_filter_offers_wang_jianguo(client, wang, case):
    client.force_login(wang)
    response = client.get(reverse("case-list"))
    labels = [label for _value, label in response.context["form"].fields["handler"].choices]
    assert "王建国" in labels and "建国 王" not in labels


def test_the_ledger_row_and_the_case_page_name_the_handler_wang_jianguo(client, wang, case):
    client.force_login(wang)
    assert "王建国" in client.get(reverse("case-list")).content.decode()
    page = client.get(reverse("case-detail-page", args=[case.pk])).content.decode()
    assert "王建国" in page and "建国 王" not in page


def test_the_ledger_export_writes_the_handler_as_wang_jianguo(client, wang, case):
    client.force_login(wang)
    book = load_workbook(io.BytesIO(client.get(reverse("case-export")).content))
    cells = [cell for row in book.worksheets[0].iter_rows(values_only=True) for cell in row]
    assert "王建国" in cells


def test_the_admins_pickers_and_lists_name_people_wang_jianguo(rf, agency, wang, case, admin_user):
    leader = member(agency, Role.LEADER, LeaderRank.PRINCIPAL, username="lm", first_name="明", last_name="李")
    HearingFactory(case=case, expected_leader=leader)
    request = rf.get("/")
    request.user = admin_user
    hearing_admin = HearingAdmin(Hearing, site)
    field = hearing_admin.formfield_for_foreignkey(Hearing._meta.get_field("expected_leader"), request)
    assert "李明" in [label for _value, label in field.choices]
    document = Document(case=case, title="判决书", uploaded_by=wang)
    column = next(c for c in DocumentAdmin(Document, site).list_display if callable(c))
    assert column(document) == "王建国"


def test_a_handler_from_another_agency_is_named_wang_jianguo_in_the_error(case):
    stranger = member(AgencyFactory(), Role.STAFF, username="w2", first_name="建国", last_name="王")
    assert handler_errors(case, [stranger]) == {"handlers": ["承办人必须是该机关的工作人员：王建国"]}


def test_the_failed_reminder_report_names_the_recipient_wang_jianguo(wang):
    class Row:
        title, recipient, channel, last_error = "期限提醒", wang, "email", "timeout"

    assert "→ 王建国 (" in _line(Row())  # type: ignore[arg-type]


def test_the_page_header_names_the_user_through_the_one_helper(client, agency):
    smith = member(agency, Role.STAFF, username="js", first_name="John", last_name="Smith")
    client.force_login(smith)
    assert '<span class="who"' in (html := client.get(reverse("case-list")).content.decode())
    assert "John Smith</span>" in html  # a Latin name keeps its own order; 王建国 above keeps ours
