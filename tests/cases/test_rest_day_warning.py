"""A hearing on a weekend or a statutory holiday is allowed but warned (cases.services.calendar)."""

from __future__ import annotations

import datetime as dt

import pytest

from cases.services.calendar import rest_day_warning, workday_calendar

pytestmark = pytest.mark.django_db

TZ = dt.timezone(dt.timedelta(hours=8))


def test_it_warns_of_a_hearing_on_a_saturday():
    assert "2025-09-27 是周末" in rest_day_warning(dt.datetime(2025, 9, 27, 9, 30, tzinfo=TZ))


def test_it_warns_of_a_hearing_on_the_national_day_holiday():
    assert "2025-10-01 是法定节假日" in rest_day_warning(dt.date(2025, 10, 1), workday_calendar())


def test_it_does_not_warn_on_an_adjusted_working_sunday():
    assert rest_day_warning(dt.datetime(2025, 9, 28, 9, 30, tzinfo=TZ)) == ""  # 调休上班


def test_it_does_not_warn_on_an_ordinary_working_day():
    assert rest_day_warning(dt.datetime(2025, 9, 26, 9, 30, tzinfo=TZ)) == ""


def test_it_reads_the_day_in_beijing_time():
    # Friday 17:00 UTC is already Saturday 01:00 in Beijing.
    assert "2025-09-27" in rest_day_warning(dt.datetime(2025, 9, 26, 17, 0, tzinfo=dt.UTC))
