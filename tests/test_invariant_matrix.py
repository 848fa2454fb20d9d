"""Every invariant the services guard, tried through every entry point: the same refusal, nothing saved.

Each row of the matrix is one broken write (issues 10, 11, 12). It is tried as a
plain service call (the shell, the importer, the admin's save path all end there),
through the API and through the page's form, and where the admin offers the write,
through the admin's form too. Each must refuse it on the same field
with the service's message and leave the database as it was. Where a form only
offers valid choices (a picker of the agency's own people, the hearing kinds the
case allows), the form refuses the value as an invalid choice: that is the UX
copy, and the row says so.

The admin and the ledger importer (台账导入) are columns of their own for the writes they
offer: the admin's case add form for every new-case row, the importer for every new-case
fact a ledger holds. A ledger names handlers by name and only the agency's own people can
be named there (an outsider's name is "not a member of the agency", before any service
runs), so the handler row has no importer cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from cases.choices import HearingKind, HearingStatus, Instance, Kind, LeaderRank, Role, Status
from cases.models import Case, Deadline, Hearing, Suspension
from cases.services import cases as case_services
from cases.services import deadlines as deadline_services
from cases.services import hearings as hearing_services
from tests.factories import CaseFactory, HearingFactory, ReconsiderationFactory, member
from tests.ledger_books import book, lawsuit

TODAY = dt.datetime(2025, 9, 15, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
CHOICE = "choice"  # the form's picker refuses the value before the service sees it

NEW_CASE = {
    "kind": Kind.LITIGATION, "litigation_instance": Instance.FIRST, "procedure": "ordinary",
    "number": "(2025)桂0403行初77号", "reviewing_body": "梧州市万秀区人民法院", "applicant": "李某",
    "subject": "work_injury", "received_on": dt.date(2025, 9, 1),
}



@pytest.fixture(autouse=True)
def _chinese():
    # The messages are asserted in Chinese; an earlier test's request may leave English active.
    with translation.override("zh-hans"):
        yield


def _api_case(fields: dict[str, Any]) -> dict[str, Any]:
    body = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in fields.items()}
    body["instance"] = body.pop("litigation_instance", "")
    if isinstance(body.get("previous"), Case):
        body["previous"] = body["previous"].pk
    return body


def _form_case(fields: dict[str, Any]) -> dict[str, Any]:
    body = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in fields.items()}
    if isinstance(body.get("previous"), Case):
        body["previous"] = body["previous"].pk
    return {k: v for k, v in body.items() if v is not None}


def _local(day: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day))


@dataclass
class World:
    agency: Any
    staff: Any
    admin: Any
    stranger: Any
    chief: Any
    case: Case
    recon: Case
    hearing: Hearing


@pytest.fixture
def world(agency, other_agency, staff, settings) -> World:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    case = CaseFactory(agency=agency, received_on=dt.date(2025, 3, 1))
    return World(
        agency=agency, staff=staff, admin=member(agency, Role.ADMIN, username="boss"),
        stranger=member(other_agency, Role.STAFF, username="outsider"),
        chief=member(agency, Role.LEADER, LeaderRank.PRINCIPAL, username="chief"),
        case=case, recon=ReconsiderationFactory(agency=agency, received_on=dt.date(2025, 3, 1)),
        hearing=HearingFactory(case=case, scheduled_at=_local("2025-09-01T09:00")),
    )


@dataclass
class Row:
    """One broken write: how each entry point tries it, where the refusal lands and what it says."""

    name: str
    field: str
    message: str
    service: Callable[[World], Any]
    api: Callable[[World, APIClient], Any]
    form: Callable[[World, Any], Any]
    saved: Callable[[World], Any]
    api_field: str = ""
    form_field: str = ""
    form_message: str = ""
    by_admin: bool = False  # staff of the agency cannot even name the value through the API
    # The admin's add/change form (its saves call the same service), where the admin offers the write.
    admin: Callable[[World, Any], Any] | None = None
    # The ledger importer (台账导入): the row's cells as a legal officer types them, where a ledger holds the fact.
    importer: Callable[[World], dict[str, Any]] | None = None


def _create_case(**changes: Any) -> tuple[Callable, Callable, Callable]:
    fields = {**NEW_CASE, **changes}

    def service(w: World) -> Any:
        handlers = fields.get("handlers")
        data = {k: v for k, v in fields.items() if k != "handlers"}
        return case_services.case_create(agency=w.agency, by=w.admin if handlers else w.staff,
                                         handlers=handlers(w) if handlers else (), **data)

    def api(w: World, client: APIClient) -> Any:
        body = _api_case({k: v for k, v in fields.items() if k != "handlers"})
        if fields.get("handlers"):
            body["handlers"] = [u.pk for u in fields["handlers"](w)]
        return client.post("/api/cases/", body, format="json")

    def form(w: World, client: Any) -> Any:
        body = _form_case({k: v for k, v in fields.items() if k != "handlers"})
        if fields.get("handlers"):
            body["handlers"] = [u.pk for u in fields["handlers"](w)]
            body["agency"] = w.agency.pk
        return client.post(reverse("case-create"), body)

    return service, api, form


def _admin_add_case(**changes: Any) -> Callable[[World, Any], Any]:
    """The case through the admin's add form (no inline rows)."""
    fields = {**NEW_CASE, **changes}

    def admin_form(w: World, client: Any) -> Any:
        values = {k: (v(w) if callable(v) else v) for k, v in fields.items() if k != "handlers"}
        body = _form_case(values) | {"agency": w.agency.pk}
        if fields.get("handlers"):
            body["handlers"] = [u.pk for u in fields["handlers"](w)]
        for inline in ("hearings", "deadlines", "documents"):
            body |= {f"{inline}-TOTAL_FORMS": "0", f"{inline}-INITIAL_FORMS": "0"}
        return client.post(reverse("admin:cases_case_add"), body)

    return admin_form


