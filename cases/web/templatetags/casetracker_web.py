"""Small presentation helpers for the pages; no figures are computed here."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict
from django.utils.translation import get_language

from cases.people import person_name
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


@register.simple_tag
def deadline_title(rule: str | None, title: str | None) -> str:
    """A deadline's name: its own title, else the statutory rule's Chinese title (D9)."""
    if title:
        return title
    found = RULES.get(rule or "")
    return found.title_zh if found else (rule or "")


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
