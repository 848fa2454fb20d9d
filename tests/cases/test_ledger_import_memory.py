"""The ledger import's memory does not grow with the file's rows (issue 15: "in constant memory")."""

from __future__ import annotations

import datetime as dt
import gc
import io
import tracemalloc

import pytest
import time_machine

from cases.models import Case, Hearing
from cases.services import ledger_hearings, ledger_import
from cases.users import SYSTEM
from tests.factories import AgencyFactory, member
from tests.ledger_books import book, lawsuit, reconsideration

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # ~10 s: two traced imports

CHUNK = 100  # rows held at once: small, so that what grows with the file is not hidden by a chunk
BOUND = 150 * 1024  # the old indexes grew ~0.5 KiB a row: ~600 KiB between the two files here


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2025-06-02 10:00 +0800", tick=False):
        yield


def ledger(n: int) -> bytes:
    """N cases, half of them a lawsuit appealed in the row before it, and 0.6 N held hearings."""
    cases, hearings = [], []
    for i in range(n):
        received = dt.date(2016, 1, 4) + dt.timedelta(days=(i * 37) % 3000)
        number = f"({received.year})桂0403行初{i + 1}号"
        if i % 2:
            cases.append(reconsideration(f"梧政复〔{received.year}〕{i + 1}号", 收到日期=received, 承办人="李明",
                                         结果="维持", 结案日期=received + dt.timedelta(days=50)))
            continue
        cases.append(lawsuit(number, 收到日期=received, 承办人="李明"))
        if i % 4 == 0:
            appeal = f"({received.year})桂04行终{i + 1}号"
            cases.insert(-1, lawsuit(appeal, 审级="二审", 审理机关="梧州市中级人民法院", 前序案号=number,
                                     收到日期=received + dt.timedelta(days=120), 承办人="李明"))
        for days in (20, 25):
            if len(hearings) < n * 0.6:
                when = dt.datetime.combine(received + dt.timedelta(days=days), dt.time(9, 30))
                hearings.append({"案号": number, "开庭时间": when, "状态": "已开庭", "我局出庭人员": "李明",
                                 "负责人未出庭原因": "需要履行他人不能代替的公务"})
    return book(cases, hearings)


def peak_of_import(content: bytes) -> int:
    """The peak traced Python memory of importing the workbook into a new agency."""
    agency = AgencyFactory()
    member(agency, last_name="李", first_name="明")
    gc.collect()
    tracemalloc.start()
    try:
        result = ledger_import.ledger_import(agency=agency, by=SYSTEM, file=io.BytesIO(content), filename="t.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.errors == []
    return peak


def test_the_peak_memory_of_an_import_is_the_same_for_four_times_the_rows(monkeypatch):
    monkeypatch.setattr(ledger_hearings, "CHUNK", CHUNK)
    monkeypatch.setattr(ledger_import, "CHUNK", CHUNK)
    small, large = ledger(400), ledger(1600)
    peak_of_import(ledger(20))  # warm-up: translations, compiled constraints, the calendar

    small_peak = peak_of_import(small)
    large_peak = peak_of_import(large)

    assert Case.objects.count() == (20 + 400 + 1600) * 5 // 4  # every 4th row appealed
    assert Hearing.objects.count() == (20 + 400 + 1600) * 6 // 10
    assert large_peak - small_peak < BOUND, f"{small_peak / 1024:.0f} KiB -> {large_peak / 1024:.0f} KiB"
