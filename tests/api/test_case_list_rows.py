"""GET /api/cases/ formats rows read as values (cases/api/serializers/case_list.py): every key and
value must be what CaseSerializer answers for the same cases as model instances."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from rest_framework.renderers import JSONRenderer

from cases.api.serializers import CaseSerializer
from cases.api.views.cases import case_queryset
from cases.choices import DeadlineStatus, HearingStatus, Kind, Outcome, Status
from cases.services.calendar import workday_calendar
from cases.services.common import SYSTEM
from cases.services.deadlines import deadlines_sync
from tests.factories import CaseFactory, DeadlineFactory, HearingFactory, ReconsiderationFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2021, 6, 1, 10, 0, tzinfo=dt.UTC)
TODAY = dt.date(2021, 6, 1)


def _cases(agency, staff, leader):
    """Cases with every shape a row can take: kinds, outcomes, handlers, hearings, deadlines."""
    plain = CaseFactory(agency=agency)
    busy = CaseFactory(agency=agency, accepted_on=dt.date(2021, 3, 2), act_date=dt.date(2021, 1, 5),
                       co_defendant=True, notes="备注")
    busy.handlers.set([staff, leader])
    deadlines_sync(case=busy, by=SYSTEM)
    for due in (TODAY - dt.timedelta(days=3), TODAY, TODAY + dt.timedelta(days=2), TODAY + dt.timedelta(days=40)):
        DeadlineFactory(case=busy, due_on=due)
    DeadlineFactory(case=busy, due_on=TODAY + dt.timedelta(days=5), is_bureau_duty=False)
    DeadlineFactory(case=busy, due_on=TODAY - dt.timedelta(days=9), status=DeadlineStatus.MET, closed_at=NOW)
    HearingFactory(case=busy, scheduled_at=NOW + dt.timedelta(days=3), expected_leader=leader)
    HearingFactory(case=busy, scheduled_at=NOW + dt.timedelta(days=9))
    HearingFactory(case=busy, scheduled_at=NOW - dt.timedelta(days=20), status=HearingStatus.HELD,
                   bureau_appeared=True, responsible_person=leader)
    HearingFactory(case=busy, scheduled_at=NOW + dt.timedelta(days=1), status=HearingStatus.CANCELLED)
    reconsideration = ReconsiderationFactory(agency=agency)
    reconsideration.handlers.set([staff])
    deadlines_sync(case=reconsideration, by=SYSTEM)
    held_only = CaseFactory(agency=agency)
    HearingFactory(case=held_only, scheduled_at=NOW - dt.timedelta(days=2), status=HearingStatus.HELD,
                   bureau_appeared=True, lawyer_names="张律师", absence_reason="other")
    concluded = CaseFactory(agency=agency, status=Status.CONCLUDED, outcome=Outcome.REVOKED,
                            concluded_on=dt.date(2021, 5, 20), act_changed=False, previous=plain)
    withdrawn = ReconsiderationFactory(agency=agency, status=Status.CONCLUDED, outcome=Outcome.WITHDRAWN,
                                       concluded_on=dt.date(2021, 5, 3), act_changed=True)
    suspended = CaseFactory(agency=agency, status=Status.SUSPENDED, suspended_on=dt.date(2021, 4, 1))
    return [plain, busy, reconsideration, held_only, concluded, withdrawn, suspended]


def _as_serialized(user, cases) -> dict[int, dict]:
    """CaseSerializer over model instances, the way the list answered before it read values."""
    calendar = workday_calendar()
    instances = case_queryset(user, calendar).filter(pk__in=[c.pk for c in cases])
    data = CaseSerializer(instances, many=True, context={"workday_calendar": calendar}).data
    return {row["id"]: row for row in json.loads(JSONRenderer().render(data))}


@time_machine.travel(NOW, tick=False)
def test_the_list_answers_every_key_and_value_as_the_case_serializer(client_for, agency, staff, leader):
    cases = _cases(agency, staff, leader)
    expected = _as_serialized(staff, cases)

    response = client_for(staff).get("/api/cases/", {"page_size": 200})

    listed = {row["id"]: row for row in json.loads(response.content)["results"]}
    assert listed.keys() == expected.keys()
    for pk, row in listed.items():
        assert list(row) == list(expected[pk])  # the keys, in the serializer's order
        assert row == expected[pk]


@time_machine.travel(NOW, tick=False)
def test_the_list_answers_in_english_as_the_case_serializer(client_for, agency, staff, leader):
    cases = _cases(agency, staff, leader)
    client = client_for(staff)

    listed = json.loads(client.get("/api/cases/", HTTP_ACCEPT_LANGUAGE="en").content)["results"]

    with translation.override("en"):
        expected = _as_serialized(staff, cases)
    assert {row["id"]: row for row in listed} == expected


@time_machine.travel(NOW, tick=False)
def test_a_row_without_deadlines_hearings_or_handlers_has_empty_ones(client_for, agency, staff):
    case = CaseFactory(agency=agency, kind=Kind.LITIGATION)

    row = client_for(staff).get("/api/cases/").json()["results"][0]

    assert row["id"] == case.pk
    assert (row["handlers"], row["deadlines"], row["bucket"]) == ([], [], "pending")
    assert row["hearings"] == {"count": 0, "held": 0, "leader_attended": False, "next_id": None, "next_at": None,
                               "leader_arranged": None}


def test_the_count_of_the_list_does_not_join_the_agencies(client_for, agency, staff):
    """A wide list counts up to 10,000 rows: the agency's code is read for the page only."""
    CaseFactory(agency=agency)

    with CaptureQueriesContext(connection) as ctx:
        assert client_for(staff).get("/api/cases/").json()["results"][0]["agency"] == agency.code

    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"]]
    assert counts and not any("cases_agency" in sql for sql in counts)