def _new_cases(w: World) -> int:
    return Case.objects.filter(number=NEW_CASE["number"]).count()


def _hearing_rows() -> list[Row]:
    def schedule(case_of: Callable[[World], Case], kind: str, at: str) -> tuple[Callable, Callable, Callable]:
        return (
            lambda w: hearing_services.hearing_schedule(case=case_of(w), scheduled_at=_local(at), by=w.staff, kind=kind),
            lambda w, c: c.post("/api/hearings/", {"case": case_of(w).pk, "kind": kind, "scheduled_at": at}, format="json"),
            lambda w, c: c.post(reverse("hearing-create", args=[case_of(w).pk]), {"kind": kind, "scheduled_at": at}),
        )

    def new_hearings(w: World) -> int:
        return Hearing.objects.exclude(pk=w.hearing.pk).count()

    def record(prepare: Callable[[World], None], **extra: Any) -> tuple[Callable, Callable, Callable]:
        def service(w: World) -> Any:
            prepare(w)
            staff = [u for u in extra.get("staff", lambda w: [])(w)]
            return hearing_services.hearing_record(
                hearing=Hearing.objects.get(pk=w.hearing.pk), by=w.staff, responsible_person=w.chief,
                staff=staff,
            )

        def api(w: World, client: APIClient) -> Any:
            prepare(w)
            body = {"responsible_person": w.chief.pk,
                    "staff": [u.pk for u in extra.get("staff", lambda w: [])(w)]}
            return client.post(f"/api/hearings/{w.hearing.pk}/record/", body, format="json")

        def form(w: World, client: Any) -> Any:
            prepare(w)
            body = {"responsible_person": w.chief.pk, "version": Hearing.objects.get(pk=w.hearing.pk).version,
                    "staff": [u.pk for u in extra.get("staff", lambda w: [])(w)]}
            return client.post(reverse("hearing-record-page", args=[w.hearing.pk]), body)

        return service, api, form

    def postponed(w: World) -> None:
        Hearing.objects.filter(pk=w.hearing.pk).update(status=HearingStatus.POSTPONED)

    def in_future(w: World) -> None:
        Hearing.objects.filter(pk=w.hearing.pk).update(scheduled_at=_local("2025-09-20T09:00"))

    def held(w: World) -> bool:
        return Hearing.objects.filter(pk=w.hearing.pk, status=HearingStatus.HELD).exists()

    return [
        Row("a court hearing on a reconsideration", "kind", "不适用于行政复议案件",
            *schedule(lambda w: w.recon, HearingKind.COURT, "2025-09-20T09:00"), saved=new_hearings,
            form_message=CHOICE),
        Row("a hearing before the case was received", "scheduled_at", "不能早于收到案件的日期",
            *schedule(lambda w: w.case, HearingKind.COURT, "2025-02-20T09:00"), saved=new_hearings),
        Row("a hearing after the sane window", "scheduled_at", "必须在 1990 年至 2035 年之间",
            *schedule(lambda w: w.case, HearingKind.COURT, "2036-01-05T09:00"), saved=new_hearings),
        Row("a hearing before the sane window", "scheduled_at", "必须在 1990 年至 2035 年之间",
            *schedule(lambda w: w.case, HearingKind.COURT, "1989-12-05T09:00"), saved=new_hearings),
        Row("recording a postponed hearing as held", "status", "请先改期", *record(postponed), saved=held,
            form_field="__all__"),
        Row("recording a hearing in the future as held", "scheduled_at", "尚未到来", *record(in_future), saved=held,
            form_field="__all__"),
        Row("attending staff of another agency", "staff", "出庭工作人员必须是本机关的工作人员",
            *record(lambda w: None, staff=lambda w: [w.stranger]), saved=held, form_message=CHOICE, by_admin=True),
    ]


