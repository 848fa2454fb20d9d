"""Follow-up letters (检察建议, 司法建议, 行政复议意见书): reply deadlines, answers, reminders (D11, D12)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from cases.choices import DeadlineStatus, FollowUpStatus
from cases.models import Deadline, FollowUp, ReminderDelivery
from cases.models.reminders import ReminderChannel
from cases.services.cases import case_update
from cases.services.followups import follow_up_answer, follow_up_archive, follow_up_create, follow_up_update
from cases.services.reminders import reminders_sweep
from tests.factories import CaseFactory, ReconsiderationFactory

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
TODAY = dt.datetime(2025, 6, 30, 9, tzinfo=TZ)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def opinion_letter(agency, staff, case=None, **fields):
    values = dict(type="opinion_letter", issuing_body="梧州市人民政府", document_number="梧府复意〔2025〕1号",
                  received_on=dt.date(2025, 3, 3), case=case)
    return follow_up_create(agency=agency, by=staff, **{**values, **fields})


def test_an_opinion_letter_is_due_60_days_after_it_is_received_rolled_off_a_rest_day(agency, staff):
    letter = opinion_letter(agency, staff)
    assert letter.due_on == dt.date(2025, 5, 6)  # 2 May is in the Labour Day holiday (5 May: its make-up rest)
    assert (letter.status, letter.due_given) == (FollowUpStatus.OPEN, False)


def test_a_letter_that_sets_its_own_period_keeps_the_due_date_given(agency, staff):
    letter = opinion_letter(agency, staff, due_on=dt.date(2025, 4, 15))
    assert (letter.due_on, letter.due_given) == (dt.date(2025, 4, 15), True)


def test_going_back_to_the_statutory_period_recomputes_the_due_date(agency, staff):
    letter = opinion_letter(agency, staff, due_on=dt.date(2025, 4, 15))
    letter = follow_up_update(follow_up=letter, by=staff, data={"due_on": None})
    assert (letter.due_on, letter.due_given) == (dt.date(2025, 5, 6), False)


def test_a_corrected_received_date_moves_a_statutory_due_date(agency, staff):
    letter = opinion_letter(agency, staff)
    letter = follow_up_update(follow_up=letter, by=staff, data={"received_on": dt.date(2025, 3, 10)})
    assert letter.due_on == dt.date(2025, 5, 9)


def test_an_answer_on_the_last_day_is_on_time_and_one_day_later_is_late(agency, staff):
    on_time = follow_up_answer(follow_up=opinion_letter(agency, staff), answered_on=dt.date(2025, 5, 6), by=staff)
    late = follow_up_answer(
        follow_up=opinion_letter(agency, staff, document_number="2号"), answered_on=dt.date(2025, 5, 7), by=staff,
        reply_document_number="梧人社函〔2025〕9号",
    )
    assert on_time.status == FollowUpStatus.ANSWERED
    assert (late.status, late.reply_document_number) == (FollowUpStatus.ANSWERED_LATE, "梧人社函〔2025〕9号")


def test_it_refuses_a_second_answer_and_an_answer_before_receipt(agency, staff):
    letter = follow_up_answer(follow_up=opinion_letter(agency, staff), answered_on=dt.date(2025, 4, 1), by=staff)
    with pytest.raises(ValidationError):
        follow_up_answer(follow_up=letter, answered_on=dt.date(2025, 4, 2), by=staff)
    other = opinion_letter(agency, staff, document_number="3号")
    with pytest.raises(ValidationError) as excinfo:
        follow_up_answer(follow_up=other, answered_on=dt.date(2025, 3, 1), by=staff)
    assert "answered_on" in excinfo.value.message_dict
    other.refresh_from_db()
    assert other.status == FollowUpStatus.OPEN


def test_it_refuses_a_letter_received_in_the_future(agency, staff):
    with pytest.raises(ValidationError) as excinfo:
        opinion_letter(agency, staff, received_on=dt.date(2025, 7, 1))
    assert "received_on" in excinfo.value.message_dict
    assert not FollowUp.objects.exists()


def test_it_refuses_an_unknown_type_with_the_valid_codes(agency, staff):
    with pytest.raises(ValidationError) as excinfo:
        opinion_letter(agency, staff, type="memo")
    assert "procuratorial_recommendation" in excinfo.value.message_dict["type"][0]


def test_it_refuses_another_agencys_case_and_a_case_of_the_wrong_kind(agency, other_agency, staff):
    with pytest.raises(ValidationError) as excinfo:
        opinion_letter(agency, staff, case=ReconsiderationFactory(agency=other_agency))
    assert "case" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        opinion_letter(agency, staff, case=CaseFactory(agency=agency))  # a 意见书 comes from a reconsideration
    assert "case" in excinfo.value.message_dict
    assert not FollowUp.objects.exists()


def test_a_leader_and_another_agencys_staff_cannot_log_a_letter(agency, leader, other_staff):
    for user in (leader, other_staff):
        with pytest.raises(PermissionDenied):
            opinion_letter(agency, user)


# --- The reply deadline on the case -----------------------------------------------------------


def test_a_letter_linked_to_a_case_puts_its_reply_deadline_on_the_case(agency, staff):
    case = ReconsiderationFactory(agency=agency)
    letter = opinion_letter(agency, staff, case=case)
    deadline = Deadline.objects.get(follow_up=letter)
    assert (deadline.case, deadline.rule, deadline.due_on, deadline.is_bureau_duty) == (
        case, "opinion_letter_correction", dt.date(2025, 5, 6), True)
    assert deadline.status == DeadlineStatus.OPEN


def test_two_letters_on_one_case_each_have_their_own_open_deadline(agency, staff):
    case = ReconsiderationFactory(agency=agency)
    opinion_letter(agency, staff, case=case)
    opinion_letter(agency, staff, case=case, document_number="2号", received_on=dt.date(2025, 4, 1))
    assert Deadline.objects.filter(case=case, status=DeadlineStatus.OPEN).count() == 2


def test_answering_closes_the_deadline_met_or_missed(agency, staff):
    case = ReconsiderationFactory(agency=agency)
    on_time = follow_up_answer(follow_up=opinion_letter(agency, staff, case=case), answered_on=dt.date(2025, 5, 6),
                               by=staff)
    late = follow_up_answer(follow_up=opinion_letter(agency, staff, case=case, document_number="2号"),
                            answered_on=dt.date(2025, 5, 8), by=staff)
    assert Deadline.objects.get(follow_up=on_time).status == DeadlineStatus.MET
    assert Deadline.objects.get(follow_up=late).status == DeadlineStatus.MISSED


def test_a_letters_own_due_date_moves_its_deadline_and_marks_it_overridden(agency, staff):
    case = ReconsiderationFactory(agency=agency)
    letter = opinion_letter(agency, staff, case=case)
    follow_up_update(follow_up=letter, by=staff, data={"due_on": dt.date(2025, 4, 30)})
    deadline = Deadline.objects.get(follow_up=letter)
    assert (deadline.due_on, deadline.overridden) == (dt.date(2025, 4, 30), True)


def test_unlinking_or_archiving_waives_the_deadline_and_keeps_the_row(agency, staff):
    case = ReconsiderationFactory(agency=agency)
    unlinked = follow_up_update(follow_up=opinion_letter(agency, staff, case=case), by=staff, data={"case": None})
    archived = follow_up_archive(follow_up=opinion_letter(agency, staff, case=case, document_number="2号"),
                                 by=staff, reason="重复登记")
    for letter in (unlinked, archived):
        assert Deadline.objects.get(follow_up=letter).status == DeadlineStatus.WAIVED
    assert not FollowUp.objects.active().filter(pk=archived.pk).exists()


def test_editing_the_case_leaves_a_letters_deadline_alone(agency, staff):
    case = ReconsiderationFactory(agency=agency, received_on=dt.date(2025, 1, 6))
    letter = opinion_letter(agency, staff, case=case)
    case_update(case=case, by=staff, data={"applicant": "改名"})
    assert Deadline.objects.get(follow_up=letter).status == DeadlineStatus.OPEN


def test_a_letters_reply_deadline_is_reminded_like_any_bureau_deadline_exactly_once(agency, staff):
    case = ReconsiderationFactory(agency=agency)
    case.handlers.add(staff)
    letter = opinion_letter(agency, staff, case=case)
    lead_day = dt.datetime(2025, 5, 5, 9, tzinfo=TZ)  # one day before 6 May: the 1-day lead reminder
    for _ in range(2):
        with time_machine.travel(lead_day, tick=False):
            reminders_sweep()
    rows = ReminderDelivery.objects.filter(deadline__follow_up=letter, recipient=staff, channel=ReminderChannel.IN_APP)
    assert list(rows.values_list("reminder", flat=True)) == ["lead_1d@2025-05-06"]


# --- 检察建议 and 司法建议 (D11 recommendation_reply) ---------------------------------------------


def test_a_procuratorial_recommendation_received_10_march_2025_is_due_12_may(agency, staff):
    letter = follow_up_create(agency=agency, by=staff, type="procuratorial_recommendation",
                              issuing_body="梧州市人民检察院", received_on=dt.date(2025, 3, 10))
    assert letter.due_on == dt.date(2025, 5, 12)  # two months land on Saturday 10 May; D5 rolls to Monday
    assert letter.rule_version == "SPP-2019"


def test_a_recommendation_answered_after_12_may_counts_as_late(agency, staff):
    case = CaseFactory(agency=agency)
    case.handlers.add(staff)
    letter = follow_up_create(agency=agency, by=staff, type="procuratorial_recommendation",
                              issuing_body="梧州市人民检察院", received_on=dt.date(2025, 3, 10), case=case)
    deadline = Deadline.objects.get(follow_up=letter)
    assert (deadline.rule, deadline.due_on) == ("recommendation_reply", dt.date(2025, 5, 12))
    answered = follow_up_answer(follow_up=letter, answered_on=dt.date(2025, 5, 13), by=staff)
    assert answered.status == FollowUpStatus.ANSWERED_LATE
    assert FollowUp.objects.filter(status="answered_late").count() == 1


def test_a_recommendations_reminders_fire_once_each_as_for_any_bureau_deadline(agency, staff):
    case = CaseFactory(agency=agency)
    case.handlers.add(staff)
    letter = follow_up_create(agency=agency, by=staff, type="procuratorial_recommendation",
                              issuing_body="梧州市人民检察院", received_on=dt.date(2025, 3, 10), case=case)
    for day in (dt.date(2025, 5, 9), dt.date(2025, 5, 9), dt.date(2025, 5, 12), dt.date(2025, 5, 12)):
        with time_machine.travel(dt.datetime(day.year, day.month, day.day, 9, tzinfo=TZ), tick=False):
            reminders_sweep()
    rows = ReminderDelivery.objects.filter(deadline__follow_up=letter, recipient=staff, channel=ReminderChannel.IN_APP)
    keys = list(rows.order_by("id").values_list("reminder", flat=True))
    assert keys == ["lead_3d@2025-05-12", "due_day@2025-05-12"]


def test_a_judicial_recommendation_defaults_to_30_days_unless_the_letter_sets_a_date(agency, staff):
    default = follow_up_create(agency=agency, by=staff, type="judicial_recommendation",
                               issuing_body="梧州市中级人民法院", received_on=dt.date(2025, 3, 10))
    own = follow_up_create(agency=agency, by=staff, type="judicial_recommendation",
                           issuing_body="梧州市中级人民法院", received_on=dt.date(2025, 3, 10), due_on=dt.date(2025, 6, 1))
    assert default.due_on == dt.date(2025, 4, 9)
    assert (own.due_on, own.due_given) == (dt.date(2025, 6, 1), True)
