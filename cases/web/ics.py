"""A hand-written iCalendar (RFC 5545) feed: hearings as timed events, deadlines as all-day ones.

Written by hand instead of adding a dependency: the feed needs VCALENDAR/VEVENT,
text escaping (3.3.11), line folding at 75 octets (3.1) and CRLF line ends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import DeadlineStatus, HearingStatus
from cases.deadline_text import basis_text, days_left_text
from cases.services.calendar import workday_calendar
from cases.web.templatetags.casetracker_web import deadline_title, person
from casetracker.calendar import WorkdayCalendar

CRLF = "\r\n"
HEARING_LENGTH = dt.timedelta(hours=2)


# RFC 5545 3.3.11: TEXT may not hold control characters other than HTAB (newlines are escaped
# first); text pasted from word processors sometimes carries them (vertical tab, form feed).
_CONTROL = dict.fromkeys([*range(0x00, 0x09), *range(0x0A, 0x20), 0x7F])


def escape_text(value: str) -> str:
    """TEXT escaping of RFC 5545 3.3.11: backslash, semicolon, comma and newlines; no control characters."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")
    return value.translate(_CONTROL)


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets, never splitting a UTF-8 character."""
    out: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return CRLF.join(out)


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _hearing_lines(hearing: Any, host: str, base_url: str) -> list[str]:
    case = hearing.case
    summary = f"{hearing.get_kind_display()}:{case.number} {case.applicant}"
    description = [
        _("审理机关:%(b)s") % {"b": case.reviewing_body},
        _("拟出庭负责人:%(p)s") % {"p": person(hearing.expected_leader) or _("尚未安排")},
    ]
    if hearing.notes:
        description.append(hearing.notes)
    status = "CANCELLED" if hearing.status == HearingStatus.CANCELLED else "CONFIRMED"
    return [
        "BEGIN:VEVENT",
        f"UID:hearing-{hearing.pk}@{host}",
        f"DTSTAMP:{_utc(hearing.updated_at)}",
        f"DTSTART:{_utc(hearing.scheduled_at)}",
        f"DTEND:{_utc(hearing.scheduled_at + HEARING_LENGTH)}",
        f"SEQUENCE:{hearing.version}",
        f"STATUS:{status}",
        f"SUMMARY:{escape_text(summary)}",
        *([f"LOCATION:{escape_text(hearing.place)}"] if hearing.place else []),
        f"DESCRIPTION:{escape_text(chr(10).join(description))}",
        f"URL:{base_url}/cases/{case.pk}/",
        "END:VEVENT",
    ]


def _deadline_description(deadline: Any, today: dt.date, calendar: WorkdayCalendar) -> str:
    """The days left (open deadlines, as of the feed's generation) and the basis in words."""
    parts = [basis_text(deadline.rule, deadline.rule_version) or deadline.get_status_display()]
    if deadline.status == DeadlineStatus.OPEN:
        left = days_left_text(deadline.rule, deadline.rule_version, deadline.due_on, today, calendar)
        parts.insert(0, _("%(left)s(截至 %(today)s)") % {"left": left, "today": today.isoformat()})
    return "\n".join(parts)


def _deadline_lines(deadline: Any, host: str, base_url: str, today: dt.date, calendar: WorkdayCalendar) -> list[str]:
    case = deadline.case
    title = deadline_title(deadline.rule, deadline.title)
    summary = _("期限届满:%(t)s(%(n)s)") % {"t": title, "n": case.number}
    done = deadline.status != DeadlineStatus.OPEN
    return [
        "BEGIN:VEVENT",
        f"UID:deadline-{deadline.pk}@{host}",
        f"DTSTAMP:{_utc(deadline.updated_at)}",
        f"DTSTART;VALUE=DATE:{deadline.due_on:%Y%m%d}",
        f"DTEND;VALUE=DATE:{deadline.due_on + dt.timedelta(days=1):%Y%m%d}",
        "TRANSP:TRANSPARENT",
        f"STATUS:{'CANCELLED' if deadline.status == DeadlineStatus.WAIVED else 'CONFIRMED'}",
        f"SUMMARY:{escape_text(('✓ ' if done else '') + summary)}",
        f"DESCRIPTION:{escape_text(_deadline_description(deadline, today, calendar))}",
        f"URL:{base_url}/cases/{case.pk}/",
        "END:VEVENT",
    ]


def calendar_feed(
    hearings: Iterable[Any], deadlines: Iterable[Any], *, host: str, base_url: str, name: str
) -> str:
    """The whole VCALENDAR as text with CRLF line ends."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//casetracker//hearings and deadlines//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        f"X-WR-TIMEZONE:{timezone.get_current_timezone_name()}",
    ]
    for hearing in hearings:
        lines += _hearing_lines(hearing, host, base_url)
    today, calendar = timezone.localdate(), workday_calendar()
    for deadline in deadlines:
        lines += _deadline_lines(deadline, host, base_url, today, calendar)
    lines.append("END:VCALENDAR")
    return CRLF.join(fold(line) for line in lines) + CRLF