def _case_rows() -> list[Row]:
    def second(w: World) -> Case:
        return CaseFactory(agency=w.agency, litigation_instance=Instance.SECOND, number="(2025)桂04行终3号",
                           received_on=dt.date(2025, 5, 1))

    def cells(**changes: str) -> Callable[[World], dict[str, Any]]:
        return lambda w: lawsuit(NEW_CASE["number"], **{"收到日期": "2025-09-01", **changes})

    rows = [
        Row("a case received in the future", "received_on", "不能晚于今天", *_create_case(received_on=dt.date(2025, 9, 16)),
            saved=_new_cases, admin=_admin_add_case(received_on=dt.date(2025, 9, 16)),
            importer=cells(收到日期="2025-09-16")),
        Row("a case received before the sane window", "received_on", "必须在 1990 年至",
            *_create_case(received_on=dt.date(1989, 12, 31)), saved=_new_cases,
            admin=_admin_add_case(received_on=dt.date(1989, 12, 31)), importer=cells(收到日期="1989-12-31")),
        Row("an act dated after the case was received", "act_date", "行政行为作出日期不能晚于",
            *_create_case(act_date=dt.date(2025, 9, 2)), saved=_new_cases,
            admin=_admin_add_case(act_date=dt.date(2025, 9, 2)), importer=cells(行为日期="2025-09-02")),
        Row("an act dated in the future", "act_date", "不能晚于",
            *_create_case(act_date=dt.date(2025, 10, 2), received_on=dt.date(2025, 9, 1)), saved=_new_cases,
            admin=_admin_add_case(act_date=dt.date(2025, 10, 2)), importer=cells(行为日期="2025-10-02")),
        Row("a lawsuit without an instance", "litigation_instance", "行政诉讼案件必须填写审级",
            *_create_case(litigation_instance=""), saved=_new_cases, api_field="instance",
            admin=_admin_add_case(litigation_instance=""), importer=cells(审级="")),
        Row("a handler of another agency", "handlers", "承办人必须是该机关的工作人员",
            *_create_case(handlers=lambda w: [w.stranger]), saved=_new_cases, by_admin=True,
            admin=_admin_add_case(handlers=lambda w: [w.stranger])),
    ]

    # A first instance cannot follow a second instance that was not remanded.
    def backward_service(w: World) -> Any:
        return case_services.case_create(agency=w.agency, by=w.staff, **{**NEW_CASE, "previous": second(w)})

    def backward_api(w: World, c: APIClient) -> Any:
        return c.post("/api/cases/", _api_case({**NEW_CASE, "previous": second(w)}), format="json")

    def backward_form(w: World, c: Any) -> Any:
        return c.post(reverse("case-create"), _form_case({**NEW_CASE, "previous": second(w)}))

    def backward_cells(w: World) -> dict[str, Any]:
        return lawsuit(NEW_CASE["number"], 收到日期="2025-09-01", 前序案号=second(w).number)

    rows.append(Row("a chain link that runs backward", "previous", "不能接在“行政诉讼二审”之后",
                    backward_service, backward_api, backward_form, saved=_new_cases,
                    admin=_admin_add_case(previous=second), importer=backward_cells))

    def linked(w: World) -> Any:
        return Case.objects.get(pk=w.case.pk).previous_id

    def edit_form(w: World, previous: Case) -> dict[str, Any]:
        fields = {name: getattr(w.case, name) for name in NEW_CASE} | {"previous": previous, "version": w.case.version}
        return _form_case(fields)

    rows.append(Row(
        "a case linked to itself", "previous", "不能把案件链接到它自己",
        lambda w: case_services.case_update(case=w.case, by=w.staff, data={"previous": w.case}),
        lambda w, c: c.patch(f"/api/cases/{w.case.pk}/", {"previous": w.case.pk}, format="json"),
        lambda w, c: c.post(reverse("case-edit", args=[w.case.pk]), edit_form(w, w.case)),
        saved=linked, form_message=CHOICE,
    ))

    def loop(w: World) -> Case:
        return CaseFactory(agency=w.agency, litigation_instance=Instance.SECOND, previous=w.case,
                           number="(2025)桂04行终9号", received_on=dt.date(2025, 6, 1))

    rows.append(Row(
        "a chain that loops", "previous", "案件链接不能形成循环",
        lambda w: case_services.case_update(case=w.case, by=w.staff, data={"previous": loop(w)}),
        lambda w, c: c.patch(f"/api/cases/{w.case.pk}/", {"previous": loop(w).pk}, format="json"),
        lambda w, c: c.post(reverse("case-edit", args=[w.case.pk]), edit_form(w, loop(w))),
        saved=linked,
    ))
    return rows


