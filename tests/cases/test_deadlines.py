"""Deadlines on cases: created from facts, kept right when facts change, closed by staff."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.choices import DeadlineStatus, DeadlineUrgency, Instance, JudgmentForm, Kind, Outcome, Procedure, Subject
from cases.models import Case, Deadline
from cases.services.cases import case_conclude, case_create, case_reopen, case_update
from cases.services.deadlines import (
    deadline_add_manual,
    deadline_complete,
    deadline_compute,
    deadline_miss,
    deadline_override,
    deadline_waive,
    expected_triggers,
)
from casetracker.calendar import WorkdayCalendar
from casetracker.periods import RULES, RuleNotInForce, compute_due

pytestmark = pytest.mark.django_db
_numbers = itertools.count(1)


def lawsuit(agency: Any, by: Any, **facts: Any) -> Case:
    fields: dict[str, Any] = {
        "kind": Kind.LITIGATION,
        "litigation_instance": Instance.FIRST,
        "number": f"(2025)桂0403行初{next(_numbers)}号",
        "reviewing_body": "梧州市万秀区人民法院",
        "applicant": "张三",
        "subject": Subject.WORK_INJURY,
        "received_on": dt.date(2025, 4, 16),
    }
    fields.update(facts)
    return case_create(agency=agency, by=by, **fields)


def reconsideration(agency: Any, by: Any, **facts: Any) -> Case:
    fields: dict[str, Any] = {
        "kind": Kind.RECONSIDERATION,
        "litigation_instance": "",
        "number": f"梧政复〔2026〕{next(_numbers)}号",
        "reviewing_body": "梧州市人民政府",
    }
    fields.update(facts)
    return lawsuit(agency, by, **fields)


def dues(case: Case, status: str = DeadlineStatus.OPEN) -> dict[str, dt.date]:
    return {d.rule: d.due_on for d in case.deadlines.filter(status=status)}


def the(case: Case, rule: str) -> Deadline:
    return case.deadlines.get(rule=rule)


# --- creation from facts ------------------------------------------------------


def test_it_creates_the_defence_and_the_trial_limit_of_a_first_instance_lawsuit(agency, staff):
    case = lawsuit(agency, staff, received_on=dt.date(2025, 4, 16), accepted_on=dt.date(2025, 4, 10))
    assert dues(case) == {"litigation_defence": dt.date(2025, 5, 6), "first_instance_trial": dt.date(2025, 10, 10)}
    assert the(case, "litigation_defence").is_bureau_duty
    assert not the(case, "first_instance_trial").is_bureau_duty


def test_it_uses_the_shorter_rules_for_a_simplified_reconsideration(agency, staff):
    case = reconsideration(
        agency,
        staff,
        procedure=Procedure.SIMPLIFIED,
        received_on=dt.date(2026, 4, 29),
        accepted_on=dt.date(2026, 4, 24),
    )
    assert dues(case) == {
        "reconsideration_reply_simplified": dt.date(2026, 5, 9),  # the worked Saturday after Labour Day
        "reconsideration_decision_simplified": dt.date(2026, 5, 25),  # 24 May is a Sunday
    }


def test_it_creates_the_reply_decision_and_lawsuit_window_of_a_reconsideration(agency, staff):
    case = reconsideration(
        agency, staff, received_on=dt.date(2024, 9, 27), accepted_on=dt.date(2024, 9, 20),
        decision_served_on=dt.date(2024, 11, 5),
    )  # fmt: skip
    assert dues(case) == {
        "reconsideration_reply": dt.date(2024, 10, 16),
        "reconsideration_decision": dt.date(2024, 11, 19),
        "lawsuit_after_reconsideration": dt.date(2024, 11, 20),
    }  # the 意见书's correction report now follows its follow-up record (tests/cases/test_followups.py)


def test_it_creates_the_answer_and_trial_limit_of_a_second_instance(agency, staff):
    case = lawsuit(
        agency, staff, litigation_instance=Instance.SECOND, received_on=dt.date(2025, 1, 11),
        appeal_received_on=dt.date(2025, 1, 11), accepted_on=dt.date(2024, 10, 31),
    )  # fmt: skip
    assert dues(case) == {"appellee_answer": dt.date(2025, 1, 26), "second_instance_trial": dt.date(2025, 2, 5)}


def test_it_opens_the_appeal_window_of_a_served_ruling_and_the_retrial_window_once_effective(agency, staff):
    case = lawsuit(agency, staff, judgment_form=JudgmentForm.RULING, judgment_served_on=dt.date(2025, 1, 20))
    assert dues(case)["appeal_ruling"] == dt.date(2025, 2, 5)
    case_update(case=case, by=staff, data={"effective_on": dt.date(2025, 3, 31)})
    assert dues(case)["retrial_application"] == dt.date(2025, 9, 30)


def test_it_gives_no_appeal_window_to_a_final_second_instance_judgment(agency, staff):
    case = lawsuit(
        agency, staff, litigation_instance=Instance.SECOND, judgment_form=JudgmentForm.JUDGMENT,
        judgment_served_on=dt.date(2025, 3, 3),
    )  # fmt: skip
    assert "appeal_judgment" not in expected_triggers(case)
    assert not case.deadlines.exists()


# --- facts change --------------------------------------------------------------


def test_it_recomputes_an_open_deadline_when_its_trigger_is_corrected_and_says_why(agency, staff):
    case = lawsuit(agency, staff, received_on=dt.date(2024, 9, 16))
    assert dues(case)["litigation_defence"] == dt.date(2024, 10, 8)
    case_update(case=case, by=staff, data={"received_on": dt.date(2024, 9, 27)})
    defence = the(case, "litigation_defence")
    assert (defence.trigger_on, defence.due_on) == (dt.date(2024, 9, 27), dt.date(2024, 10, 12))
    latest = defence.history.first()
    assert "2024-10-08" in latest.history_change_reason and "2024-10-12" in latest.history_change_reason
    assert latest.history_user == staff


def test_it_leaves_met_waived_and_overridden_deadlines_alone_when_a_trigger_changes(agency, staff):
    case = reconsideration(
        agency, staff, received_on=dt.date(2025, 3, 3), accepted_on=dt.date(2025, 3, 3),
        decision_served_on=dt.date(2025, 3, 3),
    )  # fmt: skip
    deadline_complete(deadline=the(case, "reconsideration_reply"), by=staff)
    deadline_waive(deadline=the(case, "lawsuit_after_reconsideration"), by=staff, reason="申请人已起诉")
    deadline_override(
        deadline=the(case, "reconsideration_decision"), due_on=dt.date(2025, 6, 3), reason="经批准延长30日", by=staff
    )
    before = {d.pk: (d.trigger_on, d.due_on, d.status) for d in case.deadlines.all()}
    later = dt.date(2025, 3, 10)
    case_update(case=case, by=staff, data={"received_on": later, "accepted_on": later, "decision_served_on": later})
    assert {d.pk: (d.trigger_on, d.due_on, d.status) for d in case.deadlines.all()} == before


def test_it_waives_the_open_deadline_of_a_cleared_fact_instead_of_deleting_it(agency, staff):
    case = lawsuit(agency, staff, accepted_on=dt.date(2025, 4, 10))
    trial = the(case, "first_instance_trial")
    case_update(case=case, by=staff, data={"accepted_on": None})
    trial.refresh_from_db()
    assert (trial.status, trial.auto_closed, trial.closed_by) == (DeadlineStatus.WAIVED, True, staff)
    assert "清除" in trial.close_note
    last = Deadline.history.filter(id=trial.pk).first()
    assert last.history_type == "~" and "清除" in last.history_change_reason
    assert not Deadline.history.filter(id=trial.pk, history_type="-").exists()


def test_it_reopens_the_same_deadline_when_a_cleared_fact_is_entered_again(agency, staff):
    case = lawsuit(agency, staff, accepted_on=dt.date(2025, 4, 10))
    trial = the(case, "first_instance_trial")
    case_update(case=case, by=staff, data={"accepted_on": None})
    case_update(case=Case.objects.get(pk=case.pk), by=staff, data={"accepted_on": dt.date(2025, 4, 11)})
    assert case.deadlines.filter(rule="first_instance_trial").count() == 1
    trial.refresh_from_db()
    assert (trial.status, trial.trigger_on, trial.due_on) == (DeadlineStatus.OPEN, dt.date(2025, 4, 11), dt.date(2025, 10, 11))
    assert (trial.closed_at, trial.auto_closed) == (None, False)


def test_it_swaps_the_reply_rule_when_the_procedure_becomes_simplified(agency, staff):
    case = reconsideration(agency, staff, received_on=dt.date(2026, 9, 18))
    assert dues(case) == {"reconsideration_reply": dt.date(2026, 10, 9)}
    case_update(case=case, by=staff, data={"procedure": Procedure.SIMPLIFIED})
    assert dues(case) == {"reconsideration_reply_simplified": dt.date(2026, 9, 24)}
    assert the(case, "reconsideration_reply").status == DeadlineStatus.WAIVED


def test_it_swaps_the_reply_rule_back_without_a_duplicate(agency, staff):
    case = reconsideration(agency, staff, received_on=dt.date(2026, 9, 18))
    case_update(case=case, by=staff, data={"procedure": Procedure.SIMPLIFIED})
    case_update(case=Case.objects.get(pk=case.pk), by=staff, data={"procedure": Procedure.ORDINARY})
    assert dues(case) == {"reconsideration_reply": dt.date(2026, 10, 9)}
    assert dues(case, DeadlineStatus.WAIVED) == {"reconsideration_reply_simplified": dt.date(2026, 9, 24)}
    assert case.deadlines.count() == 2


def test_it_does_not_recreate_a_reply_already_met_under_the_other_procedure(agency, staff):
    case = reconsideration(agency, staff, received_on=dt.date(2026, 9, 18))
    deadline_complete(deadline=the(case, "reconsideration_reply"), by=staff)
    case_update(case=case, by=staff, data={"procedure": Procedure.SIMPLIFIED})
    assert not case.deadlines.filter(rule="reconsideration_reply_simplified").exists()


@time_machine.travel(dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.UTC), tick=False)
def test_it_waives_in_proceeding_deadlines_on_conclusion_and_reopens_them_with_the_case(agency, staff):
    case = lawsuit(agency, staff, accepted_on=dt.date(2025, 4, 10), effective_on=dt.date(2025, 5, 20))
    case_conclude(case=case, outcome=Outcome.CLAIMS_DISMISSED, concluded_on=dt.date(2025, 5, 20), by=staff)
    assert set(dues(case)) == {"retrial_application"}
    assert set(dues(case, DeadlineStatus.WAIVED)) == {"litigation_defence", "first_instance_trial"}
    assert the(case, "first_instance_trial").auto_closed
    case_reopen(case=Case.objects.get(pk=case.pk), by=staff, reason="结案录入有误")
    assert set(dues(case)) == {"retrial_application", "litigation_defence", "first_instance_trial"}


def test_it_refuses_a_fact_before_2004_and_saves_nothing(agency, staff):
    with pytest.raises(ValidationError) as error:
        lawsuit(agency, staff, received_on=dt.date(2003, 12, 20))
    assert "received_on" in error.value.message_dict
    assert not Case.objects.exists() and not Deadline.objects.exists()


def test_it_refuses_to_correct_a_fact_to_before_2004_and_keeps_the_old_deadline(agency, staff):
    case = lawsuit(agency, staff, received_on=dt.date(2024, 9, 16))
    with pytest.raises(ValidationError) as error:
        case_update(case=case, by=staff, data={"received_on": dt.date(2003, 9, 16)})
    assert "received_on" in error.value.message_dict
    assert Case.objects.get(pk=case.pk).received_on == dt.date(2024, 9, 16)
    assert dues(case) == {"litigation_defence": dt.date(2024, 10, 8)}


# --- staff actions ---------------------------------------------------------------


def test_it_adds_a_manual_deadline_that_is_reminded_like_a_bureau_duty(agency, staff):
    case = lawsuit(agency, staff)
    manual = deadline_add_manual(case=case, title="提交补充证据", due_on="2025-05-20", by=staff)
    assert (manual.rule, manual.due_on, manual.is_bureau_duty, manual.trigger_on) == (
        "manual", dt.date(2025, 5, 20), True, None,
    )  # fmt: skip
    assert manual in Deadline.objects.open().bureau().manual()


@pytest.mark.parametrize(
    ("title", "due_on", "field"),
    [("", "2025-05-20", "title"), ("补充证据", "2025-02-30", "due_on"), ("补充证据", "2003-05-20", "due_on")],
)
def test_it_rejects_a_bad_manual_deadline_and_saves_nothing(agency, staff, title, due_on, field):
    case = lawsuit(agency, staff)
    with pytest.raises(ValidationError) as error:
        deadline_add_manual(case=case, title=title, due_on=due_on, by=staff)
    assert field in error.value.message_dict
    assert not case.deadlines.manual().exists()


def test_it_records_who_met_a_deadline_and_when(agency, staff):
    defence = the(lawsuit(agency, staff), "litigation_defence")
    met = deadline_complete(deadline=defence, by=staff, note="已提交答辩状")
    assert (met.status, met.closed_by, met.close_note) == (DeadlineStatus.MET, staff, "已提交答辩状")
    assert met.closed_at is not None


def test_it_refuses_to_close_a_deadline_twice(agency, staff):
    defence = the(lawsuit(agency, staff), "litigation_defence")
    deadline_miss(deadline=defence, by=staff)
    with pytest.raises(ValidationError, match="已办结"):
        deadline_complete(deadline=defence, by=staff)


def test_it_requires_a_reason_to_waive_or_override(agency, staff):
    defence = the(lawsuit(agency, staff), "litigation_defence")
    with pytest.raises(ValidationError):
        deadline_waive(deadline=defence, by=staff, reason=" ")
    with pytest.raises(ValidationError):
        deadline_override(deadline=defence, due_on=dt.date(2025, 5, 20), reason="", by=staff)
    assert Deadline.objects.get(pk=defence.pk).due_on == dt.date(2025, 5, 6)


def test_it_refuses_an_override_on_or_before_the_trigger(agency, staff):
    defence = the(lawsuit(agency, staff, received_on=dt.date(2025, 4, 16)), "litigation_defence")
    with pytest.raises(ValidationError, match="晚于起算日"):
        deadline_override(deadline=defence, due_on=dt.date(2025, 4, 16), reason="法院准许延期", by=staff)


def test_it_records_an_override_and_its_reason_in_history(agency, staff):
    defence = the(lawsuit(agency, staff), "litigation_defence")
    moved = deadline_override(deadline=defence, due_on="2025-05-20", reason="法院准许延期举证", by=staff)
    assert (moved.due_on, moved.overridden, moved.override_reason) == (dt.date(2025, 5, 20), True, "法院准许延期举证")
    assert "法院准许延期举证" in moved.history.first().history_change_reason


def test_it_refuses_staff_of_another_agency(agency, staff, other_staff):
    defence = the(lawsuit(agency, staff), "litigation_defence")
    with pytest.raises(PermissionDenied):
        deadline_complete(deadline=defence, by=other_staff)


def test_it_rejects_an_unknown_rule_or_an_impossible_date_when_computing(agency):
    with pytest.raises(ValidationError) as error:
        deadline_compute("reply", "2025-01-01")
    assert "valid rules" in error.value.message_dict["rule"][0]
    with pytest.raises(ValidationError) as error:
        deadline_compute("litigation_defence", "2025-02-30")
    assert "trigger" in error.value.message_dict


# --- urgency -----------------------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC), tick=False)
def test_it_grades_open_deadlines_by_urgency_across_the_national_day_week(agency, staff):
    case = lawsuit(agency, staff, received_on=dt.date(2026, 9, 1))
    for title, due in [("a", "2026-09-30"), ("b", "2026-10-10"), ("c", "2026-10-12")]:
        deadline_add_manual(case=case, title=title, due_on=due, by=staff)
    levels = dict(Deadline.objects.open().manual().with_urgency().values_list("title", "urgency"))
    assert levels == {
        "a": DeadlineUrgency.OVERDUE,
        "b": DeadlineUrgency.DUE_3_WORKING_DAYS,  # 8, 9 and the worked Saturday 10 Oct
        "c": DeadlineUrgency.LATER,
    }


@time_machine.travel(dt.datetime(2025, 3, 5, 9, 0, tzinfo=dt.UTC), tick=False)
def test_it_grades_a_deadline_due_within_a_week_but_after_three_working_days(agency, staff):
    case = lawsuit(agency, staff, received_on=dt.date(2025, 3, 3))
    deadline_add_manual(case=case, title="x", due_on="2025-03-12", by=staff)
    assert Deadline.objects.manual().with_urgency().get().urgency == DeadlineUrgency.DUE_7_DAYS


def test_it_tells_bureau_duties_from_watched_deadlines(agency, staff):
    case = lawsuit(agency, staff, accepted_on=dt.date(2025, 4, 10))
    assert list(Deadline.objects.bureau().values_list("rule", flat=True)) == ["litigation_defence"]
    assert list(Deadline.objects.watched().values_list("rule", flat=True)) == ["first_instance_trial"]
    assert Deadline.objects.for_user(staff).count() == 2
    assert case.deadlines.open().count() == 2


# --- the Django path agrees with the pure path ---------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    received=st.dates(min_value=dt.date(2004, 1, 1), max_value=dt.date(2028, 12, 31)),
    code=st.sampled_from(sorted(RULES)),
)
def test_the_django_path_agrees_with_the_pure_path(agency, staff, received, code):
    pure = WorkdayCalendar()
    try:
        expected_period = compute_due(code, received, pure).as_dict()
    except RuleNotInForce as exc:
        with pytest.raises(ValidationError, match=re.escape(str(exc))):
            deadline_compute(code, received)
    else:
        assert deadline_compute(code, received).as_dict() == expected_period
    # A case cannot be received in the future: look back from a day after the last trigger.
    with time_machine.travel(dt.datetime(2029, 1, 15, 9, 0, tzinfo=dt.UTC), tick=False):
        case = Case.objects.filter(agency=agency).first() or lawsuit(agency, staff)
        case_update(case=case, by=staff, data={"received_on": received})
    defence = the(case, "litigation_defence")
    expected = compute_due("litigation_defence", received, pure)
    assert (defence.due_on, defence.provisional) == (expected.due, expected.provisional)


def test_it_moves_the_decision_limit_to_90_days_when_the_reviewing_body_extends_it(agency, staff):
    case = reconsideration(agency, staff, received_on=dt.date(2024, 9, 27), accepted_on=dt.date(2024, 9, 20))
    case = case_update(case=case, by=staff, data={"decision_extended": True})
    assert dues(case)["reconsideration_decision_extended"] == dt.date(2024, 12, 19)
    assert "reconsideration_decision" not in dues(case)
