"""Grounds on the conclude form and the case page (D12)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from cases.choices import Status
from cases.models import Case, CaseGround
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db
TODAY = "2025-09-15 10:00 +0800"


@time_machine.travel(TODAY)
def test_the_conclude_form_refuses_a_loss_without_grounds(staff_client, agency):
    case = CaseFactory(agency=agency)
    response = staff_client.post(reverse("case-conclude-page", args=[case.pk]), {
        "outcome": "revoked", "concluded_on": "2025-09-12", "version": case.version,
    })
    assert response.status_code == 200
    assert "grounds" in response.context["form"].errors
    assert Case.objects.get(pk=case.pk).status == Status.PENDING


@time_machine.travel(TODAY)
def test_the_conclude_form_saves_the_grounds_and_the_page_and_history_show_them(staff_client, agency):
    case = CaseFactory(agency=agency)
    response = staff_client.post(reverse("case-conclude-page", args=[case.pk]), {
        "outcome": "revoked", "concluded_on": "2025-09-12", "version": case.version,
        "grounds": ["insufficient_evidence", "illegal_procedure"],
    })
    assert response.status_code == 302
    page = staff_client.get(reverse("case-detail-page", args=[case.pk])).content.decode()
    assert "主要证据不足、违反法定程序" in page  # the grounds line and the history note both read so
    assert page.count("主要证据不足") >= 2


@time_machine.travel(TODAY)
def test_an_old_loss_without_grounds_says_so_and_staff_fill_them_in(staff_client, agency):
    case = CaseFactory(agency=agency, status=Status.CONCLUDED, outcome="revoked", concluded_on=dt.date(2024, 5, 1))
    page = staff_client.get(reverse("case-detail-page", args=[case.pk])).content.decode()
    assert "理由缺失" in page
    response = staff_client.post(reverse("case-grounds-page", args=[case.pk]),
                                 {"grounds": ["wrong_law"], "version": case.version})
    assert response.status_code == 302
    assert list(CaseGround.objects.values_list("ground", flat=True)) == ["wrong_law"]


def test_the_grounds_page_is_403_for_a_leader_and_404_for_another_agency(client, agency, leader, other_staff):
    case = CaseFactory(agency=agency, status=Status.CONCLUDED, outcome="revoked", concluded_on=dt.date(2024, 5, 1))
    client.force_login(leader)
    assert client.get(reverse("case-grounds-page", args=[case.pk])).status_code == 403
    assert client.post(reverse("case-grounds-page", args=[case.pk]), {"grounds": ["wrong_law"]}).status_code == 403
    client.force_login(other_staff)
    assert client.get(reverse("case-grounds-page", args=[case.pk])).status_code == 404
    assert not CaseGround.objects.exists()
