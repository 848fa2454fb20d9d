"""The FilterSets: each filter narrows the list, and no model field users filter on lacks one."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from cases import filtersets
from cases.choices import HearingStatus, LeaderRank, Role, Status
from cases.models import Agency, Case, Deadline, Hearing, Membership
from tests.factories import CaseFactory, HearingFactory, ReconsiderationFactory, member

# Model fields that deliberately have no filter of their own, and why (NetBox's test_missing_filters).
NOT_FILTERED = {
    Case: {
        "id": "detail route", "third_parties": "searched by q", "act_description": "searched by q",
        "notes": "free text", "appeal_received_on": "trigger fact: filter its deadline (due_before/after)",
        "judgment_served_on": "trigger fact: filter its deadline", "decision_served_on": "trigger fact",
        "effective_on": "trigger fact",
        "retrial_application_received_on": "trigger fact", "decision_received_on": "trigger fact",
        "redo_due_on": "due date of a deadline: filter the deadline",
        "version": "concurrency token", "history": "",
    },
    Hearing: {
        "id": "detail route", "absence_detail": "free text", "absence_proof": "file", "notes": "free text",
        "version": "concurrency token", "created_at": "", "updated_at": "", "history": "",
    },
    Deadline: {
        "id": "detail route", "title": "searched by q", "close_note": "free text", "override_reason": "free text",
        "created_at": "", "updated_at": "", "history": "",
    },
    Membership: {"id": "the API identifies people by user", "user": "detail route", "webhook_mention": "not shown",
                 "wants_digest": "not shown", "history": ""},
    Agency: {"id": "detail route by code", "webhook_url": "not shown (it carries a key)", "history": "",
             "path": "internal materialized path of the agency tree"},
}
FILTERSETS = {
    Case: filtersets.CaseFilterSet, Hearing: filtersets.HearingFilterSet, Deadline: filtersets.DeadlineFilterSet,
    Membership: filtersets.PersonFilterSet, Agency: filtersets.AgencyFilterSet,
}


@pytest.mark.parametrize("model", list(FILTERSETS), ids=lambda m: m.__name__)
def test_it_has_a_filter_for_every_field_users_filter_on(model):
    filtered = {f.field_name.split("__")[0] for f in FILTERSETS[model].base_filters.values()}
    fields = {f.name for f in model._meta.get_fields() if f.concrete or f.many_to_many}
    fields = {f.name for f in model._meta.get_fields() if (f.concrete or f.many_to_many) and not f.auto_created} | {"id"}
    missing = fields - filtered - set(NOT_FILTERED[model])

    assert not missing, f"{model.__name__} fields without a filter: {sorted(missing)}"
    assert "q" in FILTERSETS[model].base_filters


pytestmark = pytest.mark.django_db


def _ids(client, query: str) -> set[int]:
    response = client.get(f"/api/cases/?{query}")
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def today():
    with time_machine.travel(dt.datetime(2022, 3, 1, 10, tzinfo=dt.UTC), tick=False):
        yield timezone.localdate()


@pytest.fixture
def ledger(agency, other_agency, staff, today):
    leader = member(agency, Role.LEADER, LeaderRank.DEPUTY)
    old = CaseFactory(agency=agency, received_on=dt.date(2020, 5, 1), status=Status.CONCLUDED, outcome="claims_dismissed",
                      concluded_on=dt.date(2020, 12, 1), applicant="赵六")
    carried = CaseFactory(agency=agency, received_on=dt.date(2020, 11, 1), status=Status.CONCLUDED,
                          outcome="withdrawn", concluded_on=dt.date(2021, 2, 1), act_changed=True)
    recon = ReconsiderationFactory(agency=agency, received_on=dt.date(2021, 6, 1), subject="information_disclosure",
                                   act_description="不予公开告知书")
    second = CaseFactory(agency=agency, litigation_instance="second", received_on=dt.date(2022, 1, 5),
                         status=Status.SUSPENDED, suspended_on=dt.date(2022, 2, 1))
    second.handlers.set([staff])
    Deadline.objects.create(case=second, rule="manual", title="补证", due_on=dt.date(2022, 2, 20))
    Deadline.objects.create(case=recon, rule="manual", title="答复", due_on=dt.date(2022, 3, 10))
    HearingFactory(case=carried, scheduled_at=dt.datetime(2021, 1, 10, 9, tzinfo=dt.UTC), status=HearingStatus.HELD,
                   bureau_appeared=True, responsible_person=leader)
    HearingFactory(case=old, scheduled_at=dt.datetime(2020, 10, 10, 9, tzinfo=dt.UTC), status=HearingStatus.HELD,
                   bureau_appeared=True, absence_reason="official_duty")
    CaseFactory(agency=other_agency)
    return {"old": old.pk, "carried": carried.pk, "recon": recon.pk, "second": second.pk}


@pytest.mark.parametrize(("query", "expected"), [
    ("kind=reconsideration", {"recon"}),
    ("instance=second", {"second"}),
    ("instance=first&instance=second", {"old", "carried", "second"}),
    ("status=pending&status=suspended", {"recon", "second"}),
    ("outcome=withdrawn", {"carried"}),
    ("bucket=upheld", {"old"}),
    ("bucket=pending&year=2020", {"carried"}),
    ("bucket=withdrawn&year=2020", set()),
    ("subject=information_disclosure", {"recon"}),
    ("agency=wuzhou-hrss&status=concluded", {"old", "carried"}),
    ("year=2021", {"carried", "recon"}),
    ("received_after=2021-01-01&received_before=2021-12-31", {"recon"}),
    ("concluded_after=2021-01-01", {"carried"}),
    ("concluded_before=2020-12-31", {"old"}),
    ("has_overdue_deadline=true", {"second"}),
    ("has_overdue_deadline=false&status=pending", {"recon"}),
    ("due_before=2022-02-28", {"second"}),
    ("due_after=2022-03-01", {"recon"}),
    ("hearing_after=2021-01-01&hearing_before=2021-01-31", {"carried"}),
    ("leader_attended=true", {"carried"}),
    ("leader_attended=false", {"old"}),
    ("q=赵六", {"old"}),
    ("q=不予公开", {"recon"}),
    ("act_changed=true", {"carried"}),
    ("suspended_after=2022-01-01", {"second"}),
])
def test_it_filters_cases(api, ledger, query, expected):
    assert _ids(api, query) == {ledger[name] for name in expected}


def test_it_filters_cases_by_handler(api, ledger, staff):
    assert _ids(api, f"handler={staff.pk}") == {ledger["second"]}


def test_it_refuses_an_agency_code_the_user_cannot_see(api, ledger):
    response = api.get("/api/cases/?agency=hezhou-hrss")

    assert response.status_code == 400 and "agency" in response.json()["errors"]


def test_it_orders_cases(api, ledger):
    rows = api.get("/api/cases/?ordering=received_on").json()["results"]

    assert [r["id"] for r in rows] == [ledger[n] for n in ("old", "carried", "recon", "second")]


def test_it_caps_the_page_size_at_200(api, agency):
    CaseFactory.create_batch(3, agency=agency)
    body = api.get("/api/cases/?page_size=1").json()
    assert (body["count"], len(body["results"])) == (3, 1)
    from cases.api.pagination import PageNumberPagination

    assert PageNumberPagination.max_page_size == 200


def test_it_filters_hearings_deadlines_and_people(api, ledger, agency, staff):
    assert api.get("/api/hearings/?leader_attended=true").json()["count"] == 1
    assert api.get("/api/hearings/?scheduled_after=2021-01-01").json()["count"] == 1
    assert api.get("/api/deadlines/?urgency=overdue").json()["count"] == 1
    assert api.get("/api/deadlines/?urgency=due_7_days").json()["count"] == 0
    assert api.get("/api/deadlines/?due_after=2022-03-01&rule=manual").json()["count"] == 1
    assert {p["id"] for p in api.get("/api/people/?responsible_person=true").json()["results"]} == {
        m.user_id for m in Membership.objects.responsible_persons()
    }
    assert api.get("/api/people/?role=staff").json()["results"][0]["id"] == staff.pk
