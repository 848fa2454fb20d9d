"""The "evidence list still empty" warning: 3 working days before the defence deadline, once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from cases.models import Notification, ReminderDelivery
from cases.models.reminders import ReminderChannel
from cases.services.evidence import evidence_add
from cases.services.reminders import reminders_sweep
from tests.defence.conftest import at

pytestmark = pytest.mark.django_db

# The defence is due Tuesday 16 March 2021; three working days before is Thursday 11 March.


def _sweep(day: dt.date) -> None:
    with time_machine.travel(at(day), tick=False):
        reminders_sweep()


def _warnings(user) -> list[str]:
    rows = ReminderDelivery.objects.filter(recipient=user, channel=ReminderChannel.IN_APP,
                                           reminder__startswith="evidence_empty")
    return list(rows.values_list("reminder", flat=True))


def test_it_warns_the_handler_once_when_the_deadline_is_three_working_days_away(lawsuit, staff):
    for day in (dt.date(2021, 3, 10), dt.date(2021, 3, 11), dt.date(2021, 3, 12), dt.date(2021, 3, 15)):
        _sweep(day)

    assert _warnings(staff) == ["evidence_empty@2021-03-16"]
    delivery = ReminderDelivery.objects.get(recipient=staff, channel=ReminderChannel.IN_APP,
                                            reminder="evidence_empty@2021-03-16")
    assert "证据目录" in delivery.title and "行政诉讼法第三十四条" in delivery.body
    assert Notification.objects.filter(recipient=staff, title=delivery.title).count() == 1


def test_it_does_not_warn_before_the_three_working_days(lawsuit, staff):
    _sweep(dt.date(2021, 3, 10))

    assert _warnings(staff) == []


def test_it_does_not_warn_when_the_list_has_an_item(lawsuit, staff):
    with time_machine.travel(at(dt.date(2021, 3, 5)), tick=False):
        evidence_add(case=lawsuit, by=staff, name="调查笔录")

    _sweep(dt.date(2021, 3, 11))

    assert _warnings(staff) == []


def test_it_warns_the_responsible_persons_when_nobody_handles_the_case(lawsuit, leader):
    lawsuit.handlers.clear()

    _sweep(dt.date(2021, 3, 12))

    assert _warnings(leader) == ["evidence_empty@2021-03-16"]
