"""Fixtures of the API tests: clients per role, and one maker per routed resource.

MAKERS is what the router-generated tests (cross-agency matrix, query counts)
use to put rows of a resource into an agency; a route registered without a
maker here fails those tests on purpose.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from cases.choices import Role
from cases.models import Agency, Deadline
from cases.services.common import SYSTEM
from tests.factories import CaseFactory, HearingFactory, member


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Factories hash a password per user; PBKDF2 would make each test take seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def client_for() -> Callable[[Any], APIClient]:
    def make(user: Any) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def api(client_for, staff) -> APIClient:
    """Legal staff of wuzhou-hrss, the agency of most tests."""
    return client_for(staff)


def _cases(agency: Agency, n: int, owner: Any) -> list[Any]:
    return CaseFactory.create_batch(n, agency=agency)


def _people(agency: Agency, n: int, owner: Any) -> list[Any]:
    return [member(agency, Role.STAFF).membership for _ in range(n)]


def _agencies(agency: Agency, n: int, owner: Any) -> list[Any]:
    from tests.factories import AgencyFactory

    return [agency] + [AgencyFactory(parent=agency) for _ in range(n - 1)]


def _hearings(agency: Agency, n: int, owner: Any) -> list[Any]:
    return [HearingFactory(case=case) for case in CaseFactory.create_batch(n, agency=agency)]


def _deadlines(agency: Agency, n: int, owner: Any) -> list[Any]:
    cases = CaseFactory.create_batch(n, agency=agency)
    return [
        Deadline.objects.create(case=case, rule="manual", title="补充证据", due_on=dt.date(2030, 1, 2))
        for case in cases
    ]


def _notifications(agency: Agency, n: int, owner: Any) -> list[Any]:
    from cases.models.reminders import Notification

    return [Notification.objects.create(recipient=owner, title=f"提醒{i}") for i in range(n)]


def _reports(agency: Agency, n: int, owner: Any) -> list[Any]:
    from cases.services.reports import yearly_report_generate

    return [yearly_report_generate(agency=agency, year=2021, by=SYSTEM) for _ in range(n)]


def _follow_ups(agency: Agency, n: int, owner: Any) -> list[Any]:
    from cases.models import FollowUp

    return [
        FollowUp.objects.create(agency=agency, type="procuratorial_recommendation", issuing_body="人民检察院",
                                document_number=f"检建〔2025〕{i + 1}号", received_on=dt.date(2025, 3, 10),
                                due_on=dt.date(2025, 5, 12))
        for i in range(n)
    ]


#: basename -> maker(agency, n, owner) returning n objects of that resource in the agency;
#: ``owner`` is a user of that agency (a notification's recipient).
MAKERS: dict[str, Callable[[Agency, int, Any], list[Any]]] = {
    "agency": _agencies,
    "person": _people,
    "case": _cases,
    "hearing": _hearings,
    "deadline": _deadlines,
    "notification": _notifications,
    "yearly-report": _reports,
    "follow-up": _follow_ups,
}

#: Resources with no agency: the same for everyone.
GLOBAL_RESOURCES = {"deadline-rule"}

