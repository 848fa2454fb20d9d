"""The words of a reminder: rendered when the delivery row is first sent, in bulk for a batch.

The sweep writes only the key of a delivery (subject, reminder, recipient, channel); the title,
body and link are worded here, a batch at a time, by whoever first sends the row, and stored on
the row with a conditional UPDATE (``title = ''``), so:

- the row keeps the message that was sent (the admin, the failure e-mail, the history);
- a retry, a takeover after a crash or a redelivered task sends the same words, never new ones
  (a row already worded is not worded again);
- the words are those of the day the reminder fell due: "today" is the local day of the row's
  ``created_at`` (the sweep's moment), not the day of the send, so a retry on a later day still
  says "届满日为今天" if that is what it said when the reminder fell due.

Reading the words for 1,000 rows is one query (the rows with their deadline or hearing, case and
expected leader as values), each due day and rule is worded once per batch (``memo``), and
storing them is one UPDATE (issue 17: a sweep no longer words every due row on every run).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.choices import HearingKind
from cases.models import Deadline, Hearing
from cases.models.reminders import ReminderDelivery
from cases.people import person_name
from cases.querysets.ids import id_in
from cases.services import evidence_reminders
from cases.services.calendar import workday_calendar
from cases.services.sql_rows import rows_source
from casetracker.calendar import WorkdayCalendar

__all__ = [
    "ESCALATION_LEADER",
    "Words",
    "WORD_COLUMNS",
    "deadline_words",
    "deliveries_word",
    "word_rows",
    "reminder_kind",
    "subject_titles",
    "words_of_rows",
    "words_store",
]

ESCALATION_LEADER = "escalation_leader"


def reminder_kind(key: str) -> str:
    """A reminder key without the date it is about: ``lead_3d@2025-10-09`` -> ``lead_3d``."""
    return key.split("@", 1)[0]


class Words(NamedTuple):
    """What a delivery row says: its title, body and site-relative link."""

    title: str
    body: str
    url: str


class _Leader(NamedTuple):
    """The expected leader's name columns, read as values (``person_name`` needs no more)."""

    username: str
    first_name: str
    last_name: str

    def get_username(self) -> str:
        return self.username


# --- The words of one reminder -------------------------------------------------------------


_MARKER = "987654321"


def _url_template() -> str:
    # The case page, not "case-detail" (the API router's /api/cases/<pk>/): people want the page.
    return reverse("case-detail-page", args=[int(_MARKER)])


def _deadline_when(due: dt.date, escalation: bool, today: dt.date, calendar: WorkdayCalendar) -> tuple[str, str]:
    """The head and the "when" line of a deadline's reminder: they depend only on the due day."""
    if due < today:
        late = calendar.working_days_between(due, today)
        head = _("【督办:期限已逾期】") if escalation else _("【期限已逾期】")
        when = _("届满日 %(due)s,已逾期 %(days)d 天(%(wd)d 个工作日)。") % {
            "due": due.isoformat(), "days": (today - due).days, "wd": late,
        }  # fmt: skip
    elif due == today:
        head, when = _("【期限今日届满】"), _("届满日为今天 %(due)s。") % {"due": due.isoformat()}
    else:
        head = _("【期限提醒】")
        when = _("届满日 %(due)s,还有 %(days)d 天(%(wd)d 个工作日)。") % {
            "due": due.isoformat(), "days": (due - today).days, "wd": calendar.working_days_between(today, due),
        }  # fmt: skip
    return head, when


def _memo(memo: dict[Any, Any], key: Any, make: Any) -> Any:
    if key not in memo:
        memo[key] = make()
    return memo[key]


def deadline_words(
    row: dict[str, Any], reminder: str, today: dt.date, calendar: WorkdayCalendar, memo: dict[Any, Any] | None = None
) -> tuple[str, str]:
    """The title and body of a deadline's reminder.

    ``memo`` is one batch's store of what many rows share (the words for one due day, one
    rule's basis, the translated templates): a batch has a few due days and rules, so each
    is worded once, not once per row (issue 17).
    """
    memo = {} if memo is None else memo
    due = row["due_on"]
    escalation = reminder.startswith("escalation")
    head, when = _memo(memo, (due, escalation, today), lambda: _deadline_when(due, escalation, today, calendar))
    display = Deadline.title_of(row["title"], row["rule"])
    title = f"{head}{row['case__number']} {display}"
    template = _memo(memo, "body", lambda: _("案件:%(number)s(%(applicant)s)\n期限:%(title)s\n%(when)s"))
    body = template % {
        "number": row["case__number"], "applicant": row["case__applicant"], "title": display, "when": when,
    }  # fmt: skip
    rule, version = row["rule"], row["rule_version"]
    basis = _memo(memo, ("basis", rule, version), lambda: Deadline.basis_of(rule, version))
    if basis:
        body += "\n" + _memo(memo, ("basis line", rule, version), lambda: _("依据:%(basis)s") % {"basis": basis})
    return title, body


