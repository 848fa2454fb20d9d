"""/api/hearings/ answers a hearing on a rest day with a warning, and still schedules it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from cases.models import Hearing
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2025, 9, 15, 9, 0, tzinfo=dt.UTC))
def test_it_schedules_a_hearing_on_the_national_day_holiday_and_warns_of_it(api, agency):
    case = CaseFactory(agency=agency)
    response = api.post("/api/hearings/", {"case": case.pk, "scheduled_at": "2025-10-02T09:30:00+08:00"},
                        format="json")

    assert response.status_code == 201, response.data
    assert Hearing.objects.filter(case=case).exists()
    assert len(response.data["warnings"]) == 1 and "2025-10-02" in response.data["warnings"][0]


@time_machine.travel(dt.datetime(2025, 9, 15, 9, 0, tzinfo=dt.UTC))
def test_it_gives_no_warning_for_a_hearing_on_a_working_day(api, agency):
    case = CaseFactory(agency=agency)
    response = api.post("/api/hearings/", {"case": case.pk, "scheduled_at": "2025-09-26T09:30:00+08:00"},
                        format="json")

    assert response.status_code == 201 and response.data["warnings"] == []
