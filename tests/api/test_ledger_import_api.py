"""POST /api/imports/ and GET /api/cases/export.xlsx: the same counts and errors as the command."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from cases.models import Case
from tests.factories import CaseFactory, ReconsiderationFactory
from tests.ledger_books import book, lawsuit, reconsideration

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2025-06-02 10:00 +0800", tick=False):
        yield


def post(client, content: bytes, query: str = "", **data):
    file = SimpleUploadedFile("台账.xlsx", content)
    return client.post(reverse("api:ledger-import") + query, {"file": file, **data}, format="multipart")


def test_a_dry_run_answers_the_counts_and_saves_nothing(client_for, staff):
    response = post(client_for(staff), book([lawsuit(), reconsideration()]), "?dry_run=true")

    assert response.status_code == 200
    assert {k: response.json()[k] for k in ("created", "updated", "unchanged", "errors")} == {
        "created": 2, "updated": 0, "unchanged": 0, "errors": [],
    }
    assert Case.objects.count() == 0


def test_an_import_saves_the_rows(client_for, staff):
    response = post(client_for(staff), book([lawsuit()]))

    assert (response.status_code, response.json()["created"], Case.objects.count()) == (200, 1, 1)


def test_errors_answer_400_with_every_row_and_column_and_save_nothing(client_for, staff):
    response = post(client_for(staff), book([lawsuit(结果="大获全胜", 结案日期="2021-08-01"), lawsuit(None)]))

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(2, "结果"), (3, "案号")]
    assert errors[0]["text"].startswith("第2行 [结果] ")
    assert Case.objects.count() == 0


def test_a_leader_gets_403(client_for, leader):
    assert post(client_for(leader), book([lawsuit()])).status_code == 403


def test_staff_cannot_import_into_another_agency(client_for, staff, other_agency):
    assert post(client_for(staff), book([lawsuit()]), agency="hezhou-hrss").status_code == 404
    assert Case.objects.count() == 0


def test_a_missing_file_is_a_400(client_for, staff):
    response = client_for(staff).post(reverse("api:ledger-import"), {}, format="multipart")
    assert response.status_code == 400
    assert [(e["row"], e["column"], e["text"]) for e in response.json()["errors"]] == [(0, "file", "请上传台账文件(.xlsx)。")]


def test_the_export_applies_the_lists_filters(client_for, staff, agency, other_agency):
    lawsuit_case = CaseFactory(agency=agency)
    ReconsiderationFactory(agency=agency)
    CaseFactory(agency=other_agency)

    response = client_for(staff).get("/api/cases/export.xlsx", {"kind": "litigation"})

    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content))["案件"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == [lawsuit_case.number]


def test_the_export_leaves_out_characters_a_workbook_cannot_hold(client_for, staff, agency):
    CaseFactory(agency=agency, applicant="张三\x07\x1b")

    response = client_for(staff).get("/api/cases/export.xlsx")

    rows = list(load_workbook(io.BytesIO(response.content))["案件"].iter_rows(min_row=2, values_only=True))
    assert rows[0][5] == "张三"


def test_an_import_with_errors_carries_the_apis_error_shape(client_for, staff):
    body = post(client_for(staff), book([lawsuit(None)])).json()

    assert (body["code"], body["detail"]) == ("ledger_invalid", "台账有 1 处错误,未保存任何数据。")
