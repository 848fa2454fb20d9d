"""A stale update is refused and the record is unchanged: every write route of a versioned resource.

The routes come from the router (every PUT/PATCH and every POST action on a
case or a hearing), so a new action is covered without editing this file; it
only needs a valid body in WRITES. Each route is tried three ways on the same
starting state: with a stale ``version`` in the body (409), with a stale
``If-Match`` (412), and with the current version (it succeeds, which proves the
refusals came from the version and not from a bad body).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.forms.models import model_to_dict
from django.urls import reverse

from cases.api.urls import router
from cases.api.views.common import VersionedWrites
from cases.choices import HearingStatus, Status
from cases.models import Case, Hearing
from tests.factories import CaseFactory, HearingFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2021, 6, 1, 10, 0, tzinfo=dt.UTC)
CASE_BODY = {
    "kind": "litigation", "instance": "first", "procedure": "ordinary", "number": "(2021)桂04行初55号",
    "reviewing_body": "梧州市中级人民法院", "applicant": "李四", "subject": "work_injury", "received_on": "2021-03-01",
}


def _case(agency: Any, **fields: Any) -> Case:
    return CaseFactory(agency=agency, version=3, **fields)


def _hearing(agency: Any, when: dt.datetime) -> Hearing:
    return HearingFactory(case=CaseFactory(agency=agency), scheduled_at=when, version=3)


def _follow_up(agency: Any) -> Any:
    from cases.models import FollowUp

    return FollowUp.objects.create(agency=agency, type="procuratorial_recommendation", issuing_body="梧州市人民检察院",
                                   received_on=dt.date(2021, 3, 10), due_on=dt.date(2021, 5, 10), version=3)


FOLLOW_UP_BODY = {"type": "procuratorial_recommendation", "issuing_body": "万秀区人民检察院", "received_on": "2021-03-10"}

#: (basename, action) -> (make the object in the state the action needs, a valid body)
WRITES: dict[tuple[str, str], tuple[Any, Any]] = {
    ("case", "update"): (lambda a, u: _case(a), lambda u: CASE_BODY),
    ("case", "partial_update"): (lambda a, u: _case(a), lambda u: {"applicant": "李四"}),
    ("case", "conclude"): (lambda a, u: _case(a), lambda u: {"outcome": "claims_dismissed", "concluded_on": "2021-05-20"}),
    ("case", "suspend"): (lambda a, u: _case(a), lambda u: {"reason": "等待另案"}),
    ("case", "resume"): (lambda a, u: _case(a, status=Status.SUSPENDED, suspended_on=dt.date(2021, 5, 1)),
                         lambda u: {"reason": "恢复"}),
    ("case", "reopen"): (lambda a, u: _case(a, status=Status.CONCLUDED, outcome="upheld",
                                            concluded_on=dt.date(2021, 5, 1)), lambda u: {"reason": "录错"}),
    ("case", "archive"): (lambda a, u: _case(a), lambda u: {"reason": "重复登记"}),
    ("case", "unarchive"): (lambda a, u: _case(a, archived_at=NOW - dt.timedelta(days=1)),
                            lambda u: {"reason": "误归档"}),
    ("case", "grounds"): (lambda a, u: _case(a, status=Status.CONCLUDED, outcome="revoked",
                                             concluded_on=dt.date(2021, 5, 1)), lambda u: {"grounds": ["wrong_law"]}),
    ("follow-up", "update"): (lambda a, u: _follow_up(a), lambda u: FOLLOW_UP_BODY),
    ("follow-up", "partial_update"): (lambda a, u: _follow_up(a), lambda u: {"summary": "建议规范送达程序"}),
    ("follow-up", "answer"): (lambda a, u: _follow_up(a), lambda u: {"answered_on": "2021-05-06"}),
    ("hearing", "update"): (lambda a, u: _hearing(a, NOW + dt.timedelta(days=5)),
                            lambda u: {"scheduled_at": "2021-06-20T09:00:00+08:00", "place": "第五审判庭"}),
    ("hearing", "partial_update"): (lambda a, u: _hearing(a, NOW + dt.timedelta(days=5)),
                                    lambda u: {"place": "第五审判庭"}),
    ("hearing", "record"): (lambda a, u: _hearing(a, NOW - dt.timedelta(days=1)),
                            lambda u: {"responsible_person": u["leader"].pk, "staff": [u["staff"].pk]}),
    ("hearing", "postpone"): (lambda a, u: _hearing(a, NOW + dt.timedelta(days=5)), lambda u: {"reason": "法院通知"}),
    ("hearing", "cancel"): (lambda a, u: _hearing(a, NOW + dt.timedelta(days=5)), lambda u: {"reason": "原告撤诉"}),
}


def _versioned_writes() -> list[tuple[str, str, str, str]]:
    rows = []
    for _prefix, viewset, basename in router.registry:
        if not issubclass(viewset, VersionedWrites):
            continue
        for route in router.get_routes(viewset):
            for method, action in router.get_method_map(viewset, route.mapping).items():
                if route.detail and method in ("put", "patch", "post"):
                    rows.append((basename, route.name.format(basename=basename), method, action))
    return rows


ROUTES = _versioned_writes()


def test_it_knows_a_valid_body_for_every_versioned_write():
    assert {(basename, action) for basename, _n, _m, action in ROUTES} == set(WRITES)


def _state(obj: Any) -> tuple[dict[str, Any], int]:
    obj.refresh_from_db()
    fields = model_to_dict(obj)
    fields.pop("absence_proof", None)  # a FieldFile compares by name; nothing uploads here
    return {k: (sorted(x.pk for x in v) if isinstance(v, list) else v) for k, v in fields.items()}, obj.history.count()


@pytest.mark.parametrize(("basename", "name", "method", "action"), ROUTES, ids=[f"{r[2].upper()} {r[3]} {r[0]}" for r in ROUTES])
def test_it_refuses_a_stale_write_and_changes_nothing(api, agency, staff, leader, basename, name, method, action):
    make, body_for = WRITES[(basename, action)]
    with time_machine.travel(NOW, tick=False):
        obj = make(agency, {"staff": staff, "leader": leader})
        body = body_for({"staff": staff, "leader": leader})
        url = reverse(f"api:{name}", args=[obj.pk])
        before = _state(obj)

        stale_body = getattr(api, method)(url, {**body, "version": 2}, format="json")
        stale_header = getattr(api, method)(url, body, format="json", HTTP_IF_MATCH='"2"')

        assert (stale_body.status_code, stale_body.json()["code"]) == (409, "stale_version")
        assert (stale_header.status_code, stale_header.json()["code"]) == (412, "precondition_failed")
        assert stale_body.json()["current_version"] == stale_header.json()["current_version"] == 3
        assert _state(obj) == before

        fresh = getattr(api, method)(url, {**body, "version": 3}, format="json", HTTP_IF_MATCH='"3"')
        assert fresh.status_code == 200, fresh.json()
        assert _state(obj) != before


def test_it_leaves_a_concluded_case_concluded_after_a_stale_reopen(api, agency):
    """The plain-language version of the matrix above, for the case the office fears most."""
    case = CaseFactory(agency=agency, version=5, status=Status.CONCLUDED, outcome="upheld",
                       concluded_on=dt.date(2021, 5, 1))
    response = api.post(f"/api/cases/{case.pk}/reopen/", {"reason": "录错", "version": 4}, format="json")

    assert response.status_code == 409
    case.refresh_from_db()
    assert (case.status, case.outcome, case.version) == (Status.CONCLUDED, "upheld", 5)


def test_it_leaves_a_hearing_scheduled_after_a_stale_cancel(api, agency):
    hearing = HearingFactory(case=CaseFactory(agency=agency), version=2)
    response = api.post(f"/api/hearings/{hearing.pk}/cancel/", {"reason": "x"}, format="json", HTTP_IF_MATCH='"1"')

    assert response.status_code == 412
    hearing.refresh_from_db()
    assert (hearing.status, hearing.version) == (HearingStatus.SCHEDULED, 2)


def test_if_match_and_the_body_version_reach_the_service_as_its_expected_version(api, agency, monkeypatch):
    from cases.services import cases as case_services

    seen, real = [], case_services.case_suspend
    monkeypatch.setattr(case_services, "case_suspend", lambda **kw: seen.append(kw["expected_version"]) or real(**kw))
    case = _case(agency)
    api.post(f"/api/cases/{case.pk}/suspend/", {"reason": "等待另案"}, format="json", HTTP_IF_MATCH='"3"')
    api.post(f"/api/cases/{case.pk}/resume/", {"reason": "", "version": 4}, format="json")

    assert seen == [3]
    assert Case.objects.get(pk=case.pk).version == 5


def test_a_write_that_races_past_the_view_is_refused_by_the_service_with_412(api, agency, monkeypatch):
    """The view holds no lock: the service's own check under its row lock catches the race."""
    from cases.services import cases as case_services

    real = case_services.case_suspend

    def someone_else_writes_first(**kw):
        Case.objects.filter(pk=kw["case"].pk).update(version=4)
        return real(**kw)

    monkeypatch.setattr(case_services, "case_suspend", someone_else_writes_first)
    case = _case(agency)
    response = api.post(f"/api/cases/{case.pk}/suspend/", {"reason": "等待另案"}, format="json",
                        HTTP_IF_MATCH='"3"')

    assert (response.status_code, response.json()["current_version"]) == (412, 4)
    assert Case.objects.get(pk=case.pk).status == Status.PENDING
