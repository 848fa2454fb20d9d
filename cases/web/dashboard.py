"""What the leaders' dashboard shows, read from the statistics engine and the deadline tables.

The year's figures, rates and wording come from cases.querysets.statistics and
casetracker.report (one definition of D2-D4 for the API, the CLI, the exports
and this page); the live parts (urgency, overdue items, coming hearings) are
aggregates and short lists scoped to the same agencies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import get_language

from cases.choices import DeadlineUrgency, Ground, HearingKind, Kind, Subject
from cases.models import Agency, Case, Deadline, FollowUp, Hearing
from cases.querysets.counting import BADGE_CAP, CappedCount, capped_count
from cases.querysets.statistics import bucket_filters, handled_cases, held_hearings, scoped_statistics, year_totals
from casetracker.calendar import WorkdayCalendar
from casetracker.report import BUCKET_KEYS, BUCKET_LABELS, RATE_LABELS, Rate, YearFigures, text_en, text_zh

TREND_YEARS = 5
UPCOMING_DAYS = 14
OVERDUE_SHOWN = 20
HEARINGS_SHOWN = 50
AGENCIES_SHOWN = 20


@dataclass(frozen=True)
class Scope:
    """Which agencies the dashboard counts: one agency (optionally with its sub-agencies) or all visible."""

    agency: Agency | None
    with_children: bool
    visible_ids: set[int] | None
    # The subtree is resolved once per page (one query), not once per panel.
    _resolved: dict[str, set[int] | None] = field(default_factory=dict, compare=False, repr=False)

    def ids(self) -> set[int] | None:
        if self.agency is None:
            return self.visible_ids
        if "ids" not in self._resolved:
            self._resolved["ids"] = self.agency.subtree_ids() if self.with_children else {self.agency.pk}
        return self._resolved["ids"]

    def agencies(self) -> Any:
        """The agencies in scope as a queryset (None for a single agency): the path prefix for a
        body with its sub-agencies, so the page never ships thousands of ids back and forth."""
        if self.agency is not None:
            return Agency.objects.filter(path__startswith=self.agency.path) if self.with_children else None
        if self.visible_ids is None:
            return Agency.objects.all()
        return Agency.objects.filter(pk__in=self.visible_ids)

    def statistics(self, year: int) -> dict[str, Any]:
        """The year's figures for the scope, its subtree resolved once for all the trend's years."""
        return scoped_statistics(year=year, ids=self.ids(), label=self.agency.code if self.agency else None)


def _english() -> bool:
    return (get_language() or "").startswith("en")


def bucket_label(key: str) -> str:
    return BUCKET_LABELS[key][1 if _english() else 0]


def rate_card(key: str, value: dict[str, Any]) -> dict[str, Any]:
    rate = Rate(value["numerator"], value["denominator"])
    return {"key": key, "label": RATE_LABELS[key][1 if _english() else 0], "percent": rate.percent,
            "numerator": rate.numerator, "denominator": rate.denominator, "empty": rate.denominator == 0}


def equation(figures: dict[str, Any]) -> dict[str, Any]:
    """The headline "25 = 19 + 2 + 4": the total and every non-zero bucket (D3), as the report names them."""
    parts = [
        {"key": key, "label": bucket_label(key), "count": figures["buckets"][key]}
        for key in BUCKET_KEYS
        if key != "withdrawn_after_act_changed" and figures["buckets"][key]
    ]
    return {"total": figures["total"], "parts": parts,
            "withdrawn_after_act_changed": figures["buckets"]["withdrawn_after_act_changed"]}


def paragraph(figures: dict[str, Any]) -> dict[str, str]:
    parsed = YearFigures.from_dict(figures)
    return {"zh": text_zh(parsed), "en": text_en(parsed)}


def charts(figures: dict[str, Any], trend: list[dict[str, Any]]) -> dict[str, Any]:
    """Chart data for ECharts (json_script): series per bucket for kinds and subjects, totals per year."""
    keys = [key for key in BUCKET_KEYS if key != "withdrawn_after_act_changed"]
    subjects = [code for code in Subject.values if figures["by_subject"].get(code, {}).get("total")]
    return {
        "buckets": [{"key": key, "label": bucket_label(key)} for key in keys],
        "by_kind": {
            "categories": [str(label) for label in Kind.labels],
            "series": {key: [figures["by_kind"][kind][key] for kind in Kind.values] for key in keys},
        },
        "by_subject": {
            "categories": [str(Subject(code).label) for code in subjects],
            "series": {key: [figures["by_subject"][code][key] for code in subjects] for key in keys},
        },
        "trend": {
            "years": [str(row["year"]) for row in trend],
            "series": {key: [row["buckets"][key] for row in trend] for key in keys},
            "total": [row["total"] for row in trend],
        },
    }


def open_by_urgency(user: Any, scope: Scope, *, today: dt.date, calendar: WorkdayCalendar) -> list[dict[str, Any]]:
    """Open cases counted by the urgency of their next bureau deadline (two set-based queries)."""
    cases = Case.objects.for_user(user).active().open()
    ids = scope.ids()
    if ids is not None:
        cases = cases.filter(agency_id__in=ids)
    row = cases.urgency_counts(today=today, calendar=calendar)
    levels = [{"code": level.value, "label": str(level.label), "count": row[level.value]} for level in DeadlineUrgency]
    return [*levels, {"code": "none", "label": "", "count": row["none"]}, {"code": "total", "label": "",
                                                                         "count": row["total"]}]


# Each list below shows its first rows and how many there are, counted up to BADGE_CAP even
# when the list holds them all, so the page's queries do not depend on the data.


def overdue_deadlines(user: Any, scope: Scope, *, today: dt.date) -> tuple[CappedCount, list[Deadline]]:
    queryset = Deadline.objects.for_user(user).overdue(today=today).filter(case__archived_at__isnull=True)
    ids = scope.ids()
    if ids is not None:
        queryset = queryset.filter(case__agency_id__in=ids)
    rows = list(queryset.select_related("case").order_by("due_on", "id")[:OVERDUE_SHOWN])
    return capped_count(queryset, BADGE_CAP), rows


def upcoming_hearings(user: Any, scope: Scope) -> tuple[CappedCount, list[Hearing]]:
    """The next two weeks' hearings, soonest first: the first HEARINGS_SHOWN and how many there are."""
    queryset = Hearing.objects.for_user(user).upcoming(UPCOMING_DAYS)
    ids = scope.ids()
    if ids is not None:
        queryset = queryset.filter(case__agency_id__in=ids)
    rows = list(queryset.select_related("case", "expected_leader").order_by("scheduled_at", "id")[:HEARINGS_SHOWN])
    return capped_count(queryset, BADGE_CAP), rows


