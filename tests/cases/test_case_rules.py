"""What the hearing, chain, suspension and outcome rules allow (D1, D10, D11); refusals are in tests/test_invariant_matrix.py."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from cases.choices import HearingKind, HearingStatus, Instance, LeaderRank, Role, Status
from cases.services.cases import case_conclude, case_create, case_resume, case_suspend
from cases.services.hearings import hearing_postpone, hearing_record, hearing_reschedule, hearing_schedule
from cases.services.reminders import reminders_due
from casetracker.outcomes import Outcome, outcome_in_force
from tests.factories import CaseFactory, HearingFactory, ReconsiderationFactory, member

TODAY = dt.datetime(2025, 9, 15, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))



@pytest.fixture(autouse=True)
def _chinese():
    # The messages are asserted in Chinese; an earlier test's request may leave English active.
    with translation.override("zh-hans"):
        yield


def _at(text: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(text))


@pytest.mark.parametrize(("concluded_on", "allowed"), [
    (dt.date(2015, 4, 30), True), (dt.date(2015, 5, 1), False), (dt.date(2024, 1, 1), False),
])
def test_a_first_instance_may_be_upheld_only_under_the_1989_law(concluded_on, allowed):
    assert outcome_in_force(Outcome.UPHELD, "litigation", "first", concluded_on) is allowed


@pytest.mark.parametrize(("kind", "instance"), [("litigation", "second"), ("litigation", "retrial"),
                                                ("reconsideration", None)])
def test_upheld_stays_open_to_other_proceedings_after_2015(kind, instance):
    assert outcome_in_force(Outcome.UPHELD, kind, instance, dt.date(2021, 6, 1))


@time_machine.travel(TODAY, tick=False)
def test_a_first_instance_concluded_before_may_2015_can_still_be_upheld(agency, staff):
    case = CaseFactory(agency=agency, received_on=dt.date(2014, 9, 1))
    case = case_conclude(case=case, by=staff, outcome="upheld", concluded_on=dt.date(2015, 3, 2))
    assert case.outcome == Outcome.UPHELD


LINKS = [
    ("reconsideration", "", "litigation", "first", ""),
    ("litigation", "first", "litigation", "second", ""),
    ("litigation", "first", "litigation", "retrial", ""),
    ("litigation", "second", "litigation", "retrial", ""),
    ("litigation", "second", "litigation", "first", "remanded"),
]


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(("kind0", "inst0", "kind1", "inst1", "outcome"), LINKS)
def test_a_chain_link_that_runs_forward_is_accepted(agency, staff, kind0, inst0, kind1, inst1, outcome):
    extra = {"status": Status.CONCLUDED, "outcome": outcome, "concluded_on": dt.date(2025, 6, 1)} if outcome else {}
    previous = CaseFactory(agency=agency, kind=kind0, litigation_instance=inst0, received_on=dt.date(2025, 1, 5),
                           number="前一程序", **extra)
    case = case_create(
        agency=agency, by=staff, kind=kind1, litigation_instance=inst1, number="本程序", reviewing_body="法院",
        applicant="李某", subject="work_injury", received_on=dt.date(2025, 7, 1), previous=previous,
    )
    assert case.previous == previous


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(("kind0", "inst0", "kind1", "inst1"), [
    ("reconsideration", "", "reconsideration", ""), ("litigation", "first", "litigation", "first"),
    ("litigation", "second", "litigation", "first"), ("reconsideration", "", "litigation", "second"),
    ("litigation", "retrial", "litigation", "second"), ("litigation", "first", "reconsideration", ""),
])
def test_a_chain_link_that_does_not_run_forward_is_refused_with_the_reason(agency, staff, kind0, inst0, kind1, inst1):
    previous = CaseFactory(agency=agency, kind=kind0, litigation_instance=inst0, received_on=dt.date(2025, 1, 5))
    with pytest.raises(ValidationError, match="案件链接只能向后"):
        case_create(
            agency=agency, by=staff, kind=kind1, litigation_instance=inst1, number="本程序", reviewing_body="法院",
            applicant="李某", subject="work_injury", received_on=dt.date(2025, 7, 1), previous=previous,
        )


@time_machine.travel(TODAY, tick=False)
def test_changing_an_instance_that_a_later_proceeding_follows_is_refused(agency, staff):
    from cases.services.cases import case_update

    first = CaseFactory(agency=agency, received_on=dt.date(2025, 1, 5))
    CaseFactory(agency=agency, litigation_instance=Instance.SECOND, previous=first, received_on=dt.date(2025, 5, 5))
    with pytest.raises(ValidationError, match="后一程序"):
        case_update(case=first, by=staff, data={"litigation_instance": Instance.RETRIAL})


@time_machine.travel(TODAY, tick=False)
def test_every_suspension_and_resumption_is_kept_with_its_dates_and_reason(agency, staff):
    case = CaseFactory(agency=agency, received_on=dt.date(2025, 1, 5))
    case = case_suspend(case=case, by=staff, reason="等待工伤认定结论", suspended_on=dt.date(2025, 3, 1))
    case = case_resume(case=case, by=staff, resumed_on=dt.date(2025, 3, 21), reason="结论已作出")
    case = case_suspend(case=case, by=staff, reason="当事人申请", suspended_on=dt.date(2025, 6, 1))
    rows = [(s.suspended_on, s.resumed_on, s.reason, s.days) for s in case.suspensions.order_by("suspended_on")]
    assert rows == [
        (dt.date(2025, 3, 1), dt.date(2025, 3, 21), "等待工伤认定结论", 20),
        (dt.date(2025, 6, 1), None, "当事人申请", 0),
    ]
    assert case.suspensions.first().history.count() == 2  # created, then resumed


@time_machine.travel(TODAY, tick=False)
def test_a_resumption_before_the_suspension_is_refused_and_the_case_stays_suspended(agency, staff):
    case = CaseFactory(agency=agency, received_on=dt.date(2025, 1, 5))
    case = case_suspend(case=case, by=staff, reason="等待", suspended_on=dt.date(2025, 3, 1))
    with pytest.raises(ValidationError, match="恢复"):
        case_resume(case=case, by=staff, resumed_on=dt.date(2025, 2, 1))
    case.refresh_from_db()
    assert case.status == Status.SUSPENDED and case.suspensions.get().resumed_on is None


@time_machine.travel(TODAY, tick=False)
def test_concluding_a_suspended_case_closes_its_suspension_on_the_conclusion_date(agency, staff):
    case = CaseFactory(agency=agency, received_on=dt.date(2025, 1, 5))
    case = case_suspend(case=case, by=staff, reason="等待", suspended_on=dt.date(2025, 3, 1))
    case_conclude(case=case, by=staff, outcome="withdrawn", concluded_on=dt.date(2025, 4, 1))
    assert case.suspensions.get().resumed_on == dt.date(2025, 4, 1)


@time_machine.travel(TODAY, tick=False)
def test_a_hearing_of_kind_other_fits_either_kind_of_case(agency, staff):
    for case in (CaseFactory(agency=agency), ReconsiderationFactory(agency=agency)):
        hearing = hearing_schedule(case=case, by=staff, kind=HearingKind.OTHER, scheduled_at=_at("2025-09-20T09:00"))
        assert hearing.pk


@time_machine.travel(TODAY, tick=False)
def test_a_postponed_hearing_rescheduled_to_when_it_took_place_can_be_recorded(agency, staff):
    chief = member(agency, Role.LEADER, LeaderRank.PRINCIPAL)
    hearing = HearingFactory(case=CaseFactory(agency=agency), scheduled_at=_at("2025-09-01T09:00"))
    hearing = hearing_postpone(hearing=hearing, by=staff, reason="法院通知延期")
    hearing = hearing_reschedule(hearing=hearing, by=staff, scheduled_at=_at("2025-09-10T09:00"))
    assert hearing.status == HearingStatus.SCHEDULED
    hearing = hearing_record(hearing=hearing, by=staff, responsible_person=chief)
    assert hearing.status == HearingStatus.HELD


@time_machine.travel(TODAY, tick=False)
def test_concluding_can_cancel_the_open_hearings_and_they_are_not_reminded_either_way(agency, staff):
    kept = CaseFactory(agency=agency)
    cancelled = CaseFactory(agency=agency)
    HearingFactory(case=kept, scheduled_at=_at("2025-09-17T09:00"))
    open_one = HearingFactory(case=cancelled, scheduled_at=_at("2025-09-17T09:00"))
    case_conclude(case=kept, by=staff, outcome=Outcome.WITHDRAWN, concluded_on=dt.date(2025, 9, 12))
    case_conclude(case=cancelled, by=staff, outcome=Outcome.WITHDRAWN, concluded_on=dt.date(2025, 9, 12),
                  cancel_hearings=True)
    open_one.refresh_from_db()
    assert open_one.status == HearingStatus.CANCELLED
    assert not [due for due in reminders_due(now=timezone.now()) if due.hearing_id]


@time_machine.travel(TODAY, tick=False)
def test_an_open_case_s_hearing_is_still_reminded(agency, staff):
    hearing = HearingFactory(case=CaseFactory(agency=agency),
                             scheduled_at=_at("2025-09-17T09:00"))
    hearing.case.handlers.set([staff])
    assert [due.hearing_id for due in reminders_due(now=timezone.now()) if due.hearing_id]


@time_machine.travel(TODAY, tick=False)
def test_the_court_s_limit_is_extended_by_the_suspended_days_and_the_bureau_s_defence_is_not(agency, staff):
    from cases.services.cases import case_create

    case = case_create(
        agency=agency, by=staff, kind="litigation", litigation_instance="first", number="(2025)桂0403行初5号",
        reviewing_body="梧州市万秀区人民法院", applicant="李某", subject="work_injury",
        received_on=dt.date(2025, 3, 10), accepted_on=dt.date(2025, 3, 3),
    )
    trial_before = case.deadlines.get(rule="first_instance_trial").due_on
    defence_before = case.deadlines.get(rule="litigation_defence").due_on
    case = case_suspend(case=case, by=staff, reason="等待工伤认定结论", suspended_on=dt.date(2025, 4, 1))
    case = case_resume(case=case, by=staff, resumed_on=dt.date(2025, 5, 1))

    trial = case.deadlines.get(rule="first_instance_trial")
    assert trial.due_on == trial_before + dt.timedelta(days=30)
    assert case.deadlines.get(rule="litigation_defence").due_on == defence_before
    assert "届满日" in trial.history.first().history_change_reason


@time_machine.travel(TODAY, tick=False)
def test_the_reviewing_body_s_decision_limit_is_extended_by_each_suspension(agency, staff):
    from cases.services.cases import case_create

    case = case_create(
        agency=agency, by=staff, kind="reconsideration", number="梧政复〔2025〕5号", reviewing_body="梧州市人民政府",
        applicant="李某", subject="work_injury", received_on=dt.date(2025, 3, 10), accepted_on=dt.date(2025, 3, 3),
    )
    before = case.deadlines.get(rule="reconsideration_decision").due_on
    for start, end in ((dt.date(2025, 3, 20), dt.date(2025, 3, 30)), (dt.date(2025, 4, 10), dt.date(2025, 4, 15))):
        case = case_suspend(case=case, by=staff, reason="中止", suspended_on=start)
        case = case_resume(case=case, by=staff, resumed_on=end)
    assert case.deadlines.get(rule="reconsideration_decision").due_on == before + dt.timedelta(days=15)
