"""Statutory periods (D9) computed per D5 on real official calendars (D6)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casetracker.calendar import CalendarError, WorkdayCalendar
from casetracker.periods import (
    RULES,
    Duty,
    Period,
    Rule,
    Unit,
    UnknownRule,
    Urgency,
    add_months,
    compute_due,
    get_rule,
    urgency_of,
)

# (rule, trigger, expected due, why). Expected dates were worked out by hand from
# the State Council holiday notices of each year and agree with chinese_calendar 1.11.
DUE_TABLE = [
    # 2024 National Day: 1-7 Oct off; Sun 29 Sep and Sat 12 Oct worked.
    ("litigation_defence", date(2024, 9, 16), date(2024, 10, 8),
     "15 days land on 1 Oct and roll past the whole week"),
    ("reconsideration_reply", date(2024, 9, 27), date(2024, 10, 16),
     "10 working days count Sun 29 Sep and Sat 12 Oct, skip 1-7 Oct"),
    # Ordinary Saturday versus adjusted working Saturday.
    ("litigation_defence", date(2024, 9, 27), date(2024, 10, 12),
     "15 days land on a Saturday worked in lieu: no roll"),
    ("litigation_defence", date(2024, 10, 4), date(2024, 10, 21),
     "15 days land on an ordinary Saturday: roll to Monday"),
    # 2026 Mid-autumn (25-27 Sep) and National Day (1-7 Oct); Sun 20 Sep, Sat 10 Oct worked.
    ("reconsideration_reply", date(2026, 9, 24), date(2026, 10, 15),
     "10 working days skip Mid-autumn and National Day, count Sat 10 Oct"),
    ("reconsideration_reply_simplified", date(2026, 9, 18), date(2026, 9, 24),
     "5 working days start with the worked Sunday 20 Sep"),
    ("litigation_defence", date(2026, 9, 18), date(2026, 10, 8),
     "15 days land on 3 Oct and roll to 8 Oct"),
    # Spring Festival 2025: 28 Jan - 4 Feb off; Sun 26 Jan and Sat 8 Feb worked.
    ("reconsideration_reply", date(2025, 1, 24), date(2025, 2, 13),
     "10 working days count Sun 26 Jan and Sat 8 Feb"),
    ("appeal_ruling", date(2025, 1, 20), date(2025, 2, 5),
     "10 days land on 30 Jan and roll to 5 Feb"),
    ("lawsuit_after_reconsideration", date(2025, 1, 11), date(2025, 1, 26),
     "15 days land on the worked Sunday 26 Jan: no roll"),
    # Spring Festival 2026: 15-23 Feb off; Sat 14 Feb and Sat 28 Feb worked.
    ("reconsideration_reply", date(2026, 2, 12), date(2026, 3, 4),
     "10 working days count both worked Saturdays"),
    ("litigation_defence", date(2026, 2, 5), date(2026, 2, 24),
     "15 days land on 20 Feb and roll to 24 Feb"),
    ("appellee_answer", date(2026, 1, 30), date(2026, 2, 14),
     "15 days land on the worked Saturday 14 Feb: no roll"),
    # Labour Day 2025 (1-5 May off) and 2026 (1-5 May off, Sat 9 May worked).
    ("litigation_defence", date(2025, 4, 16), date(2025, 5, 6),
     "15 days land on 1 May 2025 and roll to 6 May"),
    ("reconsideration_reply_simplified", date(2026, 4, 29), date(2026, 5, 9),
     "5 working days end on the worked Saturday 9 May 2026"),
    # Month periods: same day number, clamped to the month's end, then rolled.
    ("first_instance_trial", date(2025, 8, 31), date(2026, 2, 28),
     "31 Aug + 6 months = 28 Feb 2026, itself a worked Saturday"),
    ("first_instance_trial", date(2023, 8, 31), date(2024, 2, 29),
     "31 Aug + 6 months = 29 Feb in a leap year"),
    ("second_instance_trial", date(2024, 10, 31), date(2025, 2, 5),
     "31 Oct + 3 months = 31 Jan, in Spring Festival 2025: roll to 5 Feb"),
    ("retrial_application", date(2025, 3, 31), date(2025, 9, 30),
     "31 Mar + 6 months = 30 Sep"),
    # New Year's Day 2026 (1-3 Jan off) rolls onto the worked Sunday 4 Jan.
    ("litigation_defence", date(2025, 12, 17), date(2026, 1, 4),
     "15 days land on 1 Jan 2026 and roll to the worked Sunday"),
    ("appeal_ruling", date(2025, 12, 22), date(2026, 1, 4),
     "10 days land on 1 Jan 2026 and roll to the worked Sunday"),
    # Plain calendar-day periods.
    ("reconsideration_decision", date(2025, 3, 3), date(2025, 5, 6),
     "60 days land on 2 May, in Labour Day 2025: roll to 6 May"),
    ("reconsideration_decision_extended", date(2025, 3, 3), date(2025, 6, 3),
     "90 days land on Sun 1 Jun (Dragon Boat) and roll to 3 Jun"),
    ("reconsideration_decision_simplified", date(2025, 3, 3), date(2025, 4, 2),
     "30 days land on a Wednesday"),
    ("opinion_letter_correction", date(2025, 3, 3), date(2025, 5, 6),
     "60 days land in Labour Day 2025"),
    ("appeal_judgment", date(2025, 3, 3), date(2025, 3, 18), "15 days land on a Tuesday"),
    ("first_instance_simplified", date(2025, 3, 3), date(2025, 4, 17),
     "45 days land on a Thursday"),
]  # fmt: skip


@pytest.mark.parametrize(("code", "trigger", "due", "why"), DUE_TABLE)
def test_it_computes_the_due_date_on_the_official_calendar(code: str, trigger: date, due: date, why: str) -> None:
    period = compute_due(code, trigger)
    assert period.due == due, why
    assert period.provisional is False


def test_the_table_exercises_every_d9_rule() -> None:
    assert {row[0] for row in DUE_TABLE} == set(RULES) - {"retrial_opinion", "act_redo", "recommendation_reply"}


def test_it_has_the_fifteen_rules_of_d9_and_the_three_of_d11() -> None:
    assert len(RULES) == 18
    assert list(RULES)[-3:] == ["retrial_opinion", "act_redo", "recommendation_reply"]
    reply = RULES["reconsideration_reply"]
    assert (reply.length, reply.unit, reply.duty) == (10, Unit.WORKING_DAYS, Duty.BUREAU)
    assert reply.basis == "《行政复议法》第四十八条、第八十八条：自收到申请书副本或者申请笔录复印件之日起十个工作日内提出书面答复并提交证据、依据"
    assert RULES["appellee_answer"].basis.startswith("《民事诉讼法》第一百七十四条：")
    assert RULES["retrial_application"].unit is Unit.MONTHS


def test_it_tells_bureau_duties_from_watched_ones() -> None:
    bureau = {code for code, rule in RULES.items() if rule.is_bureau_duty}
    assert bureau == {
        "reconsideration_reply",
        "reconsideration_reply_simplified",
        "opinion_letter_correction",
        "litigation_defence",
        "appellee_answer",
        "retrial_opinion",
        "act_redo",
        "recommendation_reply",
    }


def test_it_names_the_valid_codes_when_a_rule_is_unknown() -> None:
    with pytest.raises(UnknownRule, match="valid rules: reconsideration_reply, "):
        get_rule("reply")


def test_it_rejects_a_trigger_before_the_first_year() -> None:
    with pytest.raises(CalendarError, match="before 2004"):
        compute_due("litigation_defence", date(2003, 12, 20))


def test_it_rejects_a_datetime_trigger() -> None:
    with pytest.raises(TypeError, match="must be a date"):
        compute_due("litigation_defence", datetime(2025, 3, 3, 9, 0))


def test_it_refuses_a_trigger_past_the_last_representable_date() -> None:
    with pytest.raises(CalendarError):
        compute_due("retrial_application", date(9999, 8, 1))


def test_it_marks_a_period_ending_in_an_uncovered_year_provisional() -> None:
    period = compute_due("litigation_defence", date(2026, 12, 20))
    assert (period.due, period.provisional) == (date(2027, 1, 4), True)


def test_it_is_not_provisional_once_the_year_is_loaded() -> None:
    calendar = WorkdayCalendar({date(2027, 1, 4): False}, loaded_years={2027})
    period = compute_due("litigation_defence", date(2026, 12, 20), calendar)
    assert (period.due, period.provisional) == (date(2027, 1, 5), False)


def test_it_serialises_a_period_for_the_cli_and_the_api() -> None:
    period = compute_due("litigation_defence", date(2024, 9, 16))
    assert period.as_dict() == {
        "rule": "litigation_defence",
        "version": "ALL-2014",
        "trigger": "2024-09-16",
        "due": "2024-10-08",
        "provisional": False,
        "basis": "《行政诉讼法》第六十七条：收到起诉状副本之日起十五日内提交答辩状",
    }


def test_it_clamps_month_arithmetic_to_the_end_of_the_month() -> None:
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert add_months(date(2024, 11, 30), 3) == date(2025, 2, 28)
    assert add_months(date(2025, 12, 15), 1) == date(2026, 1, 15)


URGENCY_TABLE = [
    (date(2026, 9, 30), Urgency.OVERDUE),
    (date(2026, 10, 1), Urgency.DUE_3_WORKING_DAYS),
    (date(2026, 10, 10), Urgency.DUE_3_WORKING_DAYS),  # 8 Oct, 9 Oct, Sat 10 Oct worked
    (date(2026, 10, 11), Urgency.LATER),  # past both the 3 working days and 7 days
]


@pytest.mark.parametrize(("due", "level"), URGENCY_TABLE)
def test_it_grades_urgency_across_the_national_day_week(due: date, level: Urgency) -> None:
    assert urgency_of(due, today=date(2026, 10, 1)) is level


def test_it_grades_a_deadline_within_a_week_but_past_three_working_days() -> None:
    assert urgency_of(date(2025, 3, 12), today=date(2025, 3, 5)) is Urgency.DUE_7_DAYS
    assert urgency_of(date(2025, 3, 10), today=date(2025, 3, 5)) is Urgency.DUE_3_WORKING_DAYS


# --- properties -------------------------------------------------------------

FIRST, LAST = date(2004, 1, 1), date(2028, 12, 31)
VERSIONS = [(rule, version) for rule in RULES.values() for version in rule.versions]
calendars = st.sampled_from(
    [WorkdayCalendar(), WorkdayCalendar(loaded_years={2028}), WorkdayCalendar(loaded_years={2027})]
)
FAST = settings(max_examples=80, deadline=None)


@st.composite
def in_force(draw: st.DrawFn, codes: list[str] | None = None) -> tuple[Rule, str, date, int | None]:
    """A rule, a variant and a trigger day inside one of its versions' windows (and a length
    when the deciding document sets it)."""
    pairs = [(r, v) for r, v in VERSIONS if codes is None or r.code in codes]
    rule, version = draw(st.sampled_from(pairs))
    start = max(FIRST, version.valid_from or FIRST)
    end = min(LAST, version.valid_until or LAST)
    trigger = draw(st.dates(min_value=start, max_value=end))
    length = draw(st.integers(1, 90)) if version.length is None else None
    return rule, version.variant, trigger, length


def _due(args: tuple[Rule, str, date, int | None], calendar: WorkdayCalendar | None = None) -> Period:
    rule, variant, trigger, length = args
    return compute_due(rule, trigger, calendar, variant=variant, length=length)


def _decisive_start(period: Period) -> date:
    """The first day that can change the result: the day after the trigger for a
    working-day count, the period's last day before any roll otherwise."""
    unit = period.version.unit
    if unit is Unit.WORKING_DAYS:
        return period.trigger + timedelta(days=1)
    if unit is Unit.MONTHS:
        return add_months(period.trigger, period.length)
    return period.trigger + timedelta(days=period.length)


