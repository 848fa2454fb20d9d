"""Every named constraint of the foundation and deadline models, fed bad input.

Each one is reported by full_clean() on the field it is about (forms show it there),
and the database itself refuses the row when full_clean is skipped: nothing is saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, models, transaction

from cases.choices import LeaderRank, Role, Status
from cases.models import Agency, CalendarYear, Case, Deadline, Hearing, HolidayOverride, Membership, Suspension
from cases.services.cases import case_validate
from tests.factories import AgencyFactory, CaseFactory, HearingFactory, ReconsiderationFactory, UserFactory

pytestmark = pytest.mark.django_db


def concluded(**fields: Any) -> dict[str, Any]:
    return {"status": Status.CONCLUDED, "outcome": "claims_dismissed", "concluded_on": dt.date(2021, 5, 1), **fields}


def case(**fields: Any) -> Case:
    return CaseFactory.build(agency=AgencyFactory(), **fields)


def hearing(**fields: Any) -> Hearing:
    return HearingFactory.build(case=CaseFactory(), **fields)


def deadline(**fields: Any) -> Deadline:
    values = {"case": CaseFactory(), "rule": "manual", "title": "补充证据", "due_on": dt.date(2025, 5, 6), **fields}
    return Deadline(**values)


def second_open_defence() -> Deadline:
    first = deadline(rule="litigation_defence", title="", trigger_on=dt.date(2025, 4, 16))
    first.save()
    return deadline(case=first.case, rule="litigation_defence", title="", trigger_on=dt.date(2025, 4, 20))


def duplicate_case() -> Case:
    first = CaseFactory()
    return CaseFactory.build(agency=first.agency, number=first.number, reviewing_body=first.reviewing_body)


def suspension(**fields: Any) -> Suspension:
    return Suspension(**{"case": CaseFactory(), "suspended_on": dt.date(2021, 4, 1), "reason": "等待", **fields})


def second_open_suspension() -> Suspension:
    first = suspension()
    first.save()
    return suspension(case=first.case, suspended_on=dt.date(2021, 5, 1))


def own_parent() -> Agency:
    agency = AgencyFactory()
    agency.parent = agency
    return agency


def membership(role: str, rank: str) -> Membership:
    return Membership(user=UserFactory(), agency=AgencyFactory(), role=role, leader_rank=rank)


# (constraint name, a bad instance, the field the message is reported on, part of the message)
CASES: list[tuple[str, Callable[[], models.Model], str, str]] = [
    ("case_concluded_has_outcome_and_date", lambda: case(**concluded(outcome="")), "outcome", "已结案件必须有结果"),
    ("case_concluded_has_outcome_and_date", lambda: case(outcome="upheld"), "outcome", "未结案件不能有结果"),
    ("case_concluded_not_before_received", lambda: case(**concluded(concluded_on=dt.date(2021, 2, 1))),
     "concluded_on", "结案日期不能早于收到日期"),
    ("case_instance_only_for_litigation", lambda: case(litigation_instance=""), "litigation_instance", "必须填写审级"),
    ("case_instance_only_for_litigation", lambda: ReconsiderationFactory.build(
        agency=AgencyFactory(), litigation_instance="first"), "litigation_instance", "行政复议案件不填审级"),
    ("case_outcome_fits_kind", lambda: case(**concluded(outcome="request_rejected")), "outcome", "不适用于此类案件"),
    ("case_act_changed_only_on_withdrawal", lambda: case(**concluded(act_changed=True)), "act_changed", "仅适用于撤回"),
    ("case_accepted_not_before_act", lambda: case(act_date=dt.date(2021, 1, 10), accepted_on=dt.date(2021, 1, 9)),
     "accepted_on", "受理日期不能早于行政行为作出日期"),
    ("case_act_not_after_received", lambda: case(act_date=dt.date(2021, 3, 2)), "act_date",
     "行政行为作出日期不能晚于"),
    ("suspension_resumed_not_before_suspended", lambda: suspension(resumed_on=dt.date(2021, 3, 31)), "resumed_on",
     "恢复日期不能早于中止日期"),
    ("suspension_one_open_per_case", second_open_suspension, "suspended_on", "已有未恢复的中止"),
    ("case_suspended_on_only_when_suspended", lambda: case(suspended_on=dt.date(2021, 4, 1)), "suspended_on",
     "只有中止的案件才有中止日期"),
    ("case_number_unique_per_reviewing_body", duplicate_case, "number", "已有相同案号"),
    ("case_retrial_application_only_for_litigation", lambda: ReconsiderationFactory.build(
        agency=AgencyFactory(), retrial_application_received_on=dt.date(2021, 5, 1)),
     "retrial_application_received_on", "仅适用于行政诉讼案件"),
    ("case_decision_received_only_for_reconsideration", lambda: case(decision_received_on=dt.date(2021, 5, 1)),
     "decision_received_on", "仅适用于行政复议案件"),
    ("case_redo_due_only_for_litigation", lambda: ReconsiderationFactory.build(
        agency=AgencyFactory(), redo_due_on=dt.date(2021, 7, 1)), "redo_due_on", "行政复议按六十日自动计算"),
    ("hearing_held_has_attendance", lambda: hearing(status="held", absence_reason="other"), "bureau_appeared",
     "必须记录我局出庭情况"),
    ("hearing_absent_leader_has_reason", lambda: hearing(status="held", bureau_appeared=True), "absence_reason",
     "必须填写未出庭事由"),
    ("hearing_leader_means_bureau_appeared", lambda: hearing(responsible_person=UserFactory(), bureau_appeared=False),
     "bureau_appeared", "负责人出庭即视为我局出庭"),
    ("agency_not_own_parent", own_parent, NON_FIELD_ERRORS, "不能是自己的上级机关"),
    ("membership_rank_only_for_leaders", lambda: membership(Role.LEADER, ""), NON_FIELD_ERRORS, "必须填写领导职级"),
    ("membership_rank_only_for_leaders", lambda: membership(Role.STAFF, LeaderRank.PRINCIPAL), NON_FIELD_ERRORS,
     "其他角色不填"),
    ("deadline_one_open_computed_per_rule", second_open_defence, NON_FIELD_ERRORS, "已有同一规则的待办期限"),
    ("deadline_override_has_reason", lambda: deadline(overridden=True), NON_FIELD_ERRORS, "必须填写原因"),
    ("deadline_closed_has_closed_at", lambda: deadline(status="met"), NON_FIELD_ERRORS, "必须有办结时间"),
    ("deadline_manual_titled_computed_triggered", lambda: deadline(title=""), NON_FIELD_ERRORS, "手动期限必须有名称"),
    ("deadline_manual_titled_computed_triggered", lambda: deadline(rule="litigation_defence"), NON_FIELD_ERRORS,
     "法定期限必须有起算日"),
    ("deadline_due_after_trigger", lambda: deadline(trigger_on=dt.date(2025, 5, 6)), NON_FIELD_ERRORS,
     "届满日必须晚于起算日"),
    ("deadline_due_not_before_first_year", lambda: deadline(due_on=dt.date(2003, 12, 31)), NON_FIELD_ERRORS,
     "届满日不能早于 2004 年"),
    ("holiday_override_not_before_first_year", lambda: HolidayOverride(date=dt.date(2003, 10, 1), is_working=False),
     NON_FIELD_ERRORS, "日期不能早于 2004 年"),
    ("calendar_year_not_before_first_year", lambda: CalendarYear(year=2003), NON_FIELD_ERRORS, "年份不能早于 2004 年"),
]  # fmt: skip


def test_the_table_names_every_constraint_of_these_models():
    named = {
        constraint.name
        for model in (Agency, Membership, Case, Hearing, Deadline, HolidayOverride, CalendarYear, Suspension)
        for constraint in model._meta.constraints
    }
    assert {name for name, *_ in CASES} == named


@pytest.mark.parametrize(("name", "build", "field", "message"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_it_rejects_bad_input_on_the_field_and_saves_nothing(name, build, field, message):
    instance = build()
    model = type(instance)
    before = model.objects.count()
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    assert message in " ".join(error.value.message_dict.get(field, [])), error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        instance.save()
    assert model.objects.count() == before


def test_a_form_without_the_status_still_gets_the_date_message_on_its_field():
    bad = case(**concluded(concluded_on=dt.date(2021, 2, 1)))
    with pytest.raises(ValidationError) as error:
        bad.validate_constraints(exclude={"outcome", "status"})
    assert "结案日期不能早于收到日期" in " ".join(error.value.message_dict["concluded_on"])


def test_case_validate_reports_every_problem_of_a_case_at_once():
    bad = case(received_on=dt.date(2003, 6, 1), outcome="upheld", accepted_on=dt.date(2003, 6, 2))
    bad.pk = 10**6
    bad.previous = bad
    with pytest.raises(ValidationError) as error:
        case_validate(bad)
    assert {"outcome", "received_on", "accepted_on", "previous"} <= set(error.value.message_dict)
    assert not Case.objects.filter(received_on__year=2003).exists()


def test_load_holidays_refuses_a_nul_character_in_one_line_and_saves_nothing(tmp_path: Path):
    path = tmp_path / "2027.csv"
    path.write_text("2027-01-01,rest,元旦\n2027-01-02,rest,元\x00旦\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("load_holidays", str(path))
    assert "第 2 行" in str(error.value)
    assert not HolidayOverride.objects.exists() and not CalendarYear.objects.exists()


def test_load_holidays_refuses_a_note_longer_than_the_column(tmp_path: Path):
    path = tmp_path / "2027.csv"
    path.write_text("2027-01-01,rest," + "长" * 201 + "\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("load_holidays", str(path))
    assert "第 1 行" in str(error.value) and "200" in str(error.value)
    assert not HolidayOverride.objects.exists()


def test_seed_demo_refuses_a_too_short_password_and_creates_nothing():
    with pytest.raises(CommandError):
        call_command("seed_demo", "--password", "abc")
    assert not Agency.objects.exists()


def test_it_refuses_a_served_decision_without_its_form_and_saves_nothing(agency, staff):
    from cases.services.cases import case_create

    with pytest.raises(ValidationError) as error:
        case_create(
            agency=agency, by=staff, kind="litigation", litigation_instance="first", number="(2025)桂0403行初77号",
            reviewing_body="梧州市万秀区人民法院", applicant="张三", subject="work_injury",
            received_on=dt.date(2025, 1, 6), judgment_served_on=dt.date(2025, 3, 3),
        )  # fmt: skip
    assert "上诉期" in " ".join(error.value.message_dict["judgment_form"])
    assert not Case.objects.exists() and not Deadline.objects.exists()
