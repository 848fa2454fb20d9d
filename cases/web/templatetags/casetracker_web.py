"""Small presentation helpers for the pages; no figures are computed here."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from django import template
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import get_language

from cases.deadline_text import basis_text, days_left_text
from cases.people import person_name
from cases.services.calendar import workday_calendar
from cases.stored_text import stored_text
from casetracker.outcomes import OUTCOME_LABELS, Outcome
from casetracker.periods import RULES

register = template.Library()

URGENCY_CLASSES = {
    "overdue": "urgency-overdue",
    "due_3_working_days": "urgency-due3",
    "due_7_days": "urgency-due7",
    "later": "urgency-later",
}


@register.filter
def person(user: Any) -> str:
    """A user's name (cases.people.person_name: 王建国 for Chinese names), or the username."""
    return person_name(user)


@register.filter
def display(obj: Any, field_name: str) -> str:
    """``obj.get_<field>_display()`` without Django hashing every choice of the field on each
    call (~0.1 ms a call; the ledger shows four per row)."""
    value = getattr(obj, field_name)
    return str(_choice_labels(type(obj), field_name).get(value, value))


@cache
def _choice_labels(model: type, field_name: str) -> dict[Any, Any]:
    # Lazy labels: translated when rendered, in the page's language.
    return dict(model._meta.get_field(field_name).flatchoices)  # type: ignore[attr-defined]


@register.filter
def stored(text: str | None) -> str:
    """A note the tracker wrote (案件已结,期限不再适用) in the active language (cases.stored_text)."""
    return stored_text(text or "")


@register.simple_tag
def deadline_title(rule: str | None, title: str | None) -> str:
    """A deadline's name: its own title, else the statutory rule's title (D9) in the active language."""
    if title:
        return stored_text(title)
    found = RULES.get(rule or "")
    if found is None:
        return rule or ""
    return found.title_en if (get_language() or "").startswith("en") else found.title_zh


@register.simple_tag
def deadline_basis(rule: str | None, version: str | None) -> str:
    """The law, the article and the period in words (cases.deadline_text); "" for a manual deadline."""
    return basis_text(rule, version)


@register.simple_tag(takes_context=True)
def days_left(context: template.Context, rule: str | None, version: str | None, due: dt.date | None) -> str:
    """还剩3个工作日 / 已逾期2天 as of today; the view's calendar, else one per page render."""
    if due is None:
        return ""
    calendar = context.get("workday_calendar") or context.render_context.get("workday_calendar")
    if calendar is None:
        calendar = context.render_context["workday_calendar"] = workday_calendar()
    return days_left_text(rule, version, due, timezone.localdate(), calendar)


@register.filter
def urgency_class(code: str | None) -> str:
    return URGENCY_CLASSES.get(code or "", "urgency-none")


def _current_sort(context: dict[str, Any]) -> str:
    return context["request"].GET.get("sort") or context.get("default_sort", "")


def _sort_direction(context: dict[str, Any], key: str) -> str | None:
    """"asc" or "desc" when the list is sorted by ``key``, else None."""
    current = _current_sort(context)
    if current == key:
        return "asc"
    if current == f"-{key}":
        return "desc"
    return None


@register.simple_tag(takes_context=True)
def sort_query(context: dict[str, Any], key: str) -> str:
    """The query string that sorts by ``key``, toggling the direction when already sorted by it."""
    params: QueryDict = context["request"].GET.copy()
    params["sort"] = f"-{key}" if _current_sort(context) == key else key
    params.pop("page", None)
    return "?" + params.urlencode()


@register.simple_tag(takes_context=True)
def sort_marker(context: dict[str, Any], key: str) -> str:
    return {"asc": "▲", "desc": "▼"}.get(_sort_direction(context, key) or "", "")


@register.simple_tag(takes_context=True)
def sort_state(context: dict[str, Any], key: str) -> str:
    """aria-sort value of a column header."""
    return {"asc": "ascending", "desc": "descending"}.get(_sort_direction(context, key) or "", "none")


@register.filter
def outcome_label(code: str | None) -> str:
    """An outcome's label in the page's language (D8 carries both)."""
    if not code:
        return ""
    try:
        chinese, english = OUTCOME_LABELS[Outcome(code)]
    except ValueError:
        return code
    return english if (get_language() or "").startswith("en") else chinese


@register.filter
def urgency_label(code: str | None) -> str:
    """The Chinese (or English) name of an urgency level code."""
    from cases.choices import DeadlineUrgency

    try:
        return str(DeadlineUrgency(code).label) if code else ""
    except ValueError:
        return ""


@register.simple_tag(takes_context=True)
def rest_day_note(context: template.Context, when: dt.datetime | None) -> str:
    """The warning of cases.services.calendar.rest_day_warning for a hearing time, "" on a working day."""
    from cases.services.calendar import rest_day_warning

    if when is None:
        return ""
    calendar = context.get("workday_calendar") or context.render_context.get("workday_calendar")
    if calendar is None:
        calendar = context.render_context["workday_calendar"] = workday_calendar()
    return rest_day_warning(when, calendar)
