"""Only administrators reach the admin; everything in it is scoped and saves through the services.

The walk below is generated from the admin site's registry, so a model registered later is
walked too: every admin URL (changelist, add, change, delete, history, history detail,
autocomplete, the report export) as each role of another agency, as legal staff and leaders
of the agency itself, and as nobody at all. None gets a 200, and no POST writes a thing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse

from cases.admin import site
from cases.choices import Role
from cases.models import CalendarYear, Case, Deadline, Document, HolidayOverride, Notification
from cases.services.deadlines import deadline_add_manual
from cases.services.documents import document_upload
from cases.services.hearings import hearing_schedule
from cases.services.reports import yearly_report_generate
from tests.factories import CaseFactory, member

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)


@pytest.fixture
def world(agency, staff, leader, admin_user):
    """One row of every registered model, all in agency A (wuzhou-hrss)."""
    with time_machine.travel(NOW, tick=False):
        case = CaseFactory(agency=agency, applicant="甲方申请人", received_on=dt.date(2026, 2, 2))
        case.handlers.add(staff)
        hearing = hearing_schedule(case=case, by=staff, scheduled_at=NOW + dt.timedelta(days=20))
        deadline = deadline_add_manual(case=case, title="补充证据", due_on=dt.date(2026, 3, 20), by=staff)
        document = document_upload(case=case, title="起诉状", file=SimpleUploadedFile("a.pdf", b"%PDF-1.4 a"), by=staff)
        from cases.models import FilingTemplate
        from cases.services.evidence import evidence_add, evidence_submit

        evidence_add(case=case, by=staff, name="调查笔录", documents=[document.pk])
        evidence_submit(case=case, by=staff, submitted_on=dt.date(2026, 3, 1))
        FilingTemplate.objects.create(agency=agency, code="defence", file="filing-templates/a.docx", uploaded_by=admin_user)
        Notification.objects.create(recipient=staff, title="甲方提醒")
        HolidayOverride.objects.create(date=dt.date(2026, 10, 12), is_working=False, note="测试")
        CalendarYear.objects.create(year=2030, source="测试")
        yearly_report_generate(agency=agency, year=2025, by=staff)
        from cases.models import ReminderDelivery

        ReminderDelivery.objects.create(
            deadline=deadline, reminder="deadline:3d", recipient=staff, channel="in_app", agency=agency,
            title="甲方提醒", body="正文", next_attempt_at=NOW,
        )
    return {"case": case, "hearing": hearing, "deadline": deadline, "document": document}


def _outsider(role: str, other_agency: Any) -> Any:
    """Someone of agency B with every model permission and is_staff: the worst case."""
    user = member(other_agency, role, username=f"b-{role}", is_staff=True)
    user.user_permissions.set(Permission.objects.all())
    return user


def _insider(role: str, agency: Any) -> Any:
    user = member(agency, role, username=f"a-{role}", is_staff=True)
    user.user_permissions.set(Permission.objects.all())
    return user


def admin_urls() -> list[tuple[str, str]]:
    """(method, url) of every admin page there is, for one object of each registered model."""
    urls: list[tuple[str, str]] = [("GET", reverse("admin:index")), ("GET", reverse("admin:password_change"))]
    for model, model_admin in site._registry.items():
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls += [("GET", reverse(f"{info}_changelist")), ("POST", reverse(f"{info}_changelist")),
                 ("GET", reverse(f"{info}_add")), ("POST", reverse(f"{info}_add"))]
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            continue
        for name in ("change", "delete", "history"):
            urls += [("GET", reverse(f"{info}_{name}", args=[obj.pk])), ("POST", reverse(f"{info}_{name}", args=[obj.pk]))]
        history = getattr(model, "history", None)
        if history is not None and hasattr(history, "model"):
            entry = history.model.objects.filter(**{model._meta.pk.attname: obj.pk}).first()
            if entry is not None:
                url = reverse(f"{info}_simple_history", args=[obj.pk, entry.history_id])
                urls += [("GET", url), ("POST", url)]
        for field in model._meta.get_fields():
            if field.is_relation and field.many_to_one and field.name in getattr(model_admin, "autocomplete_fields", ()):
                urls.append(("GET", reverse("admin:autocomplete") + f"?app_label={model._meta.app_label}"
                             f"&model_name={model._meta.model_name}&field_name={field.name}&term=甲"))
        try:
            urls.append(("GET", reverse(f"{info}_export", args=[obj.pk, "xlsx"])))
        except NoReverseMatch:
            pass
    return urls


def _post_data(world: dict[str, Any]) -> dict[str, Any]:
    """A form an administrator could save: the refusal must come before any form is read."""
    case = world["case"]
    return {
        "case": case.pk, "title": "乙方塞进来的文书", "due_on": "2026-04-01", "is_bureau_duty": "on",
        "file": SimpleUploadedFile("b.pdf", b"%PDF-1.4 b"), "agency": case.agency_id, "name": "改名", "code": "x",
        "kind": "court", "scheduled_at_0": "2026-04-10", "scheduled_at_1": "09:00:00", "post": "yes",
        "action": "archive_selected", "_selected_action": [case.pk],
    }


def _snapshot() -> dict[str, list[Any]]:
    """Every row of the app and of auth, history included: what "no write" compares."""
    models = [m for m in apps.get_models() if m._meta.app_label in ("cases", "auth")]
    return {m._meta.label: sorted(map(repr, m._default_manager.values())) for m in models}


@pytest.mark.parametrize(("who", "role"), [
    ("other agency", Role.STAFF), ("other agency", Role.LEADER), ("other agency", Role.VIEWER),
    ("own agency", Role.STAFF), ("own agency", Role.LEADER), ("own agency", Role.VIEWER),
])
def test_nobody_but_an_administrator_gets_any_admin_page_or_writes_through_it(
    world, who, role, agency, other_agency, client
):
    user = _outsider(role, other_agency) if who == "other agency" else _insider(role, agency)
    client.force_login(user)
    before = _snapshot()
    walked = admin_urls()
    assert len(walked) > 100
    for method, url in walked:
        response = client.get(url) if method == "GET" else client.post(url, _post_data(world))
        assert response.status_code == 403, f"{method} {url} answered {response.status_code}"
        assert "管理后台仅供系统管理员使用" in response.content.decode(), f"{method} {url}: not the tracker's 403 page"
    assert _snapshot() == before


def test_someone_signed_out_is_sent_to_the_trackers_login_page(world, client):
    before = _snapshot()
    for method, url in admin_urls():
        response = client.get(url) if method == "GET" else client.post(url, _post_data(world))
        assert response.status_code == 302, f"{method} {url}"
        assert response["Location"].startswith("/accounts/login/") or response["Location"].startswith("/admin/login/")
        if response["Location"].startswith("/admin/login/"):
            assert client.get(response["Location"])["Location"].startswith("/accounts/login/")
    assert _snapshot() == before


def test_the_admins_login_page_never_shows_its_own_form(client, staff):
    assert client.get("/admin/login/")["Location"].startswith("/accounts/login/?next=")
    client.force_login(staff)
    assert client.get("/admin/login/").status_code == 403


def test_an_administrator_keeps_the_admin(world, admin_user, client):
    admin_user.user_permissions.set(Permission.objects.filter(content_type__app_label="cases"))
    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200
    case = world["case"]
    assert client.get(reverse("admin:cases_case_history", args=[case.pk])).status_code == 200
    assert client.get(reverse("admin:cases_case_change", args=[case.pk])).status_code == 200


# --- scoped anyway: querysets, pickers and history, asked directly of each ModelAdmin ---


def _request_as(user: Any) -> Any:
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_every_admin_queryset_hides_another_agencys_rows(world, other_agency, agency):
    request = _request_as(_outsider(Role.LEADER, other_agency))
    for model, model_admin in site._registry.items():
        rows = model_admin.get_queryset(request)
        if model in (HolidayOverride, CalendarYear) or model._meta.app_label == "auth" and model.__name__ == "Group":
            continue  # the calendar is everyone's; groups carry no agency data
        for row in rows:
            agency_of = _agency_of(row)
            assert agency_of in (None, other_agency.pk), f"{model.__name__} {row.pk} of agency {agency_of}"


def _agency_of(row: Any) -> int | None:
    for path in ("agency_id", "case.agency_id", "membership.agency_id", "recipient.membership.agency_id", "pk"):
        target = row
        try:
            for part in path.split("."):
                target = getattr(target, part)
        except Exception:  # the row has no such path
            continue
        if path == "pk":
            return target if type(row).__name__ == "Agency" else None
        return target
    return None


def test_the_handler_and_leader_pickers_offer_only_people_of_visible_agencies(world, other_agency, staff, leader):
    outsider = _outsider(Role.STAFF, other_agency)
    request = _request_as(outsider)
    case_form = site._registry[Case].get_form(request)()
    assert staff not in case_form.fields["handlers"].queryset
    assert outsider in case_form.fields["handlers"].queryset
    from cases.models import Hearing

    hearing_form = site._registry[Hearing].get_form(request)()
    assert leader not in hearing_form.fields["expected_leader"].queryset
    document_form = site._registry[Document].get_form(request)()
    assert world["case"] not in document_form.fields["case"].queryset


@pytest.mark.parametrize("name", ["case", "hearing", "deadline", "document"])
def test_history_of_another_agencys_row_is_not_found(world, other_agency, name):
    row = world[name]
    model_admin = site._registry[type(row)]
    request = _request_as(_outsider(Role.STAFF, other_agency))
    entry = row.history.first()
    with pytest.raises(Http404):
        model_admin.history_view(request, str(row.pk))
    with pytest.raises(Http404):
        model_admin.history_form_view(request, str(row.pk), str(entry.history_id))


def test_agency_history_is_not_found_for_another_agency(world, agency, other_agency):
    from cases.models import Agency

    request = _request_as(_outsider(Role.STAFF, other_agency))
    with pytest.raises(Http404):
        site._registry[Agency].history_view(request, str(agency.pk))


# --- an administrator's saves go through the services ---


@pytest.fixture
def admin_client(client: Client, admin_user) -> Client:
    admin_user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["cases", "auth"]))
    client.force_login(admin_user)
    return client


def test_a_document_added_in_the_admin_goes_through_the_upload_check(world, admin_client):
    url = reverse("admin:cases_document_add")
    program = SimpleUploadedFile("setup.exe", b"MZ\x90\x00" + b"\x00" * 60)
    response = admin_client.post(url, {"case": world["case"].pk, "title": "程序", "file": program})
    assert response.status_code == 302
    assert not Document.objects.filter(title="程序").exists()
    ok = SimpleUploadedFile("b.pdf", b"%PDF-1.4 b")
    assert admin_client.post(url, {"case": world["case"].pk, "title": "判决书", "file": ok}).status_code == 302
    added = Document.objects.get(title="判决书")
    assert added.history.first().history_change_reason == "上传文书"


def test_a_history_entry_cannot_be_reverted_around_the_services(world, admin_client):
    case = world["case"]
    entry = case.history.first()
    url = reverse("admin:cases_case_simple_history", args=[case.pk, entry.history_id])
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"applicant": "回滚"}).status_code == 403


@time_machine.travel(NOW, tick=False)
def test_the_deadline_change_page_saves_an_override_through_the_service(world, admin_client):
    deadline = world["deadline"]
    url = reverse("admin:cases_deadline_change", args=[deadline.pk])
    assert admin_client.post(url, {"due_on": deadline.due_on.isoformat(), "override_reason": ""}).status_code == 302
    response = admin_client.post(url, {"due_on": "2026-03-27", "override_reason": "法院准予延期"})
    assert response.status_code == 302
    deadline = Deadline.objects.get(pk=deadline.pk)
    assert (deadline.due_on, deadline.overridden, deadline.override_reason) == (dt.date(2026, 3, 27), True, "法院准予延期")


@time_machine.travel(NOW, tick=False)
def test_the_deadline_change_page_without_a_reason_says_so_instead_of_failing(world, admin_client):
    deadline = world["deadline"]
    url = reverse("admin:cases_deadline_change", args=[deadline.pk])
    response = admin_client.post(url, {"due_on": "2026-03-27", "override_reason": ""}, follow=True)
    assert response.status_code == 200
    assert "请填写原因" in response.content.decode()
    assert Deadline.objects.get(pk=deadline.pk).due_on == dt.date(2026, 3, 20)


def test_deactivating_a_user_in_the_admin_ends_their_calendar_feed_and_api_token(admin_client, staff):
    from rest_framework.authtoken.models import Token

    from cases.models import CalendarFeedToken

    CalendarFeedToken.objects.create(user=staff)
    Token.objects.create(user=staff)
    url = reverse("admin:auth_user_change", args=[staff.pk])
    page = admin_client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, (list, dt.datetime))}
    data.update({"username": staff.username, "is_active": "", "date_joined_0": "2026-01-01",
                 "date_joined_1": "00:00:00", "membership-TOTAL_FORMS": "1", "membership-INITIAL_FORMS": "1",
                 "membership-0-id": staff.membership.pk, "membership-0-user": staff.pk,
                 "membership-0-agency": staff.membership.agency_id, "membership-0-role": "staff"})
    data.pop("is_active")
    data.pop("password", None)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response
    staff.refresh_from_db()
    assert not staff.is_active
    assert not CalendarFeedToken.objects.filter(user=staff).exists()
    assert not Token.objects.filter(user=staff).exists()
