"""The yearly roll-up (DOMAIN.md D2-D4), computed in the database.

    yearly_statistics(year=2021, agency=bureau)                     # one agency
    yearly_statistics(year=2021, agency=bureau, with_children=True) # with its sub-agencies
    yearly_statistics(year=2021)                                    # every agency
    yearly_statistics(year=2021, agencies=[3, 4])                   # any set of agency ids (or a QuerySet)

returns the JSON object of issue 5 (shape owned by casetracker.report.YearFigures):
`year`, `agency` (the code, or null when not one agency), `total`, `buckets`, `by_kind`,
`by_subject`, `rates`, then D12's `grounds` (code -> proceedings), `follow_ups` (`received`,
`answered`, `answered_on_time`, `open`) and `corrective_actions` (`due`, `done`). Rates are
fractions 0-1 (4 places) or null for an empty denominator.

Live, five queries whatever the number of cases (cases grouped by kind and subject, hearings,
grounds, follow-up letters, corrective actions), each a conditional aggregation; `agency` plus
`with_children` adds one query to resolve the subtree (`Agency.subtree_ids()`). A closed year
whose agencies all have a frozen row is summed from those rows instead (`frozen_year_figures`).
Archived cases and hearings never count.

`case_rows(year=..., agency_ids=...)` gives the year's case list (one query) for exports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, F, Func, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from cases.choices import HearingKind, HearingStatus, Kind, Status, Subject
from casetracker.outcomes import Bucket, outcomes_in_bucket
from casetracker.report import (
    BUCKET_KEYS,
    GROUND_KEYS,
    KIND_KEYS,
    Buckets,
    Rate,
    YearFigures,
    counts_layout,
    counts_sum,
    figure_count_keys,
    figures_counts,
    figures_from_counts,
)

if TYPE_CHECKING:
    from cases.models import Agency

# D4 counts a hearing in the year of its local (Beijing time) date, whatever TIME_ZONE says.
REPORT_TIMEZONE = ZoneInfo("Asia/Shanghai")
# The Administrative Litigation Law took effect on 1 October 1990; nothing to count before.
MIN_YEAR, MAX_YEAR = 1990, 2100

AgencyIds = QuerySet[Any] | Iterable[int] | None


def validate_year(year: Any) -> int:
    """The year as an int, or a ValidationError naming the accepted range."""
    try:
        value = int(year)
    except (TypeError, ValueError):
        value = 0
    if str(year).strip().lstrip("-").isdigit() and MIN_YEAR <= value <= MAX_YEAR:
        return value
    raise ValidationError({"year": f"年份须为 {MIN_YEAR}-{MAX_YEAR} 之间的整数,收到 {year!r}。"})


def scope_ids(*, agency: Agency | None = None, with_children: bool = False, agencies: AgencyIds = None) -> Any:
    """The agency ids a roll-up covers; None means every agency (no agency filter at all)."""
    if agency is not None:
        return agency.subtree_ids() if with_children else {agency.pk}
    if agencies is None:
        return None
    return agencies if isinstance(agencies, QuerySet) else set(agencies)


def _year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def bucket_filters(year: int) -> dict[str, Q]:
    """D2 + D3 as Q objects: a handled case's bucket as seen on 31 December of the year.

    The outcome -> bucket map is casetracker.outcomes; a case not concluded by the
    year's end (pending, suspended, or concluded later) is pending.
    """
    _, end = _year_bounds(year)
    concluded = Q(status=Status.CONCLUDED, concluded_on__lte=end)
    filters = {
        bucket.value: concluded & Q(outcome__in=[o.value for o in outcomes_in_bucket(bucket)])
        for bucket in Bucket
        if bucket is not Bucket.PENDING
    }
    filters[Bucket.PENDING.value] = ~concluded
    filters["withdrawn_after_act_changed"] = filters[Bucket.WITHDRAWN.value] & Q(act_changed=True)
    return filters


def _bucket_counts(year: int) -> dict[str, Count]:
    start, end = _year_bounds(year)
    counts = {key: Count("id", filter=q) for key, q in bucket_filters(year).items()}
    return {"total": Count("id"), **counts, "concluded_in_year": Count("id", filter=Q(concluded_on__range=(start, end)))}


def handled_cases(year: int, ids: Any) -> QuerySet[Any]:
    """D2: active proceedings received by 31 Dec and not concluded before 1 Jan, in scope."""
    from cases.models import Case

    qs = Case.objects.handled_in(year).order_by()  # no default ordering: it would join the GROUP BY
    return qs if ids is None else qs.filter(agency_id__in=ids)


def _buckets(row: dict[str, Any]) -> Buckets:
    return Buckets(total=row["total"] or 0, **{key: row[key] or 0 for key in BUCKET_KEYS})


def held_hearings(year: int, ids: Any) -> QuerySet[Any]:
    """D4: active hearings held (status held) whose Beijing-time date falls in the year, in scope."""
    from cases.models import Hearing

    start = dt.datetime(year, 1, 1, tzinfo=REPORT_TIMEZONE)
    end = dt.datetime(year + 1, 1, 1, tzinfo=REPORT_TIMEZONE)
    qs = Hearing.objects.active().filter(status=HearingStatus.HELD, scheduled_at__gte=start, scheduled_at__lt=end)
    return (qs if ids is None else qs.filter(case__agency_id__in=ids)).order_by()


def hearing_counts() -> dict[str, Count]:
    """D4's counts over held hearings (court hearings of litigation, 听证 of reconsiderations)."""
    counts: dict[str, Count] = {}
    # Court hearings of litigation, reconsideration hearings (听证, ARL 51) of reconsiderations.
    pairs = (("court", HearingKind.COURT, Kind.LITIGATION), ("hearing", HearingKind.RECONSIDERATION, Kind.RECONSIDERATION))
    for prefix, kind, case_kind in pairs:
        held = Q(kind=kind, case__kind=case_kind)
        counts[f"{prefix}_held"] = Count("id", filter=held)
        counts[f"{prefix}_appeared"] = Count("id", filter=held & Q(bureau_appeared=True))
        counts[f"{prefix}_cases"] = Count("case", filter=held, distinct=True)
        counts[f"{prefix}_leader_cases"] = Count(
            "case", filter=held & Q(responsible_person__isnull=False), distinct=True
        )
    return counts


