"""Move each case's 行政复议意见书 (its date and opinion_letter_correction deadlines) onto a follow-up record.

One follow-up per case that has the date or any such deadline; every one of those
deadline rows is kept and linked to it (none is deleted). The follow-up takes the
received date, due date and override from the case's latest open deadline (else its
latest one); a met deadline means the letter was answered on the day it was closed.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import migrations
from django.db.models import Q

from casetracker.periods import compute_due

RULE = "opinion_letter_correction"
BEIJING = ZoneInfo("Asia/Shanghai")


def _current(deadlines):
    open_ones = [d for d in deadlines if d.status == "open"]
    return (open_ones or deadlines or [None])[-1]


def _answer(deadline, received, due):
    if deadline is None or deadline.status != "met" or deadline.closed_at is None:
        return None, "open"
    answered = max(deadline.closed_at.astimezone(BEIJING).date(), received)
    return answered, "answered" if answered <= due else "answered_late"


def forward(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Deadline = apps.get_model("cases", "Deadline")
    FollowUp = apps.get_model("cases", "FollowUp")
    with_letter = Case.objects.filter(Q(opinion_letter_received_on__isnull=False) | Q(deadlines__rule=RULE)).distinct()
    for case in with_letter.order_by("id"):
        deadlines = list(Deadline.objects.filter(case=case, rule=RULE).order_by("id"))
        current = _current(deadlines)
        if current is not None:
            received, due, given = current.trigger_on, current.due_on, current.overridden
        else:
            received, given = case.opinion_letter_received_on, False
            due = compute_due(RULE, received).due
        answered, status = _answer(current, received, due)
        follow_up = FollowUp.objects.create(
            agency_id=case.agency_id, case=case, type="opinion_letter", issuing_body=case.reviewing_body,
            received_on=received, due_on=due, due_given=given, provisional=bool(current and current.provisional),
            answered_on=answered, status=status, archived_at=case.archived_at,
            rule_version=current.rule_version if current is not None else compute_due(RULE, received).version.code,
        )
        Deadline.objects.filter(pk__in=[d.pk for d in deadlines]).update(follow_up=follow_up)


def backward(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Deadline = apps.get_model("cases", "Deadline")
    FollowUp = apps.get_model("cases", "FollowUp")
    letters = FollowUp.objects.filter(type="opinion_letter", case__isnull=False).order_by("id")
    for letter in letters:
        Case.objects.filter(pk=letter.case_id).update(opinion_letter_received_on=letter.received_on)
    Deadline.objects.filter(follow_up__in=letters).update(follow_up=None)
    letters.filter(corrective_actions__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_follow_ups")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
