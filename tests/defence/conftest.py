"""A first-instance lawsuit received on Monday 1 March 2021: its defence is due on 16 March (ALL 67)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cases.services.cases import case_create

TZ = ZoneInfo("Asia/Shanghai")
RECEIVED = dt.date(2021, 3, 1)
DEFENCE_DUE = dt.date(2021, 3, 16)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


@pytest.fixture
def lawsuit(agency, staff):
    with time_machine.travel(at(RECEIVED), tick=False):
        return case_create(
            agency=agency, by=staff, kind="litigation", litigation_instance="first",
            number="(2021)桂0403行初12号", reviewing_body="梧州市万秀区人民法院", applicant="张三",
            subject="work_injury", received_on=RECEIVED, act_description="不予认定工伤决定",
            act_document_number="梧人社工伤〔2020〕88号", third_parties="梧州某某有限公司",
        )


@pytest.fixture
def client_for():
    from rest_framework.test import APIClient

    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def api(client_for, staff):
    return client_for(staff)
