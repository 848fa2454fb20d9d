"""Control characters are refused at input everywhere, and exports survive the ones already stored."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document as DocxDocument
from openpyxl import load_workbook
from rest_framework.test import APIClient

from cases.choices import Outcome, Status
from cases.models import Case
from cases.services.common import require_reason
from cases.text import refuse_control_characters
from tests.api.test_cases import NEW_CASE
from tests.factories import ReconsiderationFactory
from tests.web.test_case_forms import _new_case

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2025, 9, 15, 9, 0, tzinfo=dt.UTC)


def test_the_api_refuses_an_applicant_name_with_u0001_and_saves_nothing(staff, agency):
    api = APIClient()
    api.force_authenticate(staff)

    response = api.post("/api/cases/", {**NEW_CASE, "applicant": "黄\x01某"}, format="json")

    assert response.status_code == 400
    assert "U+0001" in response.json()["errors"]["applicant"][0]
    assert not Case.objects.exists()


@time_machine.travel(TODAY)
def test_the_case_form_refuses_an_applicant_name_with_u0001_next_to_the_field(client, staff):
    client.force_login(staff)

    response = client.post(reverse("case-create"), _new_case(applicant="黄\x01某"))

    assert response.status_code == 200
    assert "applicant" in response.context["form"].errors
    assert not Case.objects.exists()


@time_machine.travel(TODAY)
def test_a_long_text_keeps_tabs_and_line_breaks_but_a_short_one_refuses_a_tab(client, staff):
    client.force_login(staff)

    client.post(reverse("case-create"), _new_case(notes="第一行\r\n\t第二行"))
    refused = client.post(reverse("case-create"), _new_case(number="梧政复〔2025〕8号", applicant="黄\t某"))

    assert Case.objects.get().notes == "第一行\r\n\t第二行"
    assert "applicant" in refused.context["form"].errors


def test_a_reason_with_a_control_character_is_refused():
    with pytest.raises(ValidationError):
        require_reason("法院\x07准予延期")


@pytest.mark.parametrize("text", ["\x00", "a\x1fb", "\x1b[31m"])
def test_every_c0_character_but_tab_and_line_breaks_is_refused_in_long_text(text):
    with pytest.raises(ValidationError):
        refuse_control_characters(text, long_text=True)


def _stored_with_control_characters(agency) -> Case:
    case = ReconsiderationFactory(agency=agency, received_on=dt.date(2024, 3, 1), status=Status.CONCLUDED,
                                  outcome=Outcome.UPHELD, concluded_on=dt.date(2024, 5, 1))
    Case.objects.filter(pk=case.pk).update(applicant="黄\x01某\x0b", notes="\x02")  # stored before the check
    return case


@time_machine.travel(TODAY)
def test_a_stored_control_character_does_not_crash_the_years_xlsx_or_docx(client, leader, agency):
    client.force_login(leader)
    _stored_with_control_characters(agency)

    xlsx = client.get(reverse("dashboard-xlsx"), {"year": 2024})
    docx = client.get(reverse("dashboard-docx"), {"year": 2024})

    assert xlsx.status_code == docx.status_code == 200
    cells = {cell for row in load_workbook(io.BytesIO(xlsx.content))["案件清单"].iter_rows(values_only=True)
             for cell in row}
    assert "黄某" in cells
    DocxDocument(io.BytesIO(docx.content))


@time_machine.travel(TODAY)
def test_a_stored_control_character_does_not_crash_the_ledger_export(client, staff, agency):
    client.force_login(staff)
    _stored_with_control_characters(agency)

    response = client.get(reverse("case-export"))

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = sheet.iter_rows(min_row=6, values_only=True)  # below the title block
    assert "黄某" in [row[header.index("申请人/原告")] for row in rows]


def test_an_administrator_cannot_give_an_account_a_name_with_u0001_and_nothing_is_saved(client, admin_user, staff):
    from django.contrib.auth.models import Permission

    from cases.services.accounts import user_save

    admin_user.user_permissions.set(Permission.objects.filter(content_type__app_label="auth"))
    client.force_login(admin_user)
    url = reverse("admin:auth_user_change", args=[staff.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, (list, dt.datetime))}
    data.pop("password", None)
    data.update({"username": staff.username, "first_name": "建\x01国", "last_name": "王",
                 "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00",
                 "membership-TOTAL_FORMS": "1", "membership-INITIAL_FORMS": "1",
                 "membership-0-id": staff.membership.pk, "membership-0-user": staff.pk,
                 "membership-0-agency": staff.membership.agency_id, "membership-0-role": "staff"})

    response = client.post(url, data)

    assert response.status_code == 200
    assert "不能包含控制字符(U+0001)" in response.context["adminform"].form.errors["first_name"][0]
    staff.refresh_from_db()
    assert staff.first_name != "建\x01国"
    staff.last_name = "王\x1b"
    with pytest.raises(ValidationError) as refused:  # the service refuses it from the shell too
        user_save(user=staff, by=admin_user, was_active=True)
    assert "last_name" in refused.value.message_dict
