"""The "evidence list still empty" warning: one more kind of reminder for the sweep to deliver.

When a defence / reply deadline is REMINDER_EVIDENCE_EMPTY_WORKING_DAYS working days
away (or closer) and the case's evidence list has no item, the handlers (or, with no
handler, the responsible persons) are warned. The key ``evidence_empty@<due day>`` and
the outbox's unique (deadline, reminder, recipient, channel) make it go out once per
due day; cases/services/reminders.py asks this module for the warnings due at a sweep
and reads them, like its own, as value rows (one query here).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from cases.choices import Kind
from cases.models import Deadline, EvidenceItem
from cases.services.evidence import DEFENCE_RULES
from casetracker.calendar import WorkdayCalendar

if TYPE_CHECKING:
    from cases.services.reminders import Due, _Lookup

EVIDENCE_EMPTY = "evidence_empty"


def empty_list_deadlines(today: dt.date, calendar: WorkdayCalendar) -> list[tuple[dict[str, Any], str]]:
    """Open defence / reply deadlines close enough to warn about, of cases with an empty evidence list."""
    from cases.services.reminders import _SUBJECT

    horizon, _provisional = calendar.nth_working_day_after(today, settings.REMINDER_EVIDENCE_EMPTY_WORKING_DAYS)
    rows = (
        Deadline.objects.open()
        .filter(rule__in=DEFENCE_RULES, due_on__gte=today, due_on__lte=horizon, case__archived_at__isnull=True)
        .filter(~Exists(EvidenceItem.objects.filter(case=OuterRef("case"))))
        .order_by("id")
        .values(*_SUBJECT, "due_on", "title", "rule", "rule_version", "case__kind")
    )
    return [(row, f"{EVIDENCE_EMPTY}@{row['due_on'].isoformat()}") for row in rows]


def _words(row: dict[str, Any], today: dt.date, calendar: WorkdayCalendar) -> tuple[str, str]:
    display = Deadline.title_of(row["title"], row["rule"])
    title = _("【证据目录尚为空】%(number)s %(title)s") % {"number": row["case__number"], "title": display}
    law = (
        _("被申请人逾期未提交证据的,视为该行政行为没有证据(行政复议法第七十条)。")
        if row["case__kind"] == Kind.RECONSIDERATION
        else _("被告逾期提供证据的,视为没有相应证据(行政诉讼法第三十四条)。")
    )
    body = _("案件:%(number)s(%(applicant)s)\n%(title)s届满日 %(due)s,还有 %(wd)d 个工作日,证据目录中还没有证据。\n%(law)s") % {
        "number": row["case__number"], "applicant": row["case__applicant"], "title": display,
        "due": row["due_on"].isoformat(), "wd": calendar.working_days_between(today, row["due_on"]), "law": law,
    }  # fmt: skip
    return title, body


def empty_list_dues(
    row: dict[str, Any], key: str, today: dt.date, calendar: WorkdayCalendar, look: _Lookup
) -> Iterator[Due]:
    from cases.services.reminders import Due, Place

    agency = Place(row["case__agency_id"], row["case__agency__webhook_url"] or "")
    recipients = look.persons(look.handlers[row["case_id"]]) or look.persons(look.leaders[agency.pk])
    title, body = _words(row, today, calendar)
    for user in recipients:
        yield Due(key, user, agency, title, body, look.url(row["case_id"]), deadline_id=row["id"])
