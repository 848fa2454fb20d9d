"""The yearly report admin: scoped read-only list, downloads, and regeneration as a new version."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse

from cases.models import YearlyReport
from cases.services.reports import yearly_report_generate

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/cases/yearlyreport/"


@pytest.fixture
def admin_client_for(client):
    def login(user):
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.user_permissions.add(Permission.objects.get(codename="view_yearlyreport"))
        client.force_login(user)
        return client

    return login


@time_machine.travel("2022-02-01 10:00 +0800")
def test_an_administrator_lists_and_downloads_every_agencys_reports(admin_client_for, agency, other_agency,
                                                                    admin_user, staff, other_staff):
    mine = yearly_report_generate(agency=agency, year=2021, by=staff)
    theirs = yearly_report_generate(agency=other_agency, year=2021, by=other_staff)
    client = admin_client_for(admin_user)
    page = client.get(CHANGELIST)
    assert page.status_code == 200
    assert reverse("admin:cases_yearlyreport_export", args=[mine.pk, "xlsx"]) in page.content.decode()
    assert reverse("admin:cases_yearlyreport_export", args=[theirs.pk, "xlsx"]) in page.content.decode()
    download = client.get(reverse("admin:cases_yearlyreport_export", args=[mine.pk, "docx"]))
    assert download.status_code == 200 and download["Content-Disposition"].endswith('-v1.docx"')
    assert client.get(reverse("admin:cases_yearlyreport_export", args=[mine.pk, "pdf"])).status_code == 404


@time_machine.travel("2022-02-01 10:00 +0800")
def test_legal_staff_cannot_download_a_report_through_the_admin(client, agency, staff):
    report = yearly_report_generate(agency=agency, year=2021, by=staff)
    staff.user_permissions.add(Permission.objects.get(codename="view_yearlyreport"))
    client.force_login(staff)
    assert client.get(reverse("admin:cases_yearlyreport_export", args=[report.pk, "xlsx"])).status_code == 403


@time_machine.travel("2022-02-01 10:00 +0800")
def test_the_regenerate_action_adds_a_version_and_leaves_the_old_one(admin_client_for, agency, staff, admin_user):
    first = yearly_report_generate(agency=agency, year=2021, by=staff)
    response = admin_client_for(admin_user).post(
        CHANGELIST, {"action": "regenerate", "_selected_action": [first.pk]}, follow=True
    )
    assert response.status_code == 200
    assert list(YearlyReport.objects.order_by("version").values_list("version", "generated_by_job")) == [
        (1, ""), (2, "admin"),
    ]
