"""JSON nested thousands of levels deep is a 400 parse error on every JSON endpoint, never a 500."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from cases.api.parsers import MAX_JSON_DEPTH, JSONParser
from tests.factories import CaseFactory, HearingFactory

pytestmark = pytest.mark.django_db

DEEP = "[" * 100_000 + "]" * 100_000
JUST_PAST_THE_LIMIT = '{"number": ' + "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH + "}"


def _api_view_classes() -> list[type]:
    api = next(p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "api")
    found: list[type] = []

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and hasattr(pattern.callback, "cls"):
                found.append(pattern.callback.cls)

    walk(api.url_patterns)
    return found


def test_every_api_view_parses_json_with_the_depth_limited_parser():
    views = _api_view_classes()
    assert len(views) > 10
    for view in views:
        json_parsers = [p for p in view().get_parsers() if p.media_type == "application/json"]
        # A view that takes JSON at all takes it through the depth-limited parser; the
        # multipart-only ledger import takes none.
        assert all(isinstance(p, JSONParser) for p in json_parsers), view
    assert sum(1 for view in views if any(p.media_type == "application/json" for p in view().get_parsers())) > 10


@pytest.mark.parametrize("body", [DEEP, JUST_PAST_THE_LIMIT])
def test_the_unauthenticated_token_endpoint_answers_deep_json_with_400(body):
    response = APIClient().generic("POST", "/api/auth/token/", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@pytest.mark.parametrize("body", [DEEP, JUST_PAST_THE_LIMIT])
def test_writes_answer_deep_json_with_400_and_save_nothing(api, agency, body):
    case = CaseFactory(agency=agency)
    hearing = HearingFactory(case=case)

    for method, path in [("POST", "/api/cases/"), ("PATCH", f"/api/cases/{case.pk}/"),
                         ("PATCH", f"/api/hearings/{hearing.pk}/"), ("POST", f"/api/cases/{case.pk}/conclude/")]:
        response = api.generic(method, path, body, content_type="application/json")
        assert response.status_code == 400, (method, path, response.content[:200])
        assert response.json()["code"] == "parse_error"


def test_json_within_the_limit_is_parsed_as_before(api, agency):
    response = api.post("/api/cases/", {"number": "(2026)1号", "tags": [[["a"]]]}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] != "parse_error"