def _conclude_rows() -> list[Row]:
    def concluded(w: World) -> bool:
        return Case.objects.filter(pk=w.case.pk, status=Status.CONCLUDED).exists()

    body = {"outcome": "upheld", "concluded_on": "2025-09-10"}
    return [Row(
        "a first-instance judgment upheld after 2015-05-01", "outcome", "请选择“判决驳回诉讼请求”",
        lambda w: case_services.case_conclude(case=w.case, by=w.staff, outcome="upheld",
                                              concluded_on=dt.date(2025, 9, 10)),
        lambda w, c: c.post(f"/api/cases/{w.case.pk}/conclude/", body, format="json"),
        lambda w, c: c.post(reverse("case-conclude-page", args=[w.case.pk]), {**body, "version": w.case.version}),
        saved=concluded,
    )]


def _suspension_rows() -> list[Row]:
    def suspended(w: World) -> bool:
        return Suspension.objects.filter(case=w.case).exists() or Case.objects.get(pk=w.case.pk).status != Status.PENDING

    body = {"reason": "等待相关案件审理结果", "suspended_on": "2025-02-01"}
    return [Row(
        "a suspension before the case was received", "suspended_on", "不能早于收到日期",
        lambda w: case_services.case_suspend(case=w.case, by=w.staff, reason=body["reason"],
                                             suspended_on=dt.date(2025, 2, 1)),
        lambda w, c: c.post(f"/api/cases/{w.case.pk}/suspend/", body, format="json"),
        lambda w, c: c.post(reverse("case-suspend-page", args=[w.case.pk]), {**body, "version": w.case.version}),
        saved=suspended,
    )]


