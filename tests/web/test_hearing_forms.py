"""Reschedule, postpone and cancel a hearing through the pages (the hearing services behind them)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases.choices import HearingStatus, LeaderRank, Role
from cases.models import Hearing
from tests.factories import CaseFactory, HearingFactory, member

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2025, 9, 15, 9, 0, tzinfo=dt.UTC)


def _hearing(agency, **fields) -> Hearing:
    return HearingFactory(case=CaseFactory(agency=agency), scheduled_at=TODAY + dt.timedelta(days=10), **fields)


def _history_count(hearing: Hearing) -> int:
    return hearing.history.count()


@time_machine.travel(TODAY)
def test_it_reschedules_a_hearing_with_a_new_time_place_and_leader(staff_client, agency, leader):
    hearing = _hearing(agency)
    response = staff_client.post(reverse("hearing-reschedule-page", args=[hearing.pk]), {
        "scheduled_at": "2025-10-20T14:30", "place": "第五审判庭", "expected_leader": leader.pk,
        "reason": "法院调整庭期", "version": hearing.version,
    })

    assert response.status_code == 302 and response["Location"] == reverse("case-detail-page", args=[hearing.case_id])
    hearing.refresh_from_db()
    assert timezone.localtime(hearing.scheduled_at).strftime("%Y-%m-%d %H:%M") == "2025-10-20 14:30"
    assert (hearing.place, hearing.expected_leader, hearing.version) == ("第五审判庭", leader, 2)
    assert hearing.history.latest().history_change_reason == "法院调整庭期"


@time_machine.travel(TODAY)
def test_it_prefills_the_reschedule_form_with_the_current_arrangement(staff_client, agency, leader):
    hearing = _hearing(agency, expected_leader=leader, place="第三审判庭")
    form = staff_client.get(reverse("hearing-reschedule-page", args=[hearing.pk])).context["form"]

    assert (form["place"].value(), form["expected_leader"].value(), form["version"].value()) == (
        "第三审判庭", leader.pk, 1,
    )


@time_machine.travel(TODAY)
def test_it_schedules_a_postponed_hearing_again_when_it_gets_a_new_date(staff_client, agency):
    hearing = _hearing(agency, status=HearingStatus.POSTPONED)
    response = staff_client.post(reverse("hearing-reschedule-page", args=[hearing.pk]),
                                 {"scheduled_at": "2025-11-03T09:00", "place": hearing.place})

    assert response.status_code == 302
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.SCHEDULED


@time_machine.travel(TODAY)
@pytest.mark.parametrize("bad", [{"scheduled_at": ""}, {"scheduled_at": "2025-02-30T09:00"},
                                 {"scheduled_at": "0001-01-01T00:00"}, {"scheduled_at": "2025-10-20T09:00",
                                                                         "expected_leader": 99999999999}])
def test_it_refuses_a_bad_reschedule_next_to_the_field_and_saves_nothing(staff_client, agency, bad):
    hearing = _hearing(agency)
    before = (hearing.scheduled_at, hearing.version, _history_count(hearing))
    response = staff_client.post(reverse("hearing-reschedule-page", args=[hearing.pk]), {"place": "x", **bad})

    assert response.status_code == 200
    field = "expected_leader" if "expected_leader" in bad else "scheduled_at"
    assert field in response.context["form"].errors
    assert f'id="id_{field}-error"' in response.content.decode()
    hearing.refresh_from_db()
    assert (hearing.scheduled_at, hearing.version, _history_count(hearing)) == before


@time_machine.travel(TODAY)
def test_it_refuses_a_leader_who_does_not_count_as_responsible(staff_client, agency):
    hearing = _hearing(agency)
    chief = member(agency, Role.LEADER, LeaderRank.NON_COUNTING, username="chief-of-staff")
    response = staff_client.post(reverse("hearing-reschedule-page", args=[hearing.pk]),
                                 {"scheduled_at": "2025-10-20T09:00", "expected_leader": chief.pk})

    assert "expected_leader" in response.context["form"].errors
    hearing.refresh_from_db()
    assert hearing.expected_leader is None and hearing.version == 1


@time_machine.travel(TODAY)
def test_it_says_a_held_hearing_cannot_be_rescheduled(staff_client, agency, leader):
    hearing = _hearing(agency, status=HearingStatus.HELD, bureau_appeared=True, responsible_person=leader)
    response = staff_client.post(reverse("hearing-reschedule-page", args=[hearing.pk]),
                                 {"scheduled_at": "2025-10-20T09:00"})

    assert response.status_code == 200
    assert "已开庭或已取消的庭审不能改期" in " ".join(response.context["form"].non_field_errors())
    hearing.refresh_from_db()
    assert hearing.version == 1


@time_machine.travel(TODAY)
def test_it_refuses_a_reschedule_made_on_a_stale_version(staff_client, agency):
    hearing = _hearing(agency, version=3)
    response = staff_client.post(reverse("hearing-reschedule-page", args=[hearing.pk]),
                                 {"scheduled_at": "2025-10-20T09:00", "version": 2})

    assert response.status_code == 200 and response.context["form"].non_field_errors()
    hearing.refresh_from_db()
    assert hearing.version == 3 and hearing.scheduled_at == TODAY + dt.timedelta(days=10)


@time_machine.travel(TODAY)
def test_it_postpones_a_hearing_with_a_reason(staff_client, agency):
    hearing = _hearing(agency)
    response = staff_client.post(reverse("hearing-postpone-page", args=[hearing.pk]),
                                 {"reason": "法院通知延期", "version": 1})

    assert response.status_code == 302
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.POSTPONED
    assert "法院通知延期" in hearing.history.latest().history_change_reason


@time_machine.travel(TODAY)
def test_it_requires_a_reason_to_postpone_or_cancel(staff_client, agency):
    hearing = _hearing(agency)
    for name in ("hearing-postpone-page", "hearing-cancel-page"):
        response = staff_client.post(reverse(name, args=[hearing.pk]), {"reason": "  "})
        assert "reason" in response.context["form"].errors, name
    hearing.refresh_from_db()
    assert (hearing.status, hearing.version) == (HearingStatus.SCHEDULED, 1)


@time_machine.travel(TODAY)
def test_it_says_only_a_scheduled_hearing_can_be_postponed(staff_client, agency):
    hearing = _hearing(agency, status=HearingStatus.POSTPONED)
    response = staff_client.post(reverse("hearing-postpone-page", args=[hearing.pk]), {"reason": "再次延期"})

    assert "只有已排期的庭审可以延期" in " ".join(response.context["form"].non_field_errors())
    hearing.refresh_from_db()
    assert hearing.version == 1


@time_machine.travel(TODAY)
def test_it_cancels_a_hearing_with_a_reason(staff_client, agency):
    hearing = _hearing(agency)
    response = staff_client.post(reverse("hearing-cancel-page", args=[hearing.pk]), {"reason": "原告撤诉"})

    assert response.status_code == 302
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.CANCELLED


@time_machine.travel(TODAY)
def test_it_says_a_held_hearing_cannot_be_cancelled(staff_client, agency, leader):
    hearing = _hearing(agency, status=HearingStatus.HELD, bureau_appeared=True, responsible_person=leader)
    response = staff_client.post(reverse("hearing-cancel-page", args=[hearing.pk]), {"reason": "x"})

    assert "已开庭的庭审不能取消" in " ".join(response.context["form"].non_field_errors())
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.HELD


@time_machine.travel(TODAY)
@pytest.mark.parametrize("name", ["hearing-reschedule-page", "hearing-postpone-page", "hearing-cancel-page"])
def test_it_answers_404_for_another_agencys_hearing(other_client, agency, name):
    hearing = _hearing(agency)

    assert other_client.get(reverse(name, args=[hearing.pk])).status_code == 404
    assert other_client.post(reverse(name, args=[hearing.pk]), {"reason": "x"}).status_code == 404
    hearing.refresh_from_db()
    assert (hearing.status, hearing.version) == (HearingStatus.SCHEDULED, 1)


@time_machine.travel(TODAY)
@pytest.mark.parametrize("name", ["hearing-reschedule-page", "hearing-postpone-page", "hearing-cancel-page"])
def test_it_answers_403_to_a_leader(leader_client, agency, name):
    hearing = _hearing(agency)

    assert leader_client.post(reverse(name, args=[hearing.pk]), {"reason": "x"}).status_code == 403
    hearing.refresh_from_db()
    assert hearing.version == 1


@time_machine.travel(TODAY)
def test_it_offers_each_hearing_only_the_moves_its_status_allows(staff_client, agency, leader):
    case = CaseFactory(agency=agency)
    scheduled = HearingFactory(case=case, scheduled_at=TODAY + dt.timedelta(days=3))
    postponed = HearingFactory(case=case, scheduled_at=TODAY + dt.timedelta(days=4), status=HearingStatus.POSTPONED)
    held = HearingFactory(case=case, scheduled_at=TODAY - dt.timedelta(days=4), status=HearingStatus.HELD,
                          bureau_appeared=True, responsible_person=leader)
    cancelled = HearingFactory(case=case, scheduled_at=TODAY + dt.timedelta(days=5), status=HearingStatus.CANCELLED)
    page = staff_client.get(reverse("case-detail-page", args=[case.pk])).content.decode()

    def offered(hearing: Hearing) -> set[str]:
        return {name for name in ("reschedule", "postpone", "cancel")
                if reverse(f"hearing-{name}-page", args=[hearing.pk]) in page}

    assert offered(scheduled) == {"reschedule", "postpone", "cancel"}
    assert offered(postponed) == {"reschedule", "cancel"}
    assert offered(held) == offered(cancelled) == set()


@time_machine.travel(TODAY)
def test_it_hides_the_hearing_moves_from_readers(leader_client, agency):
    hearing = _hearing(agency)
    page = leader_client.get(reverse("case-detail-page", args=[hearing.case_id])).content.decode()

    assert reverse("hearing-reschedule-page", args=[hearing.pk]) not in page
    assert reverse("hearing-cancel-page", args=[hearing.pk]) not in page
