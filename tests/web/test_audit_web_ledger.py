"""The ledger's sort and filters combine: after a column click, filtering keeps that sort (and vice versa)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from cases.choices import Kind
from tests.factories import CaseFactory, ReconsiderationFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


class _Inputs(HTMLParser):
    """Every <input name="sort">, with the id of the element it sits in and its form= attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.sorts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("name") == "sort":
            self.sorts.append({"value": found.get("value"), "form": found.get("form"), "inside": ",".join(self.stack)})
        elif tag in ("form", "div") and found.get("id"):
            self.stack.append(found["id"] or "")
        elif tag in ("form", "div"):
            self.stack.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("form", "div") and self.stack:
            self.stack.pop()


def _sort_inputs(html: str) -> list[dict[str, str | None]]:
    parser = _Inputs()
    parser.feed(html)
    return parser.sorts


def test_it_keeps_the_current_sort_in_the_swapped_results_bound_to_the_filter_form(staff_client, agency):
    CaseFactory(agency=agency)
    page = staff_client.get(reverse("case-list"), {"kind": Kind.LITIGATION, "sort": "-received_on"}).content.decode()

    assert 'id="ledger-filters"' in page
    sorts = _sort_inputs(page)
    assert len(sorts) == 1, sorts  # no second, stale copy inside the form
    assert sorts[0]["value"] == "-received_on" and sorts[0]["form"] == "ledger-filters"
    assert "ledger-results" in (sorts[0]["inside"] or "")


def test_it_sends_the_new_sort_with_the_results_of_a_column_click(staff_client, agency):
    """htmx swaps only #ledger-results on a header click, so that is where the new sort must arrive."""
    CaseFactory(agency=agency)
    fragment = staff_client.get(reverse("case-list"), {"kind": Kind.LITIGATION, "sort": "number"}, **HTMX)

    assert fragment.templates[0].name == "cases/_ledger_results.html"
    sorts = _sort_inputs(fragment.content.decode())
    assert [(s["value"], s["form"]) for s in sorts] == [("number", "ledger-filters")]


def test_it_keeps_the_filters_in_the_column_header_links(staff_client, agency):
    CaseFactory(agency=agency)
    html = staff_client.get(reverse("case-list"), {"kind": Kind.LITIGATION, "q": "张", "page": 1}, **HTMX).content.decode()

    assert '?kind=litigation&amp;q=%E5%BC%A0&amp;sort=number"' in html  # filters kept, page dropped


def test_it_filters_and_sorts_together(staff_client, agency):
    CaseFactory(agency=agency, number="(2021)桂04行初2号")
    CaseFactory(agency=agency, number="(2021)桂04行初1号")
    ReconsiderationFactory(agency=agency, number="梧政复〔2021〕1号")

    response = staff_client.get(reverse("case-list"), {"kind": Kind.LITIGATION, "sort": "-number"})

    assert [c.number for c in response.context["page"]] == ["(2021)桂04行初2号", "(2021)桂04行初1号"]