def nobody_attended(user: Any, scope: Scope, year: int) -> tuple[CappedCount, list[Hearing]]:
    """The year's hearings at which nobody of the bureau appeared (我局无人出庭), flagged on the dashboard."""
    queryset = Hearing.objects.for_user(user).nobody_attended().held_in(year)
    ids = scope.ids()
    if ids is not None:
        queryset = queryset.filter(case__agency_id__in=ids)
    rows = list(queryset.select_related("case").order_by("scheduled_at", "id")[:OVERDUE_SHOWN])
    return capped_count(queryset, BADGE_CAP), rows


def open_follow_ups(user: Any, scope: Scope) -> tuple[CappedCount, list[FollowUp]]:
    """Letters still to be answered (D12), earliest reply deadline first: the count and the first few."""
    queryset = FollowUp.objects.for_user(user).active().open()
    ids = scope.ids()
    if ids is not None:
        queryset = queryset.filter(agency_id__in=ids)
    rows = list(queryset.select_related("case").order_by("due_on", "id")[:OVERDUE_SHOWN])
    return capped_count(queryset, BADGE_CAP), rows


def ground_rows(figures: dict[str, Any]) -> list[dict[str, Any]]:
    """The year's corrected/lost proceedings by ground (D12), non-zero grounds only, most frequent first."""
    labels = dict(Ground.choices)
    rows = [{"code": code, "label": str(labels[code]), "count": n} for code, n in figures["grounds"].items() if n]
    return sorted(rows, key=lambda row: -row["count"])


def grounds_missing(user: Any, scope: Scope) -> tuple[CappedCount, list[Case]]:
    """Proceedings concluded as corrected/lost without grounds (from before they were asked for)."""
    queryset = Case.objects.for_user(user).active().grounds_missing()
    ids = scope.ids()
    queryset = queryset if ids is None else queryset.filter(agency_id__in=ids)
    rows = list(queryset.order_by("-concluded_on", "-id")[:OVERDUE_SHOWN])
    return capped_count(queryset, BADGE_CAP), rows


def _indent(level: int) -> str:
    """A sub-agency's place under the scope's agency, as text (the CSP allows no inline style)."""
    return "\u3000" * (level - 1) + "└ " if level > 0 else ""


def agency_table(scope: Scope, year: int, page_number: Any) -> Page[Any] | None:
    """The year's figures per agency in scope, a page of AGENCIES_SHOWN agencies at a time.

    Four queries whatever the number of agencies: the count and the page of agencies
    (tree order: a body before the bureaus under it), the page's bucket counts grouped by
    agency, and its court hearings grouped by agency. None for a single agency.
    """
    agencies = scope.agencies()
    if agencies is None:
        return None
    rows = agencies.order_by("path", "code").only("id", "name", "code", "path")
    page = Paginator(rows, AGENCIES_SHOWN).get_page(page_number)
    if page.paginator.count <= 1:
        return None
    ids = [agency.pk for agency in page]
    buckets = bucket_filters(year)
    counts = {
        row["agency_id"]: row
        for row in handled_cases(year, ids).values("agency_id").annotate(
            total=Count("id"), upheld=Count("id", filter=buckets["upheld"]),
            corrected=Count("id", filter=buckets["corrected"]), pending=Count("id", filter=buckets["pending"]),
        )
    }
    court = Q(kind=HearingKind.COURT, case__kind=Kind.LITIGATION)
    hearings = {
        row["case__agency_id"]: row
        for row in held_hearings(year, ids).values("case__agency_id").annotate(
            held=Count("id", filter=court), appeared=Count("id", filter=court & Q(bureau_appeared=True)),
        )
    }
    empty = {"total": 0, "upheld": 0, "corrected": 0, "pending": 0}
    depth = scope.agency.path.count("/") if scope.agency is not None else 2
    page.object_list = [
        {
            "agency": agency,
            "indent": _indent(agency.path.count("/") - depth),
            **{key: counts.get(agency.pk, empty)[key] for key in empty},
            "court": rate_card("court_appearance", {
                "numerator": hearings.get(agency.pk, {}).get("appeared", 0),
                "denominator": hearings.get(agency.pk, {}).get("held", 0),
            }),
        }
        for agency in page
    ]
    return page


def trend(scope: Scope, year: int) -> list[dict[str, Any]]:
    """The last TREND_YEARS years up to ``year``: the earlier years' totals and buckets (what
    the trend chart shows; one query each), then ``year``'s full figures (the page's)."""
    earlier = [year_totals(year=y, ids=scope.ids()) for y in range(year - TREND_YEARS + 1, year)]
    return [*earlier, scope.statistics(year)]


def local_today() -> dt.date:
    return timezone.localdate()
