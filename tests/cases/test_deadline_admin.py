"""The admin pages of deadlines and holiday overrides go through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from cases.choices import DeadlineStatus, Instance, Kind, Subject
from cases.models import Case, Deadline, HolidayOverride
from cases.services.cases import case_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client: Client) -> Client:
    user = get_user_model().objects.create_superuser("root", "root@example.invalid", "pw-for-tests")
    client.force_login(user)
    return client


@pytest.fixture
def case(agency, staff) -> Case:
    return case_create(
        agency=agency, by=staff, kind=Kind.LITIGATION, litigation_instance=Instance.FIRST, number="(2026)桂04行初9号",
        reviewing_body="梧州市中级人民法院", applicant="赵六", subject=Subject.WORK_INJURY,
        received_on=dt.date(2026, 9, 27),
    )  # fmt: skip


def test_the_deadline_list_shows_urgency(superuser_client, case):
    response = superuser_client.get(reverse("admin:cases_deadline_changelist"))
    assert response.status_code == 200
    assert "提交答辩状及证据" in response.text


def test_an_override_saved_in_the_admin_recomputes_deadlines(superuser_client, case):
    url = reverse("admin:cases_holidayoverride_add")
    data = {"date": "2026-10-12", "note": "测试", "source": "测试"}  # is_working unticked: a rest day
    response = superuser_client.post(url, data)
    assert response.status_code == 302, response.text
    assert HolidayOverride.objects.get().is_working is False
    assert case.deadlines.get().due_on == dt.date(2026, 10, 13)


def test_the_mark_met_action_closes_the_deadline_through_the_service(superuser_client, case):
    deadline = case.deadlines.get()
    url = reverse("admin:cases_deadline_changelist")
    superuser_client.post(url, {"action": "mark_met", "_selected_action": [deadline.pk]})
    deadline = Deadline.objects.get(pk=deadline.pk)
    assert deadline.status == DeadlineStatus.MET and deadline.closed_at is not None
