"""Forms that fit the case, in Chromium, in Chinese and in English (issue 14).

The case form shows the fields of the chosen kind, handlers are ticked in a list with a filter,
the outcome list follows the law in force on the conclusion date, and "nobody from the bureau
attended" is a choice of its own that needs the reason and is flagged on the case page.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone

from cases.choices import HearingStatus, LeaderRank, Role
from cases.models import Hearing
from tests.browser.conftest import log_in
from tests.factories import AgencyFactory, CaseFactory, HearingFactory, UserFactory, member

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["zh-CN", "en-US"]
NOBODY_FLAG = {"zh-CN": "我局无人出庭", "en-US": "Nobody from the bureau attended"}
DETAIL_REQUIRED = {"zh-CN": "我局无人出庭的,必须在“事由说明”中写明原因。",
                   "en-US": "Nobody from the bureau attended: say why under “Explanation”."}


@pytest.fixture(params=LANGUAGES)
def language(request) -> str:
    return request.param


@pytest.fixture
def page_in(chromium, live_server, settings, language):
    """An office screen whose browser asks for Chinese or for English."""
    settings.DEBUG = False
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale=language, base_url=live_server.url)
    context.add_cookies([{"name": "django_language", "value": "en" if language == "en-US" else "zh-hans",
                          "url": live_server.url}])
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def office(db):
    agency = AgencyFactory(code="wuzhou-hrss", name="梧州市人力资源和社会保障局")
    staff = member(agency, Role.STAFF, username="staff", last_name="李", first_name="明")
    member(agency, Role.STAFF, username="wang", last_name="王", first_name="建国")
    member(agency, Role.STAFF, username="zhang", last_name="张", first_name="三")
    member(agency, Role.LEADER, LeaderRank.PRINCIPAL, username="leader", last_name="赵", first_name="局长")
    return agency, staff


def test_choosing_litigation_shows_the_instance_and_reconsideration_hides_it(page_in, office, language,
                                                                            screenshot_dir):
    page = page_in
    log_in(page, "staff", "pw-for-tests")
    page.goto("/cases/new/")
    instance = page.locator('[data-field="litigation_instance"]')
    co_defendant = page.locator('[data-field="co_defendant"]')

    page.select_option("#id_kind", "litigation")
    assert instance.is_visible() and co_defendant.is_visible()
    assert not page.locator('[data-field="decision_served_on"]').is_visible()
    page.screenshot(path=str(screenshot_dir / f"case-form-litigation-{language}.png"), full_page=True)

    page.select_option("#id_kind", "reconsideration")
    assert not instance.is_visible() and not co_defendant.is_visible()
    assert page.locator('[data-field="decision_served_on"]').is_visible()


def test_the_co_defendant_checkbox_sits_next_to_its_label(page_in, office):
    page = page_in
    log_in(page, "staff", "pw-for-tests")
    page.goto("/cases/new/")
    page.select_option("#id_kind", "litigation")
    box = page.locator("#id_co_defendant").bounding_box()
    label = page.locator('[data-field="co_defendant"] label').bounding_box()
    assert box["width"] < 30
    assert box["x"] - label["x"] < 10  # the box opens its label, not floats across the column


def test_the_handler_list_starts_with_the_author_ticked_and_filters_by_name(page_in, office):
    page = page_in
    _, staff = office
    log_in(page, "staff", "pw-for-tests")
    page.goto("/cases/new/")
    assert page.locator(f'input[name="handlers"][value="{staff.pk}"]').is_checked()

    page.fill('[data-choice-filter="id_handlers"]', "王")
    page.keyboard.press("Enter")  # filters; it does not submit the form
    handlers = page.locator('[data-field="handlers"]')
    assert handlers.get_by_text("王建国").is_visible()
    assert not handlers.get_by_text("张三").is_visible()
    assert handlers.get_by_text("李明").is_visible()  # ticked people stay in sight
    assert page.url.endswith("/cases/new/")

    page.fill('[data-choice-filter="id_handlers"]', "")
    assert handlers.get_by_text("张三").is_visible()


def test_an_administrator_sees_the_handlers_of_the_agency_chosen(page_in, office):
    agency, _ = office
    other = AgencyFactory(code="hezhou-hrss", name="贺州市人力资源和社会保障局")
    member(other, Role.STAFF, username="staff2", last_name="陈", first_name="芳")
    UserFactory(username="root", is_superuser=True, is_staff=True)
    page = page_in
    log_in(page, "root", "pw-for-tests")
    page.goto("/cases/new/")
    handlers = page.locator('[data-field="handlers"]')

    page.select_option("#id_agency", str(other.pk))
    assert handlers.get_by_text("陈芳").is_visible() and not handlers.get_by_text("王建国").is_visible()
    page.select_option("#id_agency", str(agency.pk))
    assert handlers.get_by_text("王建国").is_visible() and not handlers.get_by_text("陈芳").is_visible()


def test_the_outcome_list_follows_the_law_in_force_on_the_conclusion_date(page_in, office):
    page = page_in
    agency, _ = office
    case = CaseFactory(agency=agency, received_on=dt.date(2014, 9, 1))
    log_in(page, "staff", "pw-for-tests")
    page.goto(f"/cases/{case.pk}/conclude/")
    upheld = page.locator('#id_outcome option[value="upheld"]')
    assert upheld.is_disabled()
    assert not page.locator('#id_outcome option[value="claims_dismissed"]').is_disabled()
    assert page.locator('#id_outcome option[value="request_rejected"]').count() == 0  # reconsideration only

    page.fill("#id_concluded_on", "2015-03-02")
    page.locator("#id_concluded_on").dispatch_event("change")
    assert not upheld.is_disabled()
    page.select_option("#id_outcome", "upheld")

    page.fill("#id_concluded_on", "2015-05-01")
    page.locator("#id_concluded_on").dispatch_event("change")
    assert upheld.is_disabled()
    assert page.input_value("#id_outcome") == ""  # the choice no longer in force is dropped


def test_the_conclude_form_asks_for_grounds_only_on_a_loss_and_act_changed_only_on_a_withdrawal(page_in, office):
    page = page_in
    agency, _ = office
    case = CaseFactory(agency=agency, received_on=dt.date(2025, 3, 3))
    log_in(page, "staff", "pw-for-tests")
    page.goto(f"/cases/{case.pk}/conclude/")
    grounds, act_changed = page.locator('[data-field="grounds"]'), page.locator('[data-field="act_changed"]')
    assert not grounds.is_visible() and not act_changed.is_visible()  # nothing chosen yet

    page.select_option("#id_outcome", "revoked")
    assert grounds.is_visible() and not act_changed.is_visible()
    page.locator('[data-field="grounds"] input[type=checkbox]').first.check()

    page.select_option("#id_outcome", "withdrawn")
    assert act_changed.is_visible() and not grounds.is_visible()
    assert page.locator('[data-field="grounds"] input:checked').count() == 0  # the service would refuse them

    page.select_option("#id_outcome", "claims_dismissed")
    assert not grounds.is_visible() and not act_changed.is_visible()


def test_nobody_attended_hides_the_people_needs_the_reason_and_is_flagged(page_in, office, language, tmp_path,
                                                                         screenshot_dir):
    page = page_in
    agency, staff = office
    case = CaseFactory(agency=agency, received_on=timezone.localdate() - dt.timedelta(days=30))
    hearing = HearingFactory(case=case, scheduled_at=timezone.now() - dt.timedelta(days=2))
    proof = tmp_path / "proof.pdf"
    proof.write_bytes(b"%PDF-1.4 statement")

    log_in(page, "staff", "pw-for-tests")
    page.goto(f"/hearings/{hearing.pk}/record/")
    page.check('input[name="attendance"][value="nobody"]')
    assert not page.locator('[data-field="responsible_person"]').is_visible()
    assert not page.locator('[data-field="staff"]').is_visible()
    assert page.locator('[data-field="absence_detail"]').is_visible()

    page.select_option("#id_absence_reason", "accident")
    page.set_input_files("#id_absence_proof", str(proof))
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")
    assert page.locator("#id_absence_detail-error").inner_text() == DETAIL_REQUIRED[language]
    assert page.locator('input[name="attendance"][value="nobody"]').is_checked()
    assert not page.locator('[data-field="staff"]').is_visible()
    page.screenshot(path=str(screenshot_dir / f"attendance-nobody-{language}.png"), full_page=True)

    page.fill("#id_absence_detail", "承办人均在外地办案")
    page.set_input_files("#id_absence_proof", str(proof))
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/cases/{case.pk}/")
    flag = page.locator(f'tr[data-hearing="{hearing.pk}"] [data-testid="nobody-attended"]')
    assert flag.inner_text() == NOBODY_FLAG[language]

    hearing = Hearing.objects.get(pk=hearing.pk)
    assert hearing.status == HearingStatus.HELD and hearing.nobody_attended
    assert hearing.absence_detail == "承办人均在外地办案"