def hearing_rates_of(row: dict[str, Any]) -> dict[str, Rate]:
    return {
        "court_appearance": Rate(row["court_appeared"], row["court_held"]),
        "leader_appearance": Rate(row["court_leader_cases"], row["court_cases"]),
        "hearing_appearance": Rate(row["hearing_appeared"], row["hearing_held"]),
        "hearing_leader_appearance": Rate(row["hearing_leader_cases"], row["hearing_cases"]),
    }


def _hearing_rates(year: int, ids: Any) -> dict[str, Rate]:
    """D4 attendance: hearings held (status held) whose Beijing-time date falls in the year."""
    return hearing_rates_of(held_hearings(year, ids).aggregate(**hearing_counts()))


def _scoped(qs: QuerySet[Any], ids: Any, field: str = "agency_id") -> QuerySet[Any]:
    return qs if ids is None else qs.filter(**{f"{field}__in": ids})


def _ground_counts(year: int, ids: Any) -> dict[str, int]:
    """D12: proceedings handled in the year whose year-end bucket is corrected, counted per ground.

    Handled in Y and corrected by 31 December means concluded within Y (D2), so one
    indexed range on concluded_on does it; a proceeding with two grounds counts under each.
    """
    from cases.models import CaseGround

    start, end = _year_bounds(year)
    rows = _scoped(CaseGround.objects.filter(
        case__archived_at__isnull=True, case__status="concluded", case__concluded_on__range=(start, end),
        case__outcome__in=[o.value for o in outcomes_in_bucket(Bucket.CORRECTED)],
    ), ids, "case__agency_id").order_by().values("ground").annotate(n=Count("id"))
    counts = dict.fromkeys(GROUND_KEYS, 0)
    counts.update({row["ground"]: row["n"] for row in rows})
    return counts


def _follow_up_counts(year: int, ids: Any) -> dict[str, int]:
    """Letters received in Y, answered in Y (on time: by their reply deadline), and open on 31 December."""
    from cases.models import FollowUp

    start, end = _year_bounds(year)
    answered = Q(answered_on__range=(start, end))
    return _scoped(FollowUp.objects.active(), ids).aggregate(
        received=Count("id", filter=Q(received_on__range=(start, end))),
        answered=Count("id", filter=answered),
        answered_on_time=Count("id", filter=answered & Q(answered_on__lte=F("due_on"))),
        open=Count("id", filter=Q(received_on__lte=end) & (Q(answered_on__isnull=True) | Q(answered_on__gt=end))),
    )


