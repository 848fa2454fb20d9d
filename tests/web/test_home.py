"""今日待办: legal staff land on their own work of the day; leaders keep the dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from cases.choices import FollowUpType, HearingStatus, LedgerImportStatus, Role, Status
from cases.models import Case, Deadline, FollowUp, Hearing, LedgerImport
from cases.services.calendar import workday_calendar
from casetracker.periods import urgency_bounds
from tests.factories import CaseFactory, DeadlineFactory, HearingFactory, member

pytestmark = pytest.mark.django_db


def handled_case(agency, handler, **fields) -> Case:
    case = CaseFactory(agency=agency, **fields)
    case.handlers.set([handler])
    return case


def home_of(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, testid: str) -> str:
    start = html.index(f'data-testid="{testid}"')
    return html[start:html.index("</section>", start)]


def today() -> dt.date:
    return timezone.localdate()


def test_staff_land_on_their_todays_work_with_the_seeded_demos_live_items(client, demo):
    client.post(reverse("login"), {"username": "staff", "password": "demo-pass"})
    response = client.get(reverse("home"))
    html = response.content.decode()

    assert response.status_code == 200
    assert "今日待办" in html
    live = Case.objects.filter(number__contains=f"〔{today().year}〕90") | Case.objects.filter(
        number__startswith=f"({today().year})桂04")
    overdue = Deadline.objects.overdue(today=today()).filter(case__in=live)
    assert overdue.exists()
    for deadline in overdue:
        assert f'data-deadline="{deadline.pk}"' in section(html, "todo-overdue")
    for deadline in Deadline.objects.due_soon(today=today(), calendar=workday_calendar()).filter(case__in=live):
        assert f'data-deadline="{deadline.pk}"' in section(html, "todo-due-soon")
    arranged = Hearing.objects.get(case__in=live, expected_leader__isnull=False)
    hearings = section(html, "todo-hearings")
    assert f'data-hearing="{arranged.pk}"' in hearings
    assert "✓ 王建国" in hearings


def test_a_leader_of_the_demo_lands_on_the_dashboard(client, demo):
    client.post(reverse("login"), {"username": "leader", "password": "demo-pass"})
    assert client.get(reverse("home"))["Location"] == reverse("dashboard")


def test_an_administrator_gets_todays_work_too(client, admin_user):
    assert "今日待办" in home_of(client, admin_user)


def test_it_lists_only_the_deadlines_of_cases_the_user_handles(client, agency, staff):
    colleague = member(agency, Role.STAFF)
    mine = DeadlineFactory(case=handled_case(agency, staff), due_on=today() - dt.timedelta(days=2))
    theirs = DeadlineFactory(case=handled_case(agency, colleague), due_on=today() - dt.timedelta(days=2))

    overdue = section(home_of(client, staff), "todo-overdue")

    assert f'data-deadline="{mine.pk}"' in overdue
    assert f'data-deadline="{theirs.pk}"' not in overdue
    assert "已逾期2天" in overdue


def test_it_lists_deadlines_due_within_three_working_days_but_not_later_ones(client, agency, staff):
    last = urgency_bounds(today(), workday_calendar()).last_3_working_days
    case = handled_case(agency, staff)
    soon = DeadlineFactory(case=case, due_on=last)
    later = DeadlineFactory(case=case, due_on=last + dt.timedelta(days=1))

    due_soon = section(home_of(client, staff), "todo-due-soon")

    assert f'data-deadline="{soon.pk}"' in due_soon
    assert f'data-deadline="{later.pk}"' not in due_soon


def test_it_lists_this_weeks_hearings_and_says_when_no_leader_is_arranged(client, agency, staff):
    case = handled_case(agency, staff)
    soon = HearingFactory(case=case, scheduled_at=timezone.now() + dt.timedelta(days=2))
    next_month = HearingFactory(case=case, scheduled_at=timezone.now() + dt.timedelta(days=30))

    hearings = section(home_of(client, staff), "todo-hearings")

    assert f'data-hearing="{soon.pk}"' in hearings
    assert f'data-hearing="{next_month.pk}"' not in hearings
    assert 'data-testid="leader-missing"' in hearings
    assert reverse("hearing-reschedule-page", args=[soon.pk]) in hearings


def test_it_lists_held_hearings_missing_their_attendance_record_with_the_record_page(client, agency, staff):
    held = HearingFactory(case=handled_case(agency, staff), scheduled_at=timezone.now() - dt.timedelta(days=1))

    needing = section(home_of(client, staff), "todo-needing-record")

    assert reverse("hearing-record-page", args=[held.pk]) in needing


def test_it_lists_hearings_still_scheduled_on_concluded_cases_to_cancel_them(client, agency, staff):
    case = handled_case(agency, staff, status=Status.CONCLUDED, outcome="claims_dismissed",
                        concluded_on=today() - dt.timedelta(days=1))
    left_over = HearingFactory(case=case, scheduled_at=timezone.now() + dt.timedelta(days=3))

    html = home_of(client, staff)

    assert reverse("hearing-cancel-page", args=[left_over.pk]) in section(html, "todo-after-conclusion")
    assert f'data-hearing="{left_over.pk}"' not in section(html, "todo-hearings")


def test_it_lists_a_ledger_import_waiting_for_confirmation(client, agency, staff):
    job = LedgerImport(agency=agency, created_by=staff, filename="台账.xlsx", status=LedgerImportStatus.CHECKED)
    job.file.save("台账.xlsx", ContentFile(b"x"), save=True)

    waiting = section(home_of(client, staff), "todo-waiting")

    assert reverse("ledger-import-detail", args=[job.pk]) in waiting


def test_it_lists_follow_up_letters_due_within_a_week_with_the_reply_page(client, agency, staff):
    def letter(due_on, case=None) -> FollowUp:
        return FollowUp.objects.create(
            agency=agency, case=case, type=FollowUpType.JUDICIAL_RECOMMENDATION, issuing_body="梧州市中级人民法院",
            received_on=today() - dt.timedelta(days=20), due_on=due_on,
        )

    on_my_case = letter(today() + dt.timedelta(days=3), handled_case(agency, staff))
    to_the_agency = letter(today() - dt.timedelta(days=1))
    next_month = letter(today() + dt.timedelta(days=30))

    waiting = section(home_of(client, staff), "todo-waiting")

    assert reverse("follow-up-answer-page", args=[on_my_case.pk]) in waiting
    assert reverse("follow-up-answer-page", args=[to_the_agency.pk]) in waiting
    assert reverse("follow-up-answer-page", args=[next_month.pk]) not in waiting


def test_it_shows_the_agencys_unassigned_cases_in_a_note_of_their_own(client, agency, staff, other_agency):
    nobodys = CaseFactory(agency=agency)
    DeadlineFactory(case=nobodys, due_on=today() - dt.timedelta(days=1))
    elsewhere = CaseFactory(agency=other_agency)

    html = home_of(client, staff)

    note = section(html, "todo-unassigned")
    assert f'data-case="{nobodys.pk}"' in note
    assert reverse("case-edit", args=[nobodys.pk]) in note
    assert f'data-case="{elsewhere.pk}"' not in note
    assert "data-deadline" not in section(html, "todo-overdue")


def test_it_says_so_when_there_is_nothing_to_do(client, staff):
    html = home_of(client, staff)

    assert 'data-testid="todo-nothing"' in html
    assert 'data-testid="todo-unassigned"' not in html


def _fill(agency, staff, n: int) -> None:
    now = timezone.now()
    for i in range(n):
        case = handled_case(agency, staff)
        DeadlineFactory(case=case, due_on=today() - dt.timedelta(days=1 + i % 5))
        DeadlineFactory(case=case, due_on=today())
        HearingFactory(case=case, scheduled_at=now + dt.timedelta(days=1, minutes=i))
        HearingFactory(case=case, scheduled_at=now - dt.timedelta(days=1, minutes=i), expected_leader=None)
        concluded = handled_case(agency, staff, status=Status.CONCLUDED, outcome="claims_dismissed",
                                 concluded_on=today())
        HearingFactory(case=concluded, scheduled_at=now + dt.timedelta(days=2, minutes=i))
        FollowUp.objects.create(agency=agency, case=case, type=FollowUpType.OPINION_LETTER, issuing_body="梧州市人民政府",
                                received_on=today(), due_on=today() + dt.timedelta(days=2))
        job = LedgerImport(agency=agency, created_by=staff, filename=f"{i}.xlsx", status=LedgerImportStatus.CHECKED)
        job.file.save(f"{i}.xlsx", ContentFile(b"x"), save=True)
        DeadlineFactory(case=CaseFactory(agency=agency), due_on=today())  # an unassigned case


def test_the_home_costs_the_same_queries_for_one_row_of_each_kind_as_for_many(
    client, agency, staff, leader, django_assert_max_num_queries
):
    client.force_login(staff)
    _fill(agency, staff, 1)
    Hearing.objects.filter(status=HearingStatus.SCHEDULED).update(expected_leader=leader)
    client.get(reverse("home"))  # warm the per-process working-day calendar
    with django_assert_max_num_queries(14) as one:
        client.get(reverse("home"))
    _fill(agency, staff, 12)
    Hearing.objects.filter(status=HearingStatus.SCHEDULED).update(expected_leader=leader)
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = client.get(reverse("home")).content.decode()
    assert html.count("data-hearing=") == 13 * 3



@time_machine.travel(dt.datetime(2025, 9, 15, 1, 0, tzinfo=dt.UTC))
def test_it_warns_of_a_coming_hearing_on_a_weekend(client, agency, staff):
    saturday = dt.datetime(2025, 9, 20, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    HearingFactory(case=handled_case(agency, staff), scheduled_at=saturday)

    hearings = section(home_of(client, staff), "todo-hearings")

    assert "2025-09-20 是周末" in hearings


def test_the_menu_leads_staff_back_to_todays_work_but_not_a_leader_whose_home_is_the_dashboard(client, staff, leader):
    client.force_login(staff)
    assert 'data-testid="nav-home"' in client.get(reverse("case-list")).content.decode()
    client.force_login(leader)
    assert 'data-testid="nav-home"' not in client.get(reverse("case-list")).content.decode()
