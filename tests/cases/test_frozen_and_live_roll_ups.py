"""Issue 17: a closed year's roll-up is summed from the agencies' frozen year-end rows, and it
gives the same numbers as counting the cases live, on any agency tree and any cases."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from cases.models import Agency, Case, Hearing, YearlyReport
from cases.querysets.statistics import _frozen_totals, frozen_year_figures, year_figures, year_totals, yearly_statistics
from cases.services.reports import yearly_reports_generate_year_end
from tests.cases.test_statistics import case_specs
from tests.factories import AgencyFactory, UserFactory

AFTER_THE_YEARS = dt.datetime(2023, 2, 1, 12, 0, tzinfo=dt.UTC)

# A tree as parent indexes: agency i hangs under parents[i] (an earlier agency) or is a root.
trees = st.lists(st.integers(0, 6), min_size=1, max_size=7).map(
    lambda picks: [None] + [pick % i if pick < 6 else None for i, pick in enumerate(picks[1:], start=1)]
)


def store(parents, specs, homes):
    agencies: list[Agency] = []
    for index, parent in enumerate(parents):
        agencies.append(AgencyFactory(code=f"t{index}", parent=agencies[parent] if parent is not None else None))
    leader = UserFactory(username="tree-leader")
    cases = Case.objects.bulk_create([
        Case(agency=agencies[homes[i % len(homes)] % len(agencies)], kind=c["kind"],
             litigation_instance=c["instance"], number=f"N{i}", reviewing_body="R", applicant="A",
             subject=c["subject"], received_on=c["received_on"], status=c["status"], outcome=c["outcome"],
             concluded_on=c["concluded_on"], act_changed=c["act_changed"],
             suspended_on=c["received_on"] if c["status"] == "suspended" else None)
        for i, c in enumerate(specs)
    ])  # fmt: skip
    Hearing.objects.bulk_create([
        Hearing(case=case, kind=h["kind"], scheduled_at=h["when"], status=h["status"],
                bureau_appeared=h["appeared"] if h["status"] == "held" else None,
                responsible_person=leader if h["status"] == "held" and h["appeared"] and h["leader"] else None,
                absence_reason="" if h["appeared"] and h["leader"] else "other")
        for case, c in zip(cases, specs, strict=True) for h in c["hearings"]
    ])  # fmt: skip
    return agencies


@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    parents=trees,
    specs=st.lists(case_specs(), max_size=10),
    homes=st.lists(st.integers(0, 6), min_size=1, max_size=10),
    year=st.sampled_from([2020, 2021, 2022]),
    root_pick=st.integers(0, 6),
)
def test_frozen_and_live_roll_ups_agree_on_any_tree_and_cases(db, parents, specs, homes, year, root_pick):
    with transaction.atomic(), time_machine.travel(AFTER_THE_YEARS, tick=False):
        agencies = store(parents, specs, homes)
        yearly_reports_generate_year_end(year=year)
        root = agencies[root_pick % len(agencies)]
        for kwargs, ids, label in [
            ({"agency": root, "with_children": True}, root.descendant_ids(), root.code),
            ({"agency": root}, {root.pk}, root.code),
            ({}, None, None),
        ]:
            assert frozen_year_figures(year=year, ids=ids, label=label) is not None  # the frozen path is taken
            assert yearly_statistics(year=year, **kwargs) == year_figures(year=year, ids=ids, label=label).as_dict()
            live = year_figures(year=year, ids=ids, label=label).as_dict()
            totals = {"year": year, "total": live["total"], "buckets": live["buckets"]}
            assert _frozen_totals(year, ids) is not None  # the trend's frozen path is taken too
            assert year_totals(year=year, ids=ids) == totals
        transaction.set_rollback(True)


def test_the_open_year_and_a_year_without_every_frozen_row_are_computed_live(db):
    with time_machine.travel(AFTER_THE_YEARS, tick=False):
        parent = AgencyFactory(code="p")
        child = AgencyFactory(code="c", parent=parent)
        yearly_reports_generate_year_end(year=2022)
        assert frozen_year_figures(year=2023, ids={parent.pk}, label="p") is None  # the open year
        YearlyReport.objects.filter(agency=child).delete()
        assert frozen_year_figures(year=2022, ids={parent.pk, child.pk}, label="p") is None
        assert frozen_year_figures(year=2022, ids=None, label=None) is None  # every agency: the child lacks one
        assert frozen_year_figures(year=2022, ids={parent.pk}, label="p") is not None


def test_the_frozen_roll_up_of_every_agency_is_one_query(db, django_assert_num_queries):
    with time_machine.travel(AFTER_THE_YEARS, tick=False):
        root = AgencyFactory(code="root")
        for index in range(20):
            AgencyFactory(code=f"b{index}", parent=root)
        yearly_reports_generate_year_end(year=2022)
        with django_assert_num_queries(1):
            assert frozen_year_figures(year=2022, ids=None, label=None) is not None


def test_a_frozen_roll_up_of_a_body_and_its_agencies_is_one_query_after_resolving_the_tree(
    db, django_assert_num_queries
):
    with time_machine.travel(AFTER_THE_YEARS, tick=False):
        root = AgencyFactory(code="root")
        for index in range(100):
            AgencyFactory(code=f"b{index}", parent=root)
        yearly_reports_generate_year_end(year=2022)
        ids = root.descendant_ids()
        with django_assert_num_queries(1):
            figures = yearly_statistics(year=2022, agencies=ids)
    assert figures["total"] == 0


def test_a_frozen_row_keeps_its_figures_numbers_as_a_flat_list_also_when_the_running_row_is_rewritten(db):
    from cases.querysets.statistics import count_keys
    from cases.services.reports import yearly_figures_refresh
    from casetracker.report import counts_layout, figures_counts

    with time_machine.travel(AFTER_THE_YEARS, tick=False):
        agency = AgencyFactory(code="a")
        yearly_figures_refresh(year=2023)
        Case.objects.create(agency=agency, kind="reconsideration", number="N1", reviewing_body="R", applicant="A",
                            subject="work_injury", received_on=dt.date(2023, 1, 10))
        yearly_figures_refresh(year=2023)  # update_or_create: the list must follow the figures
    running = YearlyReport.objects.get(agency=agency, year=2023)
    assert running.figures["total"] == 1
    assert running.counts == figures_counts(running.figures, count_keys())
    assert running.counts_layout == counts_layout(count_keys())


def test_a_row_frozen_under_another_layout_is_read_from_its_figures_with_one_more_query(
    db, django_assert_num_queries
):
    with time_machine.travel(AFTER_THE_YEARS, tick=False):
        parent = AgencyFactory(code="p")
        child = AgencyFactory(code="c", parent=parent)
        for agency, number in ((parent, "P1"), (child, "C1"), (child, "C2")):
            Case.objects.create(agency=agency, kind="litigation", litigation_instance="first", number=number,
                                reviewing_body="R", applicant="A", subject="pension",
                                received_on=dt.date(2022, 3, 1))
        yearly_reports_generate_year_end(year=2022)
        # As if the child's row had been written when the subjects were different.
        YearlyReport.objects.filter(agency=child).update(counts=[7, 7, 7], counts_layout="0123456789abcdef")
        ids = {parent.pk, child.pk}
        with django_assert_num_queries(2):
            figures = frozen_year_figures(year=2022, ids=ids, label="p")
        assert figures is not None
        assert figures.as_dict() == year_figures(year=2022, ids=ids, label="p").as_dict()
        assert figures.total == 3


def test_the_trends_totals_of_a_year_not_every_agency_froze_are_counted_live(db):
    with time_machine.travel(AFTER_THE_YEARS, tick=False):
        parent = AgencyFactory(code="p")
        child = AgencyFactory(code="c", parent=parent)
        Case.objects.create(agency=child, kind="reconsideration", number="N1", reviewing_body="R", applicant="A",
                            subject="work_injury", received_on=dt.date(2022, 3, 1))
        yearly_reports_generate_year_end(year=2022)
        YearlyReport.objects.filter(agency=child).delete()
        Case.objects.create(agency=child, kind="reconsideration", number="N2", reviewing_body="R", applicant="A",
                            subject="work_injury", received_on=dt.date(2022, 4, 1))
        assert _frozen_totals(2022, None) is None
        assert year_totals(year=2022, ids=None)["total"] == 2
        assert year_totals(year=2023, ids={parent.pk, child.pk})["buckets"]["pending"] == 2  # the open year


def test_the_trends_totals_take_the_latest_version_of_each_agency(db):
    from cases.services.reports import yearly_report_generate
    from cases.users import SYSTEM

    with time_machine.travel(AFTER_THE_YEARS, tick=False):
        agency = AgencyFactory(code="a")
        yearly_reports_generate_year_end(year=2022)  # v1: nothing
        Case.objects.create(agency=agency, kind="reconsideration", number="N1", reviewing_body="R", applicant="A",
                            subject="work_injury", received_on=dt.date(2022, 3, 1))
        assert year_totals(year=2022, ids={agency.pk})["total"] == 0  # the reported figure until regenerated
        yearly_report_generate(agency=agency, year=2022, by=SYSTEM)  # v2: the late case
        assert year_totals(year=2022, ids={agency.pk})["total"] == 1
        assert year_totals(year=2022, ids=None)["total"] == 1