def _corrective_action_counts(year: int, ids: Any) -> dict[str, int]:
    """Corrective actions due in Y, and how many of those were done by 31 December."""
    from cases.models import CorrectiveAction

    start, end = _year_bounds(year)
    due = Q(due_on__range=(start, end))
    return _scoped(CorrectiveAction.objects.active(), ids).aggregate(
        due=Count("id", filter=due), done=Count("id", filter=due & Q(done_on__lte=end)),
    )


def _bucket_sums(rows: Iterable[dict[str, Any]], keys: Iterable[str]) -> dict[str, int]:
    rows = list(rows)
    return {key: sum(row[key] or 0 for row in rows) for key in keys}


def year_figures(*, year: int, ids: Any, label: str | None) -> YearFigures:
    """The roll-up for agency ids (None = all) as a YearFigures; `label` is the agency code shown.

    The case counts come from one GROUP BY kind, subject (a few dozen rows); the overall, per
    kind and per subject figures are their sums, so they cannot disagree."""
    year = validate_year(year)
    counts = _bucket_counts(year)
    cells = list(handled_cases(year, ids).values("kind", "subject").annotate(**counts))
    overall = _bucket_sums(cells, counts)
    kinds = {kind: _bucket_sums((c for c in cells if c["kind"] == kind), counts) for kind in KIND_KEYS}
    subjects = {code: _bucket_sums((c for c in cells if c["subject"] == code), counts) for code in Subject.values}
    recon, lit = kinds[KIND_KEYS[0]], kinds[KIND_KEYS[1]]
    rates = {
        "correction": Rate(recon["corrected"], recon["concluded_in_year"]),
        "loss": Rate(lit["corrected"], lit["concluded_in_year"]),
        **_hearing_rates(year, ids),
    }
    return YearFigures(
        year=year,
        agency=label,
        overall=_buckets(overall),
        by_kind={kind: _buckets(kinds[kind]) for kind in KIND_KEYS},
        by_subject={code: _buckets(subjects[code]) for code in Subject.values},
        rates=rates,
        grounds=_ground_counts(year, ids),
        follow_ups=_follow_up_counts(year, ids),
        corrective_actions=_corrective_action_counts(year, ids),
    )


def count_keys() -> tuple[str, ...]:
    """The order of a frozen row's ``counts`` today (D8's subjects are part of it)."""
    return figure_count_keys(Subject.values)


def frozen_counts(figures: dict[str, Any]) -> tuple[str, list[int]]:
    """``(counts_layout, counts)`` of a figures object, as ``YearlyReport.save()`` stores them."""
    keys = count_keys()
    return counts_layout(keys), figures_counts(figures, keys)


def _everyone() -> Subquery:
    """How many agencies there are, as an uncorrelated scalar subquery (evaluated once), so a
    roll-up of every agency checks it has every agency's row in the same query."""
    from cases.models import Agency

    everyone = Agency.objects.order_by().annotate(n=Func(F("id"), function="COUNT")).values("n")
    return Subquery(everyone, output_field=IntegerField())


def _latest_frozen_rows(year: int, ids: Any) -> tuple[QuerySet[Any], set[int] | None] | None:
    """Each agency's latest numbered ``YearlyReport`` of a closed year (no later version
    exists: the unique index answers), in scope, and the agency ids wanted (None: every
    agency); None when the year is not closed (Beijing time)."""
    from cases.models import YearlyReport

    if year >= dt.datetime.now(REPORT_TIMEZONE).year:
        return None
    later = YearlyReport.objects.filter(agency_id=OuterRef("agency_id"), year=year, version__gt=OuterRef("version"))
    rows = YearlyReport.objects.filter(year=year, version__gte=1).exclude(Exists(later))
    if ids is None:
        return rows, None
    wanted = set(ids.values_list("id", flat=True)) if isinstance(ids, QuerySet) else set(ids)
    return rows.filter(agency_id__in=wanted), wanted