def _hearing_head(kind: str, escalation: bool) -> str:
    if kind == HearingKind.RECONSIDERATION:
        return _("【负责人参加听证尚未安排】") if escalation else _("【听证提醒】")
    if kind == HearingKind.COURT:
        return _("【负责人出庭尚未安排】") if escalation else _("【开庭提醒】")
    return _("【庭审提醒】")


def _hearing_words(row: dict[str, Any], reminder: str) -> tuple[str, str]:
    at = timezone.localtime(row["scheduled_at"])
    kind = row["kind"]
    escalation = reminder_kind(reminder) == ESCALATION_LEADER
    leader = row["leader"]
    title = f"{_hearing_head(kind, escalation)}{row['case__number']} {at:%Y-%m-%d %H:%M}"
    body = _("案件:%(number)s(%(applicant)s)\n%(kind)s时间:%(at)s\n地点:%(place)s\n拟出庭负责人:%(leader)s") % {
        "number": row["case__number"], "applicant": row["case__applicant"], "kind": HearingKind(kind).label,
        "at": f"{at:%Y-%m-%d %H:%M}", "place": row["place"] or "-",
        "leader": person_name(leader) if leader else _("尚未安排"),
    }  # fmt: skip
    if escalation and kind == HearingKind.RECONSIDERATION:
        body += "\n" + _("行政复议听证应由被申请人负责人参加(行政复议法第51条),请尽快安排参加听证的负责人。")
    elif escalation:
        body += "\n" + _("法院应在开庭3日前通知负责人出庭(出庭应诉规定第5条),请尽快安排出庭负责人。")
    return title, body


class _Worder:
    """Words reminders: the link and the words many rows share (a due day's, a rule's basis),
    worded once and kept across the batches of a process while its calendar and language stay."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.calendar: WorkdayCalendar | None = None
        self.checked = False
        self.memo: dict[Any, Any] = {}
        self.url = _url_template()

    def batch(self) -> _Worder:
        """Ready for the next batch: the calendar is looked at again (once) before it is used."""
        self.checked = False
        if len(self.memo) > _MEMO_LIMIT:
            self.memo.clear()
        return self

    def _calendar(self) -> WorkdayCalendar:
        if not self.checked:
            calendar = workday_calendar()  # cached: a fingerprint query
            if calendar is not self.calendar:
                self.calendar, self.memo = calendar, {}  # a holiday was edited: word again
            self.checked = True
        assert self.calendar is not None
        return self.calendar

    def words(self, subject: dict[str, Any], reminder: str, today: dt.date) -> Words:
        url = self.url.replace(_MARKER, str(subject["case_id"]))
        if "scheduled_at" in subject:
            title, body = _hearing_words(subject, reminder)
            return Words(title, body, url)
        calendar = self._calendar()
        if reminder_kind(reminder) == evidence_reminders.EVIDENCE_EMPTY:
            title, body = evidence_reminders.words(subject, today, calendar)
        else:
            title, body = deadline_words(subject, reminder, today, calendar, self.memo)
        return Words(title, body, url)


# A sweep of 70,000 overdue deadlines has a few thousand due days; this bounds a long-lived worker.
_MEMO_LIMIT = 50_000
_worders: dict[str, _Worder] = {}


def _worder() -> _Worder:
    """This process's worder for the active language (call inside ``translation.override``)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    if language not in _worders:
        _worders[language] = _Worder(language)
    return _worders[language].batch()


# --- Reading the subjects as values --------------------------------------------------------

_DEADLINE = ("case_id", "case__number", "case__applicant", "case__kind", "due_on", "title", "rule", "rule_version")
_HEARING = ("case_id", "case__number", "case__applicant", "kind", "scheduled_at", "place")
_LEADER = ("expected_leader__username", "expected_leader__first_name", "expected_leader__last_name")

# The columns of a delivery row its words are made from (one query with LEFT JOINs; the send's
# lock of a batch reads them in the same statement, ``words_of_rows``).
WORD_COLUMNS = (
    "id", "reminder", "created_at", "title", "deadline_id", "hearing_id",
    *(f"deadline__{c}" for c in _DEADLINE), *(f"hearing__{c}" for c in (*_HEARING, *_LEADER)),
)  # fmt: skip


def _hearing_subject(values: dict[str, Any]) -> dict[str, Any]:
    names = [values.pop(c) for c in _LEADER]
    values["leader"] = _Leader(*names) if names[0] is not None else None
    return values


def _subject(row: dict[str, Any]) -> dict[str, Any]:
    if row["deadline_id"] is not None:
        return {c: row[f"deadline__{c}"] for c in _DEADLINE}
    return _hearing_subject({c: row[f"hearing__{c}"] for c in (*_HEARING, *_LEADER)})


