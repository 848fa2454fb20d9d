"""What the case page shows: the record's change history and one timeline of events.

The history merges the case's own history records (who changed what and why) with
the records of its files (a document uploaded or archived) and of its hearings (the
attendance recorded). The timeline puts those together with the hearings and the
deadlines by date. Everything is read with a fixed number of queries; only the merge
and the diffs run in Python.

A history note is written in the language of whoever made the change (Chinese, the
msgid, for nearly everyone); it is shown through cases.stored_text, so "登记案件" or
"结案:维持" read "Case logged" / "Concluded: Upheld" in English. Free text typed as a
reason stays as typed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import DeadlineStatus, HearingKind, HearingStatus
from cases.models import Case, Document, Hearing
from cases.stored_text import stored_text
from cases.web.templatetags.casetracker_web import deadline_title, person

# Bookkeeping columns that change on every save and say nothing to a reader.
_NOISE = ["version", "updated_at", "created_at", "handlers"]


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: dt.datetime
    who: str
    what: str
    reason: str
    changes: list[Change] = field(default_factory=list)
    kind: str = "change"  # change | document | hearing: how the timeline draws it


@dataclass
class Event:
    when: dt.datetime
    all_day: bool
    kind: str  # change | hearing | deadline
    title: str
    detail: str = ""
    css: str = ""


def _display(model_field: Any, value: Any) -> str:
    if value in (None, ""):
        return "—"
    choices = dict(model_field.flatchoices) if getattr(model_field, "choices", None) else {}
    if value in choices:
        return str(choices[value])
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return str(value)


def case_history(case: Case, limit: int = 100) -> list[HistoryEntry]:
    """Newest first: each history record with the fields it changed against the one before."""
    records = list(case.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries = []
    for index, record in enumerate(records[:limit]):
        older = records[index + 1] if index + 1 < len(records) else None
        changes: list[Change] = []
        if older is not None and record.history_type == "~":
            delta = record.diff_against(older, excluded_fields=_NOISE)
            for change in delta.changes:
                model_field = Case._meta.get_field(change.field)
                changes.append(Change(str(model_field.verbose_name), _display(model_field, change.old),
                                      _display(model_field, change.new)))
        entry = HistoryEntry(
            when=record.history_date, who=person(record.history_user) or _("系统"),
            what={"+": _("创建"), "~": _("修改"), "-": _("删除")}.get(record.history_type, ""),
            reason=stored_text(record.history_change_reason or ""), changes=changes,
        )
        if not (older is not None and record.history_type == "~" and _echo(entry, record, older)):
            entries.append(entry)
    entries = sorted(entries + file_and_attendance_entries(case), key=lambda e: e.when, reverse=True)
    return entries[:limit]


def _first_records(history: Any) -> list[Any]:
    """The earliest history record of each row (the moment a document was archived, a hearing recorded)."""
    first: dict[int, Any] = {}
    for record in history.select_related("history_user").order_by("history_date", "history_id"):
        first.setdefault(record.id, record)
    return list(first.values())


def _attendance(record: Any) -> str:
    if record.responsible_person_id:
        return _("负责人出庭")
    return _("我局出庭") if record.bureau_appeared else _("我局无人出庭")


def file_and_attendance_entries(case: Case) -> list[HistoryEntry]:
    """Documents uploaded and archived and hearings recorded as held, as history entries (four queries)."""
    entries = [
        HistoryEntry(doc.uploaded_at, person(doc.uploaded_by) or _("系统"), _("文书已上传"), doc.title, kind="document")
        for doc in Document.objects.filter(case=case).select_related("uploaded_by")
    ]
    for record in _first_records(Document.history.filter(case_id=case.pk, archived_at__isnull=False)):
        entries.append(HistoryEntry(record.archived_at, person(record.history_user) or _("系统"), _("文书已归档"),
                                    record.title, kind="document"))
    for record in _first_records(Hearing.history.filter(case_id=case.pk, status=HearingStatus.HELD)):
        day = timezone.localtime(record.scheduled_at).date().isoformat()
        reason = f"{HearingKind(record.kind).label} {day} · {_attendance(record)}"
        entries.append(HistoryEntry(record.history_date, person(record.history_user) or _("系统"), _("出庭情况已记录"),
                                    reason, kind="hearing"))
    return entries


# One service call can write two history records: the save, then the handlers (a many-to-many
# set writes its own record with the same reason). Shown twice, "登记案件" reads as two events.
_ECHO_WINDOW = dt.timedelta(seconds=5)


def _echo(entry: HistoryEntry, record: Any, older: Any) -> bool:
    """A record that repeats the one before it: same user and reason, moments later, no visible change."""
    return (
        not entry.changes
        and record.history_user_id == older.history_user_id
        and (record.history_change_reason or "") == (older.history_change_reason or "")
        and record.history_date - older.history_date < _ECHO_WINDOW
    )


def _event_title(entry: HistoryEntry) -> str:
    if entry.kind == "change":
        return entry.reason or entry.what
    return _("%(what)s:%(detail)s") % {"what": entry.what, "detail": entry.reason}


def _at_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def case_timeline(history: list[HistoryEntry], hearings: list[Any], deadlines: list[Any]) -> list[Event]:
    """Oldest first: changes, hearings and deadlines of the case on one line."""
    events = [
        Event(entry.when, False, entry.kind, _event_title(entry), entry.who) for entry in history
    ]
    for hearing in hearings:
        css = "muted" if hearing.status in (HearingStatus.CANCELLED, HearingStatus.POSTPONED) else ""
        detail = " · ".join(x for x in (hearing.place, hearing.get_status_display()) if x)
        events.append(Event(hearing.scheduled_at, False, "hearing", hearing.get_kind_display(), detail, css))
    for deadline in deadlines:
        title = deadline_title(deadline.rule, deadline.title)
        css = "muted" if deadline.status != DeadlineStatus.OPEN else ""
        events.append(Event(_at_start(deadline.due_on), True, "deadline", _("期限届满:%(t)s") % {"t": title},
                            deadline.get_status_display(), css))
    return sorted(events, key=lambda e: (e.when, e.kind))
