"""The "evidence list still empty" warning: one more kind of reminder for the sweep to deliver.

When a defence / reply deadline is REMINDER_EVIDENCE_EMPTY_WORKING_DAYS working days
away (or closer) and the case's evidence list has no item, the handlers (or, with no
handler, the responsible persons) are warned. The key ``evidence_empty@<due day>`` and
the outbox's unique (deadline, reminder, recipient, channel) make it go out once per
due day; cases/services/reminders.py asks this module for the warnings due at a sweep
as due keys (one query of tuples here), and cases/services/reminder_words.py words them.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from cases.choices import Kind
from cases.models import Deadline, EvidenceItem
from cases.services.evidence import DEFENCE_RULES
from casetracker.calendar import WorkdayCalendar

if TYPE_CHECKING:
    from cases.services.reminder_recipients import DueKey

EVIDENCE_EMPTY = "evidence_empty"


def empty_list_keys(today: dt.date, calendar: WorkdayCalendar) -> list[DueKey]:
    """The warnings due: open defence / reply deadlines close enough to warn about, of cases
    with an empty evidence list (one query of tuples; to the handlers, else the responsible persons)."""
    from cases.services.reminder_recipients import HANDLERS, DueKey

    horizon, _provisional = calendar.nth_working_day_after(today, settings.REMINDER_EVIDENCE_EMPTY_WORKING_DAYS)
    rows = (
        Deadline.objects.open()
        .filter(rule__in=DEFENCE_RULES, due_on__gte=today, due_on__lte=horizon, case__archived_at__isnull=True)
        .filter(~Exists(EvidenceItem.objects.filter(case=OuterRef("case"))))
        .order_by("id")
        .values_list("id", "case_id", "case__agency_id", "due_on")
    )
    return [
        DueKey(pk, None, f"{EVIDENCE_EMPTY}@{due_on.isoformat()}", HANDLERS, case_id, agency_id)
        for pk, case_id, agency_id, due_on in rows
    ]


def words(row: dict[str, Any], today: dt.date, calendar: WorkdayCalendar) -> tuple[str, str]:
    """The title and body of the warning (cases/services/reminder_words.py words it at its first send)."""
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
