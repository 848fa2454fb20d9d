"""The OpenAPI schema: clean under --fail-on-warn, served offline, and true to the API (Schemathesis)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from cases.choices import LeaderRank, Role
from cases.models import Deadline
from tests.factories import CaseFactory, HearingFactory, ReconsiderationFactory, member

pytestmark = pytest.mark.django_db


def test_it_generates_the_schema_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(target))

    text = target.read_text()
    for path in ("/api/cases/{id}/conclude/", "/api/hearings/{id}/record/", "/api/deadline-rules/{code}/compute/",
                 "/api/auth/token/", "/api/deadlines/{id}/waive/"):
        assert f"  {path}:" in text


def test_it_serves_swagger_ui_from_our_own_static_files(client):
    html = client.get("/api/docs/").content.decode()

    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn.jsdelivr.net" not in html and "unpkg.com" not in html


# ---------------------------------------------------------------- Schemathesis

# Real objects to aim a share of the generated requests at (the rest hit random ids).
_REAL_IDS: dict[str, Any] = {}


def _world(agency, other_agency) -> dict[str, Any]:
    staff = member(agency, Role.STAFF, username="schema-staff")
    leader = member(agency, Role.LEADER, LeaderRank.PRINCIPAL, username="schema-leader")
    case = CaseFactory(agency=agency)
    ReconsiderationFactory(agency=agency)
    past = HearingFactory(case=case, scheduled_at=dt.datetime(2021, 5, 1, 9, tzinfo=dt.UTC))
    deadline = Deadline.objects.create(case=case, rule="manual", title="补证", due_on=dt.date(2030, 1, 2))
    CaseFactory(agency=other_agency)
    return {
        "token": Token.objects.create(user=staff).key,
        "/api/cases/": case.pk, "/api/hearings/": past.pk, "/api/deadlines/": deadline.pk,
        "/api/people/": leader.pk, "/api/agencies/": agency.code, "/api/deadline-rules/": "litigation_defence",
    }


def _aim(case: Any, use_real: bool) -> Any:
    if use_real and case.path_parameters:
        for prefix, value in _REAL_IDS.items():
            if case.operation.path.startswith(prefix):
                key = next(iter(case.path_parameters))
                case.path_parameters[key] = value
    return case


@pytest.fixture
def wsgi_app():
    """The real WSGI app, minus the per-request connection cleanup (as Django's test client does).

    Closing "old" connections after each request would close the test's own
    transaction on PostgreSQL.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.slow
def test_it_survives_schemathesis_on_every_operation(agency, other_agency, wsgi_app):
    world = _world(agency, other_agency)
    _REAL_IDS.clear()
    _REAL_IDS.update({k: v for k, v in world.items() if k.startswith("/")})
    headers = {"Authorization": f"Token {world['token']}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app)
    failures: list[str] = []
    operations = 0

    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=st.tuples(operation.as_strategy(), st.booleans()).map(lambda pair: _aim(*pair)))
        @settings(max_examples=15, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case: Any) -> None:
            response = case.call(headers=headers)
            case.validate_response(
                response, checks=[not_a_server_error, response_schema_conformance, status_code_conformance]
            )

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # collect every operation's failure, then report them together
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:1500]}")

    assert operations >= 30
    assert not failures, "\n\n".join(failures)


def test_it_links_the_api_root_to_the_api_not_to_the_web_pages(client_for, staff):
    """The web pages use the same plain URL names (case-detail); the API's live in the api namespace."""
    body = client_for(staff).get("/api/").json()

    assert body["cases"].endswith("/api/cases/") and body["hearings"].endswith("/api/hearings/")
