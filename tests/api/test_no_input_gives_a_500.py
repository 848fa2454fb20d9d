"""No input, however malformed, gives a 500: every operation of the schema, every parameter and field.

The operations come from the OpenAPI schema itself, so a new endpoint is probed
without editing this file. Each body field is spoiled on an otherwise valid body
(so the request gets past the fields it does not spoil and reaches the service),
and every request runs in a savepoint that is rolled back, so one accepted
request does not change what the next one meets.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.db import transaction
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from cases.choices import LeaderRank, Role
from cases.models import Deadline
from cases.services.common import SYSTEM
from tests.factories import CaseFactory, HearingFactory, member

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

NOW = dt.datetime(2021, 6, 1, 10, 0, tzinfo=dt.UTC)

# Values chosen by the parameter's or field's type in the schema (so the probe stays fast),
# and for every one of them a NUL byte (PostgreSQL refuses NUL in text).
QUERY_VALUES: dict[str, list[str]] = {
    "any": ["a\x00b", "x" * 3000],
    "integer": ["99999999999999999999", "-99999999999999999999", "1e400", "NaN"],
    "date": ["2021-02-30", "0000-01-01", "9999-99-99"],
    "enum": ["no_such_code"],
    "boolean": ["maybe"],
}
BODY_VALUES: dict[str, list[Any]] = {
    "any": ["a\x00b", None, [], {"a": 1}],
    "integer": [10**30, -(10**30), 1.5, True, "1e400"],
    "date": ["2021-02-30", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2021-02-30T09:00:00"],
    "enum": ["no_such_code"],
    "string": ["x" * 20_000],
    "array": [[10**30], ["\x00"], "1", [None]],
    "boolean": ["maybe"],
}
BAD_RAW_BODIES = [
    ("{", "application/json"), ("[1, 2]", "application/json"), ('"text"', "application/json"),
    ("null", "application/json"), ("1e400", "application/json"), ('{"version": 1e400}', "application/json"),
    ('{"a": "\\u0000"}', "application/json"), (b"\xff\xfe\x00", "application/json"), ("plain", "text/plain"),
    ("<x/>", "application/xml"), ("a=%00&version=99999999999999999999", "application/x-www-form-urlencoded"),
    ("--x\r\nbroken", "multipart/form-data; boundary=x"),
]


@pytest.fixture
def world(agency, other_agency) -> dict[str, Any]:
    with time_machine.travel(NOW, tick=False):
        staff = member(agency, Role.STAFF, username="probe-staff")
        leader = member(agency, Role.LEADER, LeaderRank.PRINCIPAL, username="probe-leader")
        case = CaseFactory(agency=agency)
        hearing = HearingFactory(case=case, scheduled_at=NOW - dt.timedelta(days=1))
        deadline = Deadline.objects.create(case=case, rule="manual", title="补证", due_on=dt.date(2030, 1, 2))
        from cases.models.reminders import Notification
        from cases.services.reports import yearly_report_generate

        report = yearly_report_generate(agency=agency, year=2021, by=SYSTEM)
        notification = Notification.objects.create(recipient=staff, title="提醒")
        from cases.models import FollowUp

        letter = FollowUp.objects.create(agency=agency, type="procuratorial_recommendation", issuing_body="检察院",
                                         received_on=dt.date(2021, 3, 10), due_on=dt.date(2021, 5, 10))
    client = APIClient()
    client.force_authenticate(staff)
    ids = {
        "/api/cases/": case.pk, "/api/hearings/": hearing.pk, "/api/deadlines/": deadline.pk,
        "/api/people/": staff.pk, "/api/agencies/": agency.code, "/api/deadline-rules/": "litigation_defence",
        "/api/reports/": report.pk, "/api/notifications/": notification.pk, "/api/follow-ups/": letter.pk,
    }
    # A valid body per write operation; each probe spoils one field of it.
    bodies = {
        ("post", "/api/cases/"): {
            "kind": "litigation", "instance": "first", "procedure": "ordinary", "number": "(2021)桂04行初77号",
            "reviewing_body": "法院", "applicant": "张三", "subject": "other", "received_on": "2021-03-01",
        },
        ("post", "/api/cases/{id}/conclude/"): {"outcome": "upheld", "concluded_on": "2021-05-01"},
        ("post", "/api/hearings/"): {"case": case.pk, "scheduled_at": "2021-07-01T09:00:00+08:00"},
        ("patch", "/api/hearings/{id}/"): {"scheduled_at": "2021-07-01T09:00:00+08:00"},
        ("put", "/api/hearings/{id}/"): {"scheduled_at": "2021-07-01T09:00:00+08:00"},
        ("post", "/api/hearings/{id}/record/"): {"responsible_person": leader.pk, "staff": [staff.pk]},
        ("post", "/api/deadlines/"): {"case": case.pk, "title": "补证", "due_on": "2021-06-10"},
        ("post", "/api/deadlines/{id}/waive/"): {"note": "法院取消"},
        ("post", "/api/auth/token/"): {"username": "probe-staff", "password": "pw-for-tests"},
        ("post", "/api/reports/generate/"): {"agency": agency.code, "year": 2021},
        ("post", "/api/follow-ups/"): {"type": "opinion_letter", "issuing_body": "梧州市人民政府",
                                       "received_on": "2021-03-03"},
        ("post", "/api/follow-ups/{id}/answer/"): {"answered_on": "2021-05-01"},
    }
    bodies[("put", "/api/cases/{id}/")] = bodies[("patch", "/api/cases/{id}/")] = bodies[("post", "/api/cases/")]
    bodies[("put", "/api/follow-ups/{id}/")] = bodies[("patch", "/api/follow-ups/{id}/")] = bodies[
        ("post", "/api/follow-ups/")]
    return {"client": client, "ids": ids, "bodies": bodies}


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    for key in ("allOf", "oneOf", "anyOf"):
        if key in node:
            node = next(n for n in node[key] if n.get("type") != "null" and n != {"enum": [""]} or "$ref" in n)
    if "$ref" in node:
        return _resolve(schema, schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]])
    return node


def _kinds(schema: dict[str, Any], node: dict[str, Any]) -> list[str]:
    """Which families of bad values suit a parameter or field of this (OpenAPI) schema."""
    node = _resolve(schema, node)
    kinds = ["any"]
    if "enum" in node:
        kinds.append("enum")
    if node.get("type") in ("integer", "number"):
        kinds.append("integer")
    if node.get("format") in ("date", "date-time"):
        kinds.append("date")
    if node.get("type") == "boolean":
        kinds.append("boolean")
    if node.get("type") == "string" and "enum" not in node and not node.get("format"):
        kinds.append("string")
    if node.get("type") == "array":
        kinds += ["array", *_kinds(schema, node.get("items", {}))[1:]]
    return kinds


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    rows = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            body = content.get("application/json", {}).get("schema")
            properties = _resolve(schema, body).get("properties", {}) if body else {}
            fields = {name: _kinds(schema, prop) for name, prop in properties.items() if not prop.get("readOnly")}
            query = {p["name"]: _kinds(schema, p.get("schema", {})) for p in operation.get("parameters", [])
                     if p["in"] == "query"}
            rows.append((method, path, {"fields": fields, "query": query}))
    return rows


OPERATIONS = _operations()


def _url(path: str, ids: dict[str, Any]) -> str:
    if "{" not in path:
        return path
    prefix = next(p for p in ids if path.startswith(p))
    head, _param, tail = path.partition("{")[0], None, path.partition("}")[2]
    return f"{head}{ids[prefix]}{tail}" if head == prefix else path


def _call(client: APIClient, method: str, url: str, **kwargs: Any) -> tuple[int, Any]:
    """One request in a savepoint that is rolled back; an exception escaping the view is a failure too."""
    with time_machine.travel(NOW, tick=False), transaction.atomic():
        try:
            response = getattr(client, method)(url, **kwargs)
        except Exception as exc:  # the test client re-raises what the view did not handle
            return 500, repr(exc)[:300]
        finally:
            transaction.set_rollback(True)
    return response.status_code, response


def _check(failures: list[str], what: str, status: int, response: Any) -> None:
    if status >= 500:
        failures.append(f"{what} -> {status} {response if isinstance(response, str) else ''}")
    elif status >= 400 and response["Content-Type"].startswith("application/json"):
        if not {"detail", "code", "errors"} <= set(response.json()):
            failures.append(f"{what} -> {status} without the error shape: {response.content[:200]!r}")


@pytest.mark.parametrize(("method", "path", "spec"), [o for o in OPERATIONS if o[0] == "get"],
                         ids=[f"GET {o[1]}" for o in OPERATIONS if o[0] == "get"])
def test_it_never_answers_a_malformed_query_with_a_500(world, method, path, spec):
    url = _url(path, world["ids"])
    failures: list[str] = []
    params = {"page": ["integer"], "page_size": ["integer"], "ordering": ["enum"], **spec["query"]}
    for name, kinds in params.items():
        for value in [value for kind in ["any", *kinds] for value in QUERY_VALUES.get(kind, [])] + ["100000"]:
            status, response = _call(world["client"], "get", url, data={name: value})
            _check(failures, f"GET {url}?{name}={value[:30]!r}", status, response)

    assert not failures, "\n".join(failures)


WRITES = [o for o in OPERATIONS if o[0] in ("post", "put", "patch")]


@pytest.mark.parametrize(("method", "path", "spec"), WRITES, ids=[f"{o[0].upper()} {o[1]}" for o in WRITES])
def test_it_never_answers_a_malformed_body_with_a_500(world, method, path, spec):
    url = _url(path, world["ids"])
    base = world["bodies"].get((method, path), {})
    failures: list[str] = []
    for raw, content_type in BAD_RAW_BODIES:
        status, response = _call(world["client"], method, url, data=raw, content_type=content_type)
        _check(failures, f"{method.upper()} {url} raw {raw[:30]!r} as {content_type}", status, response)
    fields = {"version": ["integer"], **{name: ["string"] for name in base}, **spec["fields"]}
    for field, kinds in fields.items():
        for value in [value for kind in ["any", *kinds] for value in BODY_VALUES.get(kind, [])]:
            body = json.dumps({**base, field: value})
            status, response = _call(world["client"], method, url, data=body, content_type="application/json")
            _check(failures, f"{method.upper()} {url} {field}={str(value)[:30]!r}", status, response)

    assert not failures, "\n".join(failures)


def test_it_probes_every_operation_of_the_schema():
    """The probes above cover the schema; a schema this small would mean they cover nothing."""
    assert len(OPERATIONS) >= 30
    assert {("post", "/api/cases/"), ("post", "/api/hearings/{id}/record/"), ("get", "/api/statistics/yearly/")} <= {
        (m, p) for m, p, _s in OPERATIONS
    }
