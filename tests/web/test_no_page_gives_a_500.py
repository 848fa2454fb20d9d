"""No page answers malformed input with a 500: every page of cases/web/urls.py, GET and POST.

Each query parameter a page reads and each field of each form gets NUL bytes,
huge numbers, impossible dates and unknown codes. Requests run in a savepoint
that is rolled back, so an accepted one does not change what the next one meets.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.urls import reverse

from cases.choices import LeaderRank, Role
from cases.models import CalendarFeedToken
from cases.web import urls as web_urls
from tests.factories import CaseFactory, DeadlineFactory, HearingFactory, member

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

NOW = dt.datetime(2021, 6, 1, 10, 0, tzinfo=dt.UTC)
BAD = ["a\x00b", "99999999999999999999", "-1", "2021-02-30", "0001-01-01", "no_such_code", "x" * 5000, ""]
LEDGER = ["q", "kind", "status", "outcome", "subject", "year", "handler", "overdue", "agency", "sort", "page"]
DASHBOARD = ["year", "agency", "children"]
#: The query parameters each page reads (grep request.GET in cases/web/views); others get only "page".
QUERY_NAMES = {
    "case-list": LEDGER, "case-export": LEDGER, "calendar": ["date", "view", "mine"], "calendar-feed": ["mine"],
    "dashboard": DASHBOARD, "dashboard-report": DASHBOARD, "dashboard-xlsx": DASHBOARD, "dashboard-docx": DASHBOARD,
    "notifications": ["page", "unread"],
}


@pytest.fixture
def world(agency, other_agency) -> dict[str, Any]:
    staff = member(agency, Role.STAFF, username="probe-staff")
    leader = member(agency, Role.LEADER, LeaderRank.PRINCIPAL, username="probe-leader")
    with time_machine.travel(NOW, tick=False):
        case = CaseFactory(agency=agency)
        past = HearingFactory(case=case, scheduled_at=NOW - dt.timedelta(days=1))
        HearingFactory(case=case, scheduled_at=NOW + dt.timedelta(days=3))
        deadline = DeadlineFactory(case=case, due_on=dt.date(2021, 6, 10))
    token = CalendarFeedToken.objects.create(user=staff)
    client = Client()
    client.force_login(staff)
    return {"client": client, "case": case, "hearing": past, "deadline": deadline, "staff": staff, "leader": leader,
            "token": token}


def _kwargs(pattern: Any, world: dict[str, Any]) -> dict[str, Any]:
    name = pattern.name
    kwargs: dict[str, Any] = {}
    for arg in pattern.pattern.converters:
        if arg == "token":
            kwargs[arg] = world["token"].token
        elif name.startswith("hearing-") and name != "hearing-create":
            kwargs[arg] = world["hearing"].pk
        elif name.startswith("deadline-") and name != "deadline-create":
            kwargs[arg] = world["deadline"].pk
        else:
            kwargs[arg] = world["case"].pk
    return kwargs


def _call(client: Client, method: str, url: str, data: Any) -> tuple[int, str]:
    with time_machine.travel(NOW, tick=False), transaction.atomic():
        try:
            response = getattr(client, method)(url, data)
        except Exception as exc:  # the test client re-raises what the view did not handle
            return 500, repr(exc)[:300]
        finally:
            transaction.set_rollback(True)
    return response.status_code, ""


PATTERNS = [p for p in web_urls.urlpatterns if p.name not in ("document-download",)]


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.name)
def test_it_never_answers_a_malformed_query_with_a_500(world, pattern):
    url = reverse(pattern.name, kwargs=_kwargs(pattern, world))
    failures = []
    for name in QUERY_NAMES.get(pattern.name, ["page"]):
        for value in BAD:
            status, detail = _call(world["client"], "get", url, {name: value})
            if status >= 500:
                failures.append(f"GET {url}?{name}={value[:20]!r} -> {status} {detail}")

    assert not failures, "\n".join(failures)


def _bases(world: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A valid POST per form page (HTML names), so a spoiled field gets past the others to the service."""
    case_form = {"kind": "litigation", "litigation_instance": "first", "procedure": "ordinary",
                 "number": "(2021)桂04行初66号", "reviewing_body": "法院", "applicant": "张三", "subject": "other",
                 "received_on": "2021-03-01"}
    return {
        "case-create": case_form, "case-edit": case_form,
        "case-conclude-page": {"outcome": "claims_dismissed", "concluded_on": "2021-05-20"},
        "case-suspend-page": {"reason": "等待另案"}, "case-reopen-page": {"reason": "录错"},
        "hearing-create": {"kind": "court", "scheduled_at": "2021-06-20T09:00"},
        "hearing-record-page": {"responsible_person": world["leader"].pk, "staff": world["staff"].pk},
        "hearing-reschedule-page": {"scheduled_at": "2021-06-20T09:00", "place": "第五审判庭"},
        "hearing-postpone-page": {"reason": "法院通知"}, "hearing-cancel-page": {"reason": "原告撤诉"},
        "deadline-create": {"deadline-title": "补证", "deadline-due_on": "2021-06-10"},
        "deadline-waive-page": {"reason": "法院取消"}, "document-create": {"document-title": "答辩状"},
    }


def _form_fields(client: Client, url: str) -> list[str]:
    response = client.get(url)
    form = response.context.get("form") if response.status_code == 200 and response.context else None
    return [form.add_prefix(name) for name in form.fields] if form is not None else []


FORM_BAD = ["a\x00b", "99999999999999999999", "-1", "2021-02-30", "0001-01-01T00:00", "9999-12-31T23:59",
            "no_such_code", "x" * 5000, ""]


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.name)
def test_it_never_answers_a_malformed_form_with_a_500(world, pattern):
    url = reverse(pattern.name, kwargs=_kwargs(pattern, world))
    base = _bases(world).get(pattern.name, {})
    fields = set(_form_fields(world["client"], url)) | set(base) | {"version"}
    failures = []
    for field in sorted(fields):
        for value in FORM_BAD:
            status, detail = _call(world["client"], "post", url, {**base, field: value})
            if status >= 500:
                failures.append(f"POST {url} {field}={value[:20]!r} -> {status} {detail}")

    assert not failures, "\n".join(failures)
