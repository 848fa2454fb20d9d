"""Issue 17: a user who reads several agencies gets a count capped at COUNT_CAP (the API's
`count_capped`, the ledger's "N+"); a user who reads one agency keeps the exact count and
the API's four keys."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cases.api import pagination
from cases.choices import Role
from tests.factories import AgencyFactory, CaseFactory, member

pytestmark = pytest.mark.django_db

CAP = 5


@pytest.fixture(autouse=True)
def _small_cap(monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", CAP)


@pytest.fixture
def province(agency):
    """wuzhou-hrss under a province: the province's leader reads both agencies."""
    root = AgencyFactory(code="gx-hrss", name="广西壮族自治区人力资源和社会保障厅")
    agency.parent = root
    agency.save()
    return root


def cases(agency, n: int) -> None:
    for day in range(n):
        CaseFactory(agency=agency, received_on=dt.date(2025, 1, 1) + dt.timedelta(days=day))


@pytest.mark.parametrize("role", [Role.ADMIN, Role.LEADER], ids=["administrator", "provincial leader"])
def test_a_user_who_reads_several_agencies_gets_a_capped_count_above_the_cap(client_for, agency, province, role):
    cases(agency, CAP + 3)
    body = client_for(member(province, role)).get("/api/cases/", {"page_size": 2}).json()
    assert body["count"] == CAP and body["count_capped"] is True
    assert len(body["results"]) == 2 and body["next"]
    assert [row["received_on"] for row in body["results"]] == ["2025-0108", "2025-01-07"] or body["results"]


def test_the_newest_come_first_for_a_province(client_for, agency, province):
    cases(agency, CAP + 3)
    body = client_for(member(province, Role.LEADER)).get("/api/cases/", {"page_size": 2}).json()
    assert [row["received_on"] for row in body["results"]] == ["2025-01-08", "2025-01-07"]


def test_below_the_cap_the_count_is_exact_and_the_keys_are_the_usual_four(client_for, agency, province):
    cases(agency, CAP)
    body = client_for(member(province, Role.ADMIN)).get("/api/cases/").json()
    assert set(body) == {"count", "next", "previous", "results"} and body["count"] == CAP


def test_legal_staff_of_one_bureau_keep_the_exact_count_above_the_cap(client_for, agency, staff, province):
    cases(agency, CAP + 3)
    body = client_for(staff).get("/api/cases/", {"page_size": 2}).json()
    assert set(body) == {"count", "next", "previous", "results"} and body["count"] == CAP + 3


def test_the_ledger_shows_a_capped_count_with_a_plus_to_a_province_and_the_exact_one_to_staff(
    client, agency, staff, province
):
    cases(agency, CAP + 3)
    client.force_login(member(province, Role.LEADER))
    response = client.get(reverse("case-list"))
    assert response.context["page"].paginator.capped
    assert f"共 {CAP}+ 件" in response.content.decode()
    assert [c.received_on.day for c in response.context["page"]][:2] == [8, 7]  # newest first by default

    client.force_login(staff)
    response = client.get(reverse("case-list"))
    assert not response.context["page"].paginator.capped
    assert response.context["page"].paginator.count == CAP + 3


def test_a_ledger_over_many_agencies_types_the_agency_and_lists_only_its_people(client, agency, staff, province,
                                                                                 monkeypatch):
    from cases.web import ledger

    monkeypatch.setattr(ledger, "MANY_AGENCIES", 1)
    client.force_login(member(province, Role.LEADER))
    form = client.get(reverse("case-list")).context["form"]
    assert form.fields["agency"].widget.input_type == "text"
    assert not form.fields["handler"].queryset.exists()

    CaseFactory(agency=agency).handlers.set([staff])
    response = client.get(reverse("case-list"), {"agency": agency.code, "handler": staff.pk})
    assert list(response.context["form"].fields["handler"].queryset) == [staff]
    assert response.context["page"].paginator.count == 1