def frozen_year_figures(*, year: int, ids: Any, label: str | None) -> YearFigures | None:
    """A closed year's roll-up summed from the agencies' frozen rows, or None to compute it live.

    Each agency's latest numbered ``YearlyReport`` of the year (the 1 January ``year_end``
    row, or a later regeneration) holds its own figures and, beside them, the same numbers
    as one flat list (``counts``); a supervising body's roll-up is the column sums of those
    lists: one query over a few thousand short rows instead of aggregating every case. A row
    whose list has another layout (written before the subjects changed) is read from its
    figures with one more query. None when the year is not closed (Beijing time) or an agency
    in scope has no frozen row (docs/statistics.md, "Frozen or live").
    """
    from cases.models import YearlyReport

    found = _latest_frozen_rows(validate_year(year), ids)
    if found is None:
        return None
    rows, wanted = found
    fields: tuple[str, ...] = ("id", "counts_layout", "counts")
    if wanted is None:
        rows, fields = rows.annotate(agencies=_everyone()), (*fields, "agencies")
    latest = list(rows.values_list(*fields))
    expected = (latest[0][3] if latest else 0) if wanted is None else len(wanted)
    if not expected or len(latest) != expected:
        return None
    keys = count_keys()
    layout = counts_layout(keys)
    vectors = [row[2] for row in latest if row[1] == layout]
    others = [row[0] for row in latest if row[1] != layout]
    if others:
        figures = YearlyReport.objects.filter(id__in=others).values_list("figures", flat=True)
        vectors += [figures_counts(data, keys) for data in figures]
    total = counts_sum(vectors, len(keys))
    return figures_from_counts(year=year, agency=label, counts=total, keys=keys, subjects=Subject.values)


def year_totals(*, year: int, ids: Any) -> dict[str, Any]:
    """``{"year", "total", "buckets"}`` of the roll-up for agency ids (None = all): what a
    trend chart shows, the same numbers as ``scoped_statistics`` without the rest of them.

    A closed year with every agency's frozen row sums the first numbers of the rows'
    ``counts`` (the total, then the buckets) in the database, one query without decoding a
    row in Python; otherwise one aggregation over the handled cases."""
    year = validate_year(year)
    buckets = _frozen_totals(year, ids)
    if buckets is None:
        counts = _bucket_counts(year)
        del counts["concluded_in_year"]
        buckets = _buckets(handled_cases(year, ids).aggregate(**counts))
    return {"year": year, "total": buckets.total, "buckets": buckets.buckets_dict()}


def _frozen_totals(year: int, ids: Any) -> Buckets | None:
    found = _latest_frozen_rows(year, ids)
    if found is None:
        return None
    rows, wanted = found
    head = ("total", *(f"buckets.{key}" for key in BUCKET_KEYS))
    keys = count_keys()
    assert keys[: len(head)] == head, "the totals must lead the frozen counts"
    sums: dict[str, Any] = {
        f"n{index}": Sum(Cast(KeyTextTransform(str(index), "counts"), IntegerField())) for index in range(len(head))
    }
    if wanted is None:
        sums["agencies"] = Max(_everyone())
    row = rows.aggregate(rows=Count("id"), other=Count("id", filter=~Q(counts_layout=counts_layout(keys))), **sums)
    expected = row["agencies"] if wanted is None else len(wanted)
    if not expected or row["rows"] != expected or row["other"]:
        return None  # not every agency frozen, or a row of another layout: the full path decides
    values = dict(zip(head, (row[f"n{index}"] or 0 for index in range(len(head))), strict=True))
    return Buckets(total=values["total"], **{key: values[f"buckets.{key}"] for key in BUCKET_KEYS})


def scoped_statistics(*, year: int, ids: Any, label: str | None) -> dict[str, Any]:
    """The figures of agency ids (None = every agency) resolved once by the caller, e.g. for
    the five years of a trend: frozen for a closed year that has every row, live otherwise."""
    figures = frozen_year_figures(year=year, ids=ids, label=label) or year_figures(year=year, ids=ids, label=label)
    return figures.as_dict()


def yearly_statistics(
    *, year: int, agency: Agency | None = None, with_children: bool = False, agencies: AgencyIds = None
) -> dict[str, Any]:
    """The year's figures per D2-D4 as the JSON object of issue 5 (see the module docstring):
    from the frozen per-agency rows for a closed year that has them, live otherwise."""
    ids = scope_ids(agency=agency, with_children=with_children, agencies=agencies)
    return scoped_statistics(year=year, ids=ids, label=agency.code if agency is not None else None)


CASE_ROW_FIELDS = (
    "id", "agency__code", "kind", "litigation_instance", "number", "reviewing_body", "applicant", "subject",
    "act_description", "received_on", "status", "outcome", "concluded_on", "act_changed",
)


def case_rows(*, year: int, ids: Any) -> list[dict[str, Any]]:
    """The proceedings handled in the year with their bucket at year end, for the case list export."""
    from cases.querysets.cases import bucket_expression

    year = validate_year(year)
    rows = (
        handled_cases(year, ids)
        .annotate(bucket=bucket_expression(year))
        .order_by("received_on", "id")
        .values(*CASE_ROW_FIELDS, "bucket")
    )
    return [
        {**row, "received_on": _iso(row["received_on"]), "concluded_on": _iso(row["concluded_on"])}
        for row in rows
    ]


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
