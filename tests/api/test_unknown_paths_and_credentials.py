"""Every API route asks for credentials with 401 + WWW-Authenticate; unknown /api/ paths are JSON 404s."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db
#: Routes open without credentials, and why: the token endpoint takes them in its body; the schema
#: and its Swagger page are public documentation without data; unknown paths are a 404 for anyone.
UNAUTHENTICATED_BY_DESIGN = {"api:api-token", "api:schema", "api:swagger-ui", "api:not-found"}


def _api_routes() -> list[tuple[str, str]]:
    """(name, sample path) of every route under /api/, ids filled with 1."""
    api = next(p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "api")
    out: list[tuple[str, str]] = []

    def walk(patterns, prefix):
        for pattern in patterns:
            regex = pattern.pattern.regex.pattern.lstrip("^").rstrip("$").replace("\\Z", "")
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + regex)
            elif isinstance(pattern, URLPattern) and "<format>" not in regex:
                path = re.sub(r"\(\?P<[a-z_]+>[^)]*\)", "1", prefix + regex).replace("\\.", ".").replace("/?", "/")
                out.append((f"api:{pattern.name}", "/api/" + path))

    walk(api.url_patterns, "")
    return [(name, path) for name, path in out if name not in UNAUTHENTICATED_BY_DESIGN and "(" not in path]


def test_the_walk_finds_every_resource():
    paths = {path for _, path in _api_routes()}
    assert {"/api/cases/", "/api/cases/1/", "/api/hearings/1/proof/", "/api/reports/",
            "/api/notifications/", "/api/statistics/yearly/"} <= paths


@pytest.mark.parametrize(("name", "path"), _api_routes())
def test_a_request_without_credentials_gets_401_asking_for_a_token(name, path):
    response = APIClient().get(path)
    assert response.status_code == 401, f"{name} {path}"
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("path", ["/api/cases/0.5/", "/api/nothing-here/", "/api/cases/1/no-such-action/", "/api/"
                                  "cases/abc.def/"])
def test_an_unknown_api_path_is_a_json_404_in_the_one_error_shape(path, api):
    for client in (api, APIClient()):
        response = client.get(path)
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        assert response.json() == {"detail": response.json()["detail"], "code": "not_found", "errors": {}}