def _deadline_rows() -> list[Row]:
    def added(w: World) -> bool:
        return Deadline.objects.filter(case=w.case, rule="manual").exists()

    body = {"title": "提交补充证据", "due_on": "2099-01-05"}
    return [Row(
        "a deadline after the sane window", "due_on", "必须在 1990 年至 2035 年之间",
        lambda w: deadline_services.deadline_add_manual(case=w.case, by=w.staff, title=body["title"],
                                                        due_on=dt.date(2099, 1, 5)),
        lambda w, c: c.post("/api/deadlines/", {**body, "case": w.case.pk}, format="json"),
        lambda w, c: c.post(reverse("deadline-create", args=[w.case.pk]),
                            {"deadline-title": body["title"], "deadline-due_on": body["due_on"],
                             "deadline-is_bureau_duty": "on"}),
        saved=added,
    )]


ROWS = _case_rows() + _conclude_rows() + _suspension_rows() + _hearing_rows() + _deadline_rows()
IDS = [row.name for row in ROWS]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _actor(w: World, row: Row) -> Any:
    return w.admin if row.by_admin else w.staff


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_the_service_refuses_it_with_its_message_and_saves_nothing(world, row):
    before = row.saved(world)
    with pytest.raises(ValidationError) as refused:
        row.service(world)
    assert any(row.message in m for m in refused.value.message_dict.get(row.field, [])), refused.value.message_dict
    assert row.saved(world) == before


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_the_api_refuses_it_with_the_same_message_and_saves_nothing(world, row):
    client = APIClient()
    client.force_authenticate(_actor(world, row))
    before = row.saved(world)
    response = row.api(world, client)
    assert response.status_code == 400, response.content.decode()
    errors = response.json()["errors"].get(row.api_field or row.field, [])
    assert any(row.message in m for m in errors), response.json()
    assert row.saved(world) == before


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_the_form_refuses_it_with_the_same_message_and_saves_nothing(world, row, client):
    client.force_login(_actor(world, row))
    before = row.saved(world)
    response = row.form(world, client)
    assert response.status_code == 200, "the form page comes back with its errors (no redirect)"
    errors = response.context["form"].errors.get(row.form_field or row.field, [])
    expected = "有效的选项" if row.form_message == CHOICE else (row.form_message or row.message)
    assert any(expected in m or "valid choice" in m for m in errors), response.context["form"].errors
    assert row.saved(world) == before


ADMIN_ROWS = [row for row in ROWS if row.admin is not None]


@pytest.mark.parametrize("row", ADMIN_ROWS, ids=[row.name for row in ADMIN_ROWS])
def test_the_admin_refuses_it_with_the_same_message_and_saves_nothing(world, row, client):
    from django.contrib.auth.models import Permission

    world.admin.is_staff = True
    world.admin.save(update_fields=["is_staff"])
    world.admin.user_permissions.set(Permission.objects.filter(content_type__app_label="cases"))
    client.force_login(world.admin)
    before = row.saved(world)
    response = row.admin(world, client)
    assert response.status_code == 200, "the admin form comes back with its errors (no redirect)"
    errors = response.context["adminform"].form.errors.get(row.field, [])
    assert any(row.message in m for m in errors), response.context["adminform"].form.errors
    assert row.saved(world) == before


def test_a_service_call_without_an_actor_is_refused_not_waved_through(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        case_services.case_create(agency=world.agency, by=None, **NEW_CASE)
    assert _new_cases(world) == 0


def test_the_system_actor_may_write_and_leaves_no_history_user(world):
    from cases.services.common import SYSTEM

    case = case_services.case_create(agency=world.agency, by=SYSTEM, **NEW_CASE)
    assert case.history.first().history_user is None
    assert list(case.handlers.all()) == []


IMPORTER_ROWS = [row for row in ROWS if row.importer is not None]


@pytest.mark.parametrize("row", IMPORTER_ROWS, ids=[row.name for row in IMPORTER_ROWS])
def test_the_ledger_import_refuses_it_with_the_same_message_and_saves_nothing(world, row):
    import io

    from cases.services.ledger_import import ledger_import

    cells = row.importer(world)
    before = row.saved(world)
    result = ledger_import(agency=world.agency, by=world.staff, file=io.BytesIO(book([cells])), filename="台账.xlsx")
    assert any(row.message in str(error) for error in result.errors), [str(e) for e in result.errors]
    assert (result.created, result.updated) == (0, 0)
    assert row.saved(world) == before
