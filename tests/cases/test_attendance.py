"""Attendance from record to rate: hearings needing a record, and what a record does to D4's rates."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.utils import timezone

from cases.choices import HearingKind, HearingStatus
from cases.models import Hearing
from cases.querysets.statistics import yearly_statistics
from cases.services.hearings import hearing_record
from tests.factories import CaseFactory, HearingFactory, ReconsiderationFactory

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2021, 6, 10, 12, 0, tzinfo=BEIJING)


@time_machine.travel(NOW, tick=False)
def test_past_hearings_still_marked_scheduled_are_listed_as_needing_their_record(agency):
    case = CaseFactory(agency=agency)
    overdue = HearingFactory(case=case, scheduled_at=NOW - dt.timedelta(hours=3))
    HearingFactory(case=case, scheduled_at=NOW + dt.timedelta(hours=3))
    HearingFactory(case=case, scheduled_at=NOW - dt.timedelta(days=2), status=HearingStatus.CANCELLED)
    HearingFactory(case=case, scheduled_at=NOW - dt.timedelta(days=2), archived_at=timezone.now())
    HearingFactory(case=CaseFactory(agency=agency, archived_at=timezone.now()), scheduled_at=NOW - dt.timedelta(days=1))
    assert list(Hearing.objects.needing_record()) == [overdue]


@time_machine.travel(NOW, tick=False)
def test_recording_a_hearing_takes_it_off_the_list_and_into_the_years_rates(agency, staff, leader):
    hearing = HearingFactory(case=CaseFactory(agency=agency), scheduled_at=NOW - dt.timedelta(hours=3))
    assert yearly_statistics(year=2021, agency=agency)["rates"]["court_appearance"]["denominator"] == 0
    hearing_record(hearing=hearing, by=staff, responsible_person=leader, staff=[staff])
    assert not Hearing.objects.needing_record().exists()
    rates = yearly_statistics(year=2021, agency=agency)["rates"]
    assert rates["court_appearance"] == {"numerator": 1, "denominator": 1, "rate": 1.0}
    assert rates["leader_appearance"] == {"numerator": 1, "denominator": 1, "rate": 1.0}


@time_machine.travel(NOW, tick=False)
def test_a_lawyer_only_hearing_is_flagged_and_lowers_the_appearance_rate(agency, staff):
    hearing = HearingFactory(case=CaseFactory(agency=agency), scheduled_at=NOW - dt.timedelta(hours=3))
    hearing = hearing_record(
        hearing=hearing, by=staff, lawyer_names="周律师", absence_reason="accident", absence_detail="承办人病假",
        absence_proof=ContentFile(b"%PDF-1.4 note", name="proof.pdf"),
    )
    assert hearing.lawyer_only
    rates = yearly_statistics(year=2021, agency=agency)["rates"]
    assert rates["court_appearance"] == {"numerator": 0, "denominator": 1, "rate": 0.0}
    assert rates["leader_appearance"] == {"numerator": 0, "denominator": 1, "rate": 0.0}


@time_machine.travel(NOW, tick=False)
def test_a_reconsideration_hearing_the_head_attended_counts_in_the_hearing_rates_only(agency, staff, leader):
    hearing = HearingFactory(
        case=ReconsiderationFactory(agency=agency), kind=HearingKind.RECONSIDERATION,
        scheduled_at=NOW - dt.timedelta(hours=3),
    )
    hearing_record(hearing=hearing, by=staff, responsible_person=leader)
    rates = yearly_statistics(year=2021, agency=agency)["rates"]
    assert rates["hearing_leader_appearance"]["numerator"] == 1
    assert rates["court_appearance"]["denominator"] == 0