def word_rows(qs: QuerySet[ReminderDelivery]) -> Iterable[dict[str, Any]]:
    """``qs`` as the values its words need (the row, its subject, case and expected leader)."""
    rows: Iterable[dict[str, Any]] = qs.values(*WORD_COLUMNS)
    return rows


def words_of_rows(rows: Iterable[dict[str, Any]]) -> dict[int, Words]:
    """The words of the rows (values of ``WORD_COLUMNS``) not yet worded, by row id."""
    found: dict[int, Words] = {}
    with translation.override(settings.LANGUAGE_CODE):
        worder = _worder()
        for row in rows:
            if row["title"] or (row["deadline_id"] is None and row["hearing_id"] is None):
                continue  # worded already (a retry sends the same words), or a digest (worded by the sweep)
            today = timezone.localdate(row["created_at"])
            found[row["id"]] = worder.words(_subject(row), row["reminder"], today)
    return found


def words_store(
    words: dict[int, Words], *, held: Sequence[int] = (), also: dict[str, Any] | None = None, attempt: bool = False
) -> int:
    """Write the words onto their rows with one UPDATE; how many rows it changed.

    Alone, it words only rows that have none (a row worded meanwhile keeps its words). With
    ``held`` and ``also`` (the in-app send's mark: status, sent_at, the claim's columns;
    ``attempt`` counts one more try), the same UPDATE sets ``also`` on every held row and the
    words on those that have none: the words and the mark are one write of each row, not two
    (every write of an outbox row updates its 13 indexes; issue 17).
    """
    rows: list[tuple[int, str | None, str | None, str | None]] = []
    for pk in held or list(words):
        w = words.get(pk)  # None: a held row that has its words already keeps them (COALESCE below)
        rows.append((pk, w.title[:300], w.body, w.url[:300]) if w else (pk, None, None, None))
    if not rows:
        return 0
    qn = connection.ops.quote_name
    table = qn(ReminderDelivery._meta.db_table)
    fields = {f.column: f for f in ReminderDelivery._meta.concrete_fields}
    values = also or {}
    sets = "".join(f", {qn(column)} = %s" for column in values)
    params = [fields[column].get_db_prep_save(value, connection) for column, value in values.items()]
    sets += f", attempts = {table}.attempts + 1" if attempt else ""
    only_new = "" if held else f" AND {table}.title = ''"
    changed = 0
    with connection.cursor() as cursor:
        for source, source_params in rows_source(_WORD_TYPES, rows, reserve=len(params)):
            cursor.execute(
                f"WITH w (id, title, body, url) AS ({source}) UPDATE {table}"
                f" SET title = COALESCE(w.title, {table}.title), body = COALESCE(w.body, {table}.body),"
                f" url = COALESCE(w.url, {table}.url){sets} FROM w WHERE {table}.id = w.id{only_new}",
                [*source_params, *params],
            )
            changed += cursor.rowcount
    return changed


_WORD_TYPES = ("bigint", "varchar", "text", "varchar")


def deliveries_word(ids: Sequence[int]) -> int:
    """Word and store the rows of ``ids`` that have no words yet (one read, one UPDATE); how many.

    The caller holds the rows (a claim, or their locks), so nobody else words them at the
    same time; the UPDATE's ``title = ''`` keeps the first words all the same.
    """
    if not ids:
        return 0
    pending = id_in(ReminderDelivery.objects.filter(title=""), "id", list(ids))
    return words_store(words_of_rows(word_rows(pending)))


# --- The titles of a daily digest ------------------------------------------------------------


def subject_titles(items: Iterable[tuple[int | None, int | None, str]], today: dt.date) -> dict[tuple[int | None, int | None, str], str]:
    """The title of each (deadline id, hearing id, reminder), worded as on ``today`` (two queries)."""
    keys = list(dict.fromkeys(items))
    deadline_ids = {d for d, _h, _r in keys if d is not None}
    hearing_ids = {h for _d, h, _r in keys if h is not None}
    deadlines = {
        row["id"]: row for row in id_in(Deadline.objects.all(), "id", deadline_ids).values("id", *_DEADLINE)
    } if deadline_ids else {}  # fmt: skip
    hearings = {
        row["id"]: _hearing_subject(row)
        for row in id_in(Hearing.objects.all(), "id", hearing_ids).values("id", *_HEARING, *_LEADER)
    } if hearing_ids else {}  # fmt: skip
    titles = {}
    with translation.override(settings.LANGUAGE_CODE):
        worder = _worder()
        for key in keys:
            deadline_id, hearing_id, reminder = key
            subject = deadlines.get(deadline_id) if deadline_id is not None else hearings.get(hearing_id)
            if subject is not None:
                titles[key] = worder.words(subject, reminder, today).title
    return titles
