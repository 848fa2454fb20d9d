"""Year-end snapshots: frozen versions, regeneration, the diff, the 1 January and nightly jobs."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import ReportKind, YearlyReport
from cases.services.cases import case_conclude
from cases.services.reports import (
    report_diff,
    yearly_figures_refresh,
    yearly_report_generate,
    yearly_reports_generate_year_end,
)
from cases.tasks import yearly_figures_refresh as nightly_task
from cases.tasks import yearly_reports_generate as year_end_task
from tests.factories import AgencyFactory, CaseFactory

pytestmark = pytest.mark.django_db
NEW_YEARS_NIGHT = dt.datetime(2022, 1, 1, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def pending_case(agency):
    return CaseFactory(agency=agency, received_on=dt.date(2021, 3, 1))


@time_machine.travel("2022-02-01 10:00 +0800")
def test_it_adds_a_new_version_each_time_and_never_changes_the_old_one(agency, staff, pending_case):
    first = yearly_report_generate(agency=agency, year=2021, by=staff)
    case_conclude(case=pending_case, outcome="revoked", concluded_on=dt.date(2021, 12, 30), by=staff,
                  grounds=["wrong_law"])
    second = yearly_report_generate(agency=agency, year=2021, by=staff)
    first.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert first.figures["buckets"]["pending"] == 1 and second.figures["buckets"]["corrected"] == 1
    assert "尚未结案" in first.text_zh and "被人民法院判决败诉" in second.text_zh
    assert second.generated_by == staff and second.kind == ReportKind.ON_DEMAND
    assert [row["number"] for row in first.case_list] == [pending_case.number]


def test_a_saved_version_refuses_to_be_changed_or_deleted(agency, staff):
    report = yearly_report_generate(agency=agency, year=2021, by=staff)
    report.text_zh = "改过的"
    with pytest.raises(ValidationError):
        report.save()
    with pytest.raises(ValidationError):
        report.delete()
    assert YearlyReport.objects.get(pk=report.pk).text_zh != "改过的"


@time_machine.travel("2022-02-01 10:00 +0800")
def test_the_diff_lists_the_figures_that_changed_between_versions(agency, staff, pending_case):
    first = yearly_report_generate(agency=agency, year=2021, by=staff)
    case_conclude(case=pending_case, outcome="withdrawn", act_changed=True, concluded_on=dt.date(2021, 6, 1), by=staff)
    second = yearly_report_generate(agency=agency, year=2021, by=staff)
    changes = {c["key"]: (c["before"], c["after"]) for c in report_diff(first, second)}
    assert changes["buckets.pending"] == (1, 0)
    assert changes["buckets.withdrawn_after_act_changed"] == (0, 1)
    assert changes["rates.loss.denominator"] == (0, 1)
    assert "total" not in changes


def test_it_refuses_to_diff_reports_of_different_years(agency, staff):
    with pytest.raises(ValidationError):
        report_diff(yearly_report_generate(agency=agency, year=2020, by=staff),
                    yearly_report_generate(agency=agency, year=2021, by=staff))


def test_only_legal_staff_of_the_agency_may_regenerate(agency, leader, other_staff):
    for user in (leader, other_staff):
        with pytest.raises(PermissionDenied):
            yearly_report_generate(agency=agency, year=2021, by=user)
    assert not YearlyReport.objects.exists()


@time_machine.travel("2021-06-01 10:00 +0800")
def test_it_refuses_a_report_for_a_year_that_has_not_begun(agency, staff):
    with pytest.raises(ValidationError) as excinfo:
        yearly_report_generate(agency=agency, year=2022, by=staff)
    assert "year" in excinfo.value.message_dict


def test_the_database_refuses_a_second_year_end_report(agency):
    fields = dict(agency=agency, year=2021, kind=ReportKind.YEAR_END, figures={}, text_zh="x", text_en="x",
                  generated_at=timezone.now())
    YearlyReport.objects.create(version=1, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        YearlyReport.objects.create(version=2, **fields)


@time_machine.travel(NEW_YEARS_NIGHT, tick=False)
def test_the_1_january_job_freezes_last_year_once_per_agency(agency, other_agency, pending_case):
    archived = AgencyFactory(code="closed", archived_at=timezone.now())
    assert year_end_task.apply().get() == 2  # still 31 Dec in UTC: the job must use Beijing time
    reports = YearlyReport.objects.filter(kind=ReportKind.YEAR_END)
    assert sorted(reports.values_list("agency__code", "year", "version")) == [
        ("hezhou-hrss", 2021, 1), ("wuzhou-hrss", 2021, 1),
    ]
    assert reports.get(agency=agency).figures["total"] == 1
    assert reports.get(agency=agency).generated_by_job == "cases.tasks.yearly_reports_generate"
    assert year_end_task.apply().get() == 0
    assert YearlyReport.objects.count() == 2
    assert not YearlyReport.objects.filter(agency=archived).exists()


@time_machine.travel("2022-03-01 10:00 +0800")
def test_the_year_end_job_keeps_an_earlier_on_demand_version(agency, staff):
    yearly_report_generate(agency=agency, year=2021, by=staff)
    created = yearly_reports_generate_year_end(year=2021)
    assert [(r.version, r.kind) for r in created] == [(2, ReportKind.YEAR_END)]
    assert yearly_reports_generate_year_end(year=2021) == []


@time_machine.travel("2021-09-01 02:00 +0800", tick=False)
def test_the_nightly_job_rewrites_one_running_row_per_agency(agency, other_agency, staff, pending_case):
    assert nightly_task.apply().get() == 2
    running = YearlyReport.objects.running().get(agency=agency)
    assert (running.year, running.version, running.figures["buckets"]["pending"]) == (2021, 0, 1)
    case_conclude(case=pending_case, outcome="revoked", concluded_on=dt.date(2021, 8, 31), by=staff,
                  grounds=["wrong_law"])
    yearly_figures_refresh(year=2021)
    assert YearlyReport.objects.running().filter(agency=agency).count() == 1
    assert YearlyReport.objects.running().get(agency=agency).figures["buckets"]["corrected"] == 1
    assert not YearlyReport.objects.snapshots().exists()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_regenerations_get_consecutive_versions(agency, staff, monkeypatch):
    import threading
    import time

    from django.db import connection, connections

    from cases.services import reports

    if connection.vendor != "postgresql":
        pytest.skip("needs row locks (PostgreSQL)")
    slow = reports._contents

    def contents_slowly(*args, **kwargs):
        time.sleep(0.5)  # widen the window between reading the last version and inserting the next
        return slow(*args, **kwargs)

    monkeypatch.setattr(reports, "_contents", contents_slowly)
    errors: list[BaseException] = []

    def generate():
        try:
            yearly_report_generate(agency=agency, year=2021, by=staff)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=generate) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(YearlyReport.objects.values_list("version", flat=True)) == [1, 2]
