"""cases/api/backends.py: a list request without a filter parameter builds no FilterSet
(its form costs more than the page's query); with one, the FilterSet filters as before."""

from __future__ import annotations

import pytest

from cases.choices import Status
from cases.filtersets import CaseFilterSet
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(monkeypatch):
    count = {"n": 0}
    original = CaseFilterSet.__init__

    def counting(self, *args, **kwargs):
        count["n"] += 1
        original(self, *args, **kwargs)

    monkeypatch.setattr(CaseFilterSet, "__init__", counting)
    return count


def test_it_builds_no_filterset_for_a_page_without_filters(api, agency, built):
    CaseFactory(agency=agency)

    response = api.get("/api/cases/", {"page_size": 10, "page": 1, "ordering": "number"})

    assert response.json()["count"] == 1
    assert built["n"] == 0


def test_it_filters_as_before_when_a_filter_is_given(api, agency, built):
    CaseFactory(agency=agency)
    CaseFactory(agency=agency, status=Status.SUSPENDED)

    response = api.get("/api/cases/", {"status": "suspended"})

    assert [row["status"] for row in response.json()["results"]] == ["suspended"]
    assert built["n"] == 1


def test_it_still_refuses_an_invalid_filter(api, agency):
    assert api.get("/api/cases/", {"status": "no-such-status"}).status_code == 400