@FAST
@given(args=in_force(), calendar=calendars)
def test_the_due_date_is_a_working_day_after_the_trigger(args, calendar: WorkdayCalendar) -> None:
    period = _due(args, calendar)
    assert period.due > period.trigger
    assert calendar.is_working_day(period.due)


@FAST
@given(args=in_force(), calendar=calendars)
def test_a_period_is_provisional_exactly_when_a_deciding_day_is_uncovered(args, calendar: WorkdayCalendar) -> None:
    period = _due(args, calendar)
    years = range(_decisive_start(period).year, period.due.year + 1)
    assert period.provisional == any(not calendar.covers(year) for year in years)


@FAST
@given(args=in_force([c for c, r in RULES.items() if any(v.unit is Unit.WORKING_DAYS for v in r.versions)]))
def test_a_working_day_period_spans_exactly_n_working_days(args) -> None:
    calendar = WorkdayCalendar()
    period = _due(args, calendar)
    if period.version.unit is Unit.WORKING_DAYS:
        assert calendar.working_days_between(period.trigger, period.due) == period.length
    else:  # the calendar-day version before the cut-over
        assert period.due >= period.trigger + timedelta(days=period.length)


@FAST
@given(args=in_force())
def test_a_calendar_period_only_rolls_over_rest_days(args) -> None:
    calendar = WorkdayCalendar()
    period = _due(args, calendar)
    if period.version.unit is Unit.WORKING_DAYS:
        return
    end = _decisive_start(period)
    rolled_over = [end + timedelta(days=i) for i in range((period.due - end).days)]
    assert not any(calendar.is_working_day(day) for day in rolled_over)


@FAST
@given(args=in_force(), step=st.integers(min_value=1, max_value=40))
def test_a_later_trigger_under_the_same_version_never_gives_an_earlier_due_date(args, step: int) -> None:
    rule, variant, trigger, length = args
    earlier = _due(args)
    later_trigger = trigger + timedelta(days=step)
    if not earlier.version.in_force_on(later_trigger):
        return  # a new version may shorten the period (ALL 1989 -> 2014 did the opposite)
    later = _due((rule, variant, later_trigger, length))
    assert later.due >= earlier.due
