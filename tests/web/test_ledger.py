"""The ledger: filters like the API, sorting, pagination, urgency colours, XLSX export, fixed query count."""

from __future__ import annotations

import datetime as dt
import io
from html.parser import HTMLParser

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from cases.choices import Kind, Status, Subject
from cases.web.ledger import PAGE_SIZE
from tests.factories import CaseFactory, DeadlineFactory, HearingFactory, ReconsiderationFactory, member

pytestmark = pytest.mark.django_db

# Monday 2025-09-15: the next three working days end on Thursday the 18th.
TODAY = dt.datetime(2025, 9, 15, 9, 0, tzinfo=dt.UTC)


def _numbers(response) -> list[str]:
    return [case.number for case in response.context["page"]]


def test_it_lists_only_the_cases_the_user_may_see(staff_client, agency, other_agency):
    mine = CaseFactory(agency=agency)
    CaseFactory(agency=other_agency)
    archived = CaseFactory(agency=agency, archived_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    numbers = _numbers(staff_client.get(reverse("case-list")))
    assert numbers == [mine.number]
    assert archived.number not in numbers


def test_it_filters_by_kind_status_subject_and_text(staff_client, agency):
    lawsuit = CaseFactory(agency=agency, subject=Subject.WORK_INJURY, applicant="张三")
    recon = ReconsiderationFactory(agency=agency, subject=Subject.INFORMATION_DISCLOSURE, applicant="李四")
    url = reverse("case-list")
    assert _numbers(staff_client.get(url, {"kind": Kind.RECONSIDERATION})) == [recon.number]
    assert _numbers(staff_client.get(url, {"subject": Subject.WORK_INJURY})) == [lawsuit.number]
    assert _numbers(staff_client.get(url, {"q": "李四"})) == [recon.number]
    assert _numbers(staff_client.get(url, {"status": Status.CONCLUDED})) == []


def test_it_filters_by_outcome_year_and_handler(staff_client, agency, staff):
    other = member(agency, username="colleague")
    won = CaseFactory(agency=agency, status=Status.CONCLUDED, outcome="claims_dismissed",
                      concluded_on=dt.date(2021, 6, 1), received_on=dt.date(2021, 1, 5))
    old = CaseFactory(agency=agency, status=Status.CONCLUDED, outcome="withdrawn",
                      concluded_on=dt.date(2020, 6, 1), received_on=dt.date(2020, 1, 5))
    won.handlers.set([staff])
    old.handlers.set([other])
    url = reverse("case-list")
    assert _numbers(staff_client.get(url, {"outcome": "claims_dismissed"})) == [won.number]
    assert _numbers(staff_client.get(url, {"year": 2021})) == [won.number]
    assert _numbers(staff_client.get(url, {"handler": other.pk})) == [old.number]


@time_machine.travel(TODAY)
def test_it_filters_overdue_cases(staff_client, agency):
    late = CaseFactory(agency=agency)
    DeadlineFactory(case=late, due_on=dt.date(2025, 9, 12))
    fine = CaseFactory(agency=agency)
    DeadlineFactory(case=fine, due_on=dt.date(2025, 10, 30))
    url = reverse("case-list")
    assert _numbers(staff_client.get(url, {"overdue": "true"})) == [late.number]
    assert _numbers(staff_client.get(url, {"overdue": "false"})) == [fine.number]


def test_it_reports_a_bad_filter_and_shows_the_rest(staff_client, agency):
    case = CaseFactory(agency=agency)
    response = staff_client.get(reverse("case-list"), {"year": "twenty", "kind": "nonsense"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "year" in form.errors and "kind" in form.errors
    assert _numbers(response) == [case.number]


def test_it_sorts_by_a_column_both_ways(staff_client, agency):
    CaseFactory(agency=agency, number="(2021)桂04行初2号")
    CaseFactory(agency=agency, number="(2021)桂04行初1号")
    url = reverse("case-list")
    assert _numbers(staff_client.get(url, {"sort": "number"})) == ["(2021)桂04行初1号", "(2021)桂04行初2号"]
    assert _numbers(staff_client.get(url, {"sort": "-number"})) == ["(2021)桂04行初2号", "(2021)桂04行初1号"]


def test_it_paginates(staff_client, agency):
    CaseFactory.create_batch(PAGE_SIZE + 3, agency=agency)
    second = staff_client.get(reverse("case-list"), {"page": 2})
    assert len(second.context["page"]) == 3
    assert second.context["page"].paginator.count == PAGE_SIZE + 3


@time_machine.travel(TODAY)
@pytest.mark.parametrize(
    ("due", "level", "css"),
    [
        (dt.date(2025, 9, 12), "overdue", "urgency-overdue"),
        (dt.date(2025, 9, 18), "due_3_working_days", "urgency-due3"),
        (dt.date(2025, 9, 22), "due_7_days", "urgency-due7"),
        (dt.date(2025, 10, 30), "later", "urgency-later"),
    ],
)
def test_it_colours_each_rows_next_deadline_by_urgency(staff_client, agency, due, level, css):
    case = CaseFactory(agency=agency)
    DeadlineFactory(case=case, due_on=due)
    DeadlineFactory(case=case, due_on=dt.date(2025, 12, 31))  # a later one does not win
    response = staff_client.get(reverse("case-list"))
    row = response.context["page"][0]
    assert (row.next_due, row.next_urgency) == (due, level)
    assert f'class="deadline {css}"' in response.content.decode()


@time_machine.travel(TODAY)
def test_it_ignores_closed_and_watched_deadlines_for_the_colour(staff_client, agency):
    case = CaseFactory(agency=agency)
    DeadlineFactory(case=case, due_on=dt.date(2025, 9, 10), status="met",
                    closed_at=dt.datetime(2025, 9, 9, tzinfo=dt.UTC))
    DeadlineFactory(case=case, due_on=dt.date(2025, 9, 16), is_bureau_duty=False)
    DeadlineFactory(case=case, due_on=dt.date(2025, 11, 3))
    row = staff_client.get(reverse("case-list")).context["page"][0]
    assert (row.next_due, row.next_urgency) == (dt.date(2025, 11, 3), "later")


def _ledger_queries(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("case-list")).status_code == 200
    return len(ctx.captured_queries)


@time_machine.travel(TODAY)
def test_it_reads_the_ledger_in_a_fixed_number_of_queries(staff_client, agency, staff, django_assert_max_num_queries):
    def add_cases(n: int) -> None:
        for _ in range(n):
            case = CaseFactory(agency=agency)
            case.handlers.set([staff])
            DeadlineFactory(case=case, due_on=dt.date(2025, 9, 20))

    add_cases(2)
    few = _ledger_queries(staff_client)
    add_cases(25)
    many = _ledger_queries(staff_client)
    assert few == many
    # session, user, membership, calendar fingerprint (2), agencies (filter form: count + choices x2),
    # page count, page rows, handlers prefetch, unread count, ...: a handful, never one per row.
    with django_assert_max_num_queries(14):
        staff_client.get(reverse("case-list"))


@time_machine.travel(TODAY)
def test_it_exports_the_filtered_ledger_as_the_workbook_the_import_reads(staff_client, agency, staff):
    lawsuit = CaseFactory(agency=agency, applicant="王五")
    lawsuit.handlers.set([staff])
    HearingFactory(case=lawsuit, scheduled_at=dt.datetime(2025, 9, 1, 9, 30, tzinfo=dt.UTC))
    ReconsiderationFactory(agency=agency)
    response = staff_client.get(reverse("case-export"), {"kind": Kind.LITIGATION})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    titled, hearings = (list(workbook[name].iter_rows(values_only=True)) for name in ("案件", "开庭"))
    assert titled[0][0] == "案件台账" and not any(titled[4])  # title, agency, filters, date, a blank row
    cases = titled[5:]
    assert cases[0][:8] == ("案号", "类型", "审级", "程序", "审理机关", "申请人/原告", "第三人", "案由")
    assert len(cases) == 2
    row = dict(zip(cases[0], cases[1], strict=True))
    assert (row["案号"], row["申请人/原告"], row["类型"], row["承办人"]) == (lawsuit.number, "王五", "行政诉讼", staff.last_name + staff.first_name)
    assert [h[:3] for h in hearings[1:]] == [(lawsuit.number, lawsuit.reviewing_body, dt.datetime(2025, 9, 1, 17, 30))]


def test_it_exports_text_that_looks_like_a_formula_as_plain_text(staff_client, agency):
    CaseFactory(agency=agency, applicant='=HYPERLINK("http://evil.invalid","点我")')
    response = staff_client.get(reverse("case-export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if str(cell.value).startswith("=")]
    assert cells and all(cell.data_type == "s" for cell in cells)


# --- The ledger's sort and filters combine: after a column click, filtering keeps that sort (and vice versa).


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
