"""The holiday calendar in the database: provisional years, loading a year, overrides.

The 2027 rows below are test data, not the official 2027 arrangement (which the
State Council had not published when this was written).
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from cases.choices import DeadlineStatus, Instance, Kind, Subject
from cases.models import CalendarYear, Case, Deadline, HolidayOverride
from cases.services.calendar import HolidayRow, holiday_rows_from_csv, workday_calendar
from cases.services.cases import case_create
from cases.services.deadlines import deadline_complete, deadline_override
from cases.services.holidays import holiday_override_delete, holiday_override_set, holidays_load


@pytest.fixture(autouse=True)
def _after_the_last_receipt():
    # The lawsuits here are received up to 2027-01-01; a receipt cannot lie in the future.
    with time_machine.travel(dt.datetime(2027, 1, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        yield

pytestmark = pytest.mark.django_db
_numbers = itertools.count(1)

REST, WORK = False, True
TEST_2027 = [
    HolidayRow(dt.date(2027, 1, 1), REST, "元旦(测试数据)"),
    HolidayRow(dt.date(2027, 1, 4), REST, "测试休息日"),
    HolidayRow(dt.date(2027, 1, 9), WORK, "测试调休上班"),
]


def lawsuit(agency: Any, by: Any, received_on: dt.date) -> Case:
    return case_create(
        agency=agency, by=by, kind=Kind.LITIGATION, litigation_instance=Instance.FIRST,
        number=f"(2026)桂0403行初{next(_numbers)}号", reviewing_body="梧州市万秀区人民法院", applicant="李四",
        subject=Subject.SOCIAL_INSURANCE, received_on=received_on,
    )  # fmt: skip


def defence(case: Case) -> Deadline:
    return case.deadlines.get(rule="litigation_defence")


def test_a_deadline_reaching_an_uncovered_year_is_provisional(agency, staff):
    deadline = defence(lawsuit(agency, staff, dt.date(2026, 12, 20)))
    assert (deadline.due_on, deadline.provisional) == (dt.date(2027, 1, 4), True)


def test_a_deadline_inside_a_covered_year_is_not_provisional(agency, staff):
    deadline = defence(lawsuit(agency, staff, dt.date(2026, 12, 1)))
    assert (deadline.due_on, deadline.provisional) == (dt.date(2026, 12, 16), False)


def test_loading_the_year_recomputes_the_provisional_deadline_and_records_why(agency, staff, admin_user):
    deadline = defence(lawsuit(agency, staff, dt.date(2026, 12, 20)))
    result = holidays_load(rows=TEST_2027, by=admin_user, source="测试通知", full_year=2027)
    deadline.refresh_from_db()
    assert (deadline.due_on, deadline.provisional) == (dt.date(2027, 1, 5), False)
    assert [d.pk for d in result.recomputed] == [deadline.pk]
    assert (result.years, result.rest_days, result.working_days) == ([2027], 2, 1)
    latest = deadline.history.first()
    assert "2027" in latest.history_change_reason and "2027-01-05" in latest.history_change_reason
    assert latest.history_user == admin_user
    assert CalendarYear.objects.get(year=2027).source == "测试通知"


def test_loading_leaves_met_overridden_and_unrelated_deadlines_alone(agency, staff, admin_user):
    met = defence(lawsuit(agency, staff, dt.date(2026, 12, 20)))
    deadline_complete(deadline=met, by=staff)
    overridden = defence(lawsuit(agency, staff, dt.date(2026, 12, 21)))
    deadline_override(deadline=overridden, due_on=dt.date(2027, 1, 20), reason="法院准许延期", by=staff)
    unrelated = defence(lawsuit(agency, staff, dt.date(2026, 3, 2)))
    result = holidays_load(rows=TEST_2027, by=admin_user, full_year=2027)
    assert result.recomputed == []
    assert Deadline.objects.get(pk=met.pk).due_on == dt.date(2027, 1, 4)
    assert Deadline.objects.get(pk=overridden.pk).due_on == dt.date(2027, 1, 20)
    assert Deadline.objects.get(pk=unrelated.pk).history.count() == 1


def test_an_adjusted_working_saturday_stops_the_roll_once_loaded(agency, staff, admin_user):
    deadline = defence(lawsuit(agency, staff, dt.date(2026, 12, 25)))  # 15 days -> Sat 9 Jan 2027
    assert deadline.due_on == dt.date(2027, 1, 11)
    holidays_load(rows=TEST_2027, by=admin_user, full_year=2027)
    deadline.refresh_from_db()
    assert (deadline.due_on, deadline.provisional) == (dt.date(2027, 1, 9), False)


def test_reloading_a_year_replaces_its_earlier_overrides(admin_user):
    holidays_load(rows=TEST_2027, by=admin_user, full_year=2027)
    result = holidays_load(rows=[HolidayRow(dt.date(2027, 1, 1), REST, "元旦")], by=admin_user, full_year=2027)
    assert result.removed == 2
    assert list(HolidayOverride.objects.values_list("date", flat=True)) == [dt.date(2027, 1, 1)]


def test_it_refuses_duplicate_days_and_saves_nothing(admin_user):
    with pytest.raises(ValidationError, match="2027-01-01"):
        holidays_load(rows=[*TEST_2027, HolidayRow(dt.date(2027, 1, 1), WORK)], by=admin_user, full_year=2027)
    assert not HolidayOverride.objects.exists() and not CalendarYear.objects.exists()


def test_only_an_administrator_may_load_the_calendar(staff):
    with pytest.raises(PermissionDenied):
        holidays_load(rows=TEST_2027, by=staff, full_year=2027)


def test_the_cached_calendar_sees_an_override_saved_after_it_was_built(admin_user):
    assert workday_calendar().is_working_day(dt.date(2026, 10, 12))
    holiday_override_set(day=dt.date(2026, 10, 12), is_working=False, note="测试", by=admin_user)
    assert not workday_calendar().is_working_day(dt.date(2026, 10, 12))


def test_correcting_one_day_recomputes_the_deadlines_due_on_it_and_keeps_the_year_provisional(
    agency, staff, admin_user
):
    deadline = defence(lawsuit(agency, staff, dt.date(2026, 9, 27)))  # 15 days -> Mon 12 Oct 2026
    assert deadline.due_on == dt.date(2026, 10, 12)
    override, moved = holiday_override_set(day=dt.date(2026, 10, 12), is_working=False, by=admin_user)
    assert [d.due_on for d in moved] == [dt.date(2026, 10, 13)]
    holiday_override_delete(override=override, by=admin_user)
    assert Deadline.objects.get(pk=deadline.pk).due_on == dt.date(2026, 10, 12)
    assert not workday_calendar().covers(2027)


def test_the_csv_accepts_english_or_chinese_types_a_header_and_a_bom():
    text = "\ufeffdate,type,note\n2027-01-01,rest,元旦\n2027-01-09,上班,\n\n2027-01-04,休息,说明,含逗号\n"
    assert holiday_rows_from_csv(text.splitlines()) == [
        HolidayRow(dt.date(2027, 1, 1), REST, "元旦"),
        HolidayRow(dt.date(2027, 1, 9), WORK, ""),
        HolidayRow(dt.date(2027, 1, 4), REST, "说明,含逗号"),
    ]


def test_the_csv_reports_every_bad_row_at_once():
    text = "2027-02-30,rest,\n2003-01-01,rest,\n2027-01-01,holiday,\n2027-01-02,rest,\n2027-01-02,work,\n"
    with pytest.raises(ValidationError) as error:
        holiday_rows_from_csv(text.splitlines())
    messages = error.value.messages
    assert len(messages) == 4
    assert [m.split(":")[0] for m in messages] == ["第 1 行", "第 2 行", "第 3 行", "第 5 行"]


def test_an_open_deadline_stays_open_when_recomputed(agency, staff, admin_user):
    deadline = defence(lawsuit(agency, staff, dt.date(2026, 12, 20)))
    holidays_load(rows=TEST_2027, by=admin_user, full_year=2027)
    assert Deadline.objects.get(pk=deadline.pk).status == DeadlineStatus.OPEN
