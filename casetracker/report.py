"""A year's figures and their wording for the annual rule-of-law report (DOMAIN.md D2-D4).

Pure Python, no Django: the database roll-up (cases/querysets/statistics.py)
fills a `YearFigures`; this module owns its JSON shape (`as_dict` / `from_dict`,
the contract of `manage.py yearly_stats --format json` and
`GET /api/statistics/yearly/`), the percent display and the paragraph for the
法治政府建设年度报告 in Chinese (`text_zh`) and English (`text_en`).

    figures = YearFigures.from_dict(yearly_statistics(year=2021, agency=bureau))
    text_zh(figures)  # "2021年，我局共处理被行政复议案件和行政应诉案件25件，……"
    figures_diff(old_dict, new_dict)  # [{"key": "buckets.upheld", "before": 18, "after": 19}]

Rates are fractions 0-1 rounded to 4 places in JSON (`rate`), shown as percents
with at most one decimal; an empty denominator gives `rate: null` and "—".
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from casetracker.followups import GROUND_LABELS, Ground
from casetracker.outcomes import Kind

BUCKET_KEYS: tuple[str, ...] = (
    "upheld",
    "corrected",
    "withdrawn",
    "withdrawn_after_act_changed",
    "mediated",
    "other",
    "pending",
)
RATE_KEYS: tuple[str, ...] = (
    "correction",
    "loss",
    "court_appearance",
    "leader_appearance",
    "hearing_appearance",
    "hearing_leader_appearance",
)
KIND_KEYS: tuple[str, ...] = (Kind.RECONSIDERATION.value, Kind.LITIGATION.value)
GROUND_KEYS: tuple[str, ...] = tuple(g.value for g in Ground)
FOLLOW_UP_KEYS: tuple[str, ...] = ("received", "answered", "answered_on_time", "open")
CORRECTIVE_ACTION_KEYS: tuple[str, ...] = ("due", "done")

# Chinese and English names of the buckets (D3) and rates (D4), for tables and exports.
BUCKET_LABELS: dict[str, tuple[str, str]] = {
    "upheld": ("维持", "Upheld"),
    "corrected": ("纠错/败诉", "Corrected / lost"),
    "withdrawn": ("撤回", "Withdrawn"),
    "withdrawn_after_act_changed": ("其中：我局自行纠正后撤回", "of which after the bureau changed its act"),
    "mediated": ("调解", "Mediated"),
    "other": ("其他", "Other"),
    "pending": ("未结", "Pending"),
}
RATE_LABELS: dict[str, tuple[str, str]] = {
    "correction": ("行政复议纠错率", "Reconsideration correction rate"),
    "loss": ("行政诉讼败诉率", "Litigation loss rate"),
    "court_appearance": ("出庭应诉率", "Court appearance rate"),
    "leader_appearance": ("负责人出庭应诉率", "Responsible-person court appearance rate"),
    "hearing_appearance": ("行政复议听证参加率", "Reconsideration hearing attendance rate"),
    "hearing_leader_appearance": ("负责人参加听证率", "Responsible-person hearing attendance rate"),
}
DASH = "—"


@dataclass(frozen=True)
class Rate:
    """numerator / denominator; no rate at all when nothing was there to count (D4)."""

    numerator: int = 0
    denominator: int = 0

    def __post_init__(self) -> None:
        if self.numerator < 0 or self.denominator < 0 or self.numerator > self.denominator:
            raise ValueError(f"impossible rate {self.numerator}/{self.denominator}")

    @property
    def rate(self) -> float | None:
        """The fraction 0-1, rounded to 4 places; None for an empty denominator."""
        if self.denominator == 0:
            return None
        return round(self.numerator / self.denominator, 4)

    @property
    def percent(self) -> str:
        """"100%", "87.5%", "—". Never rounds a partial rate up to 100% or down to 0%."""
        if self.denominator == 0:
            return DASH
        if self.numerator in (0, self.denominator):
            return "0%" if self.numerator == 0 else "100%"
        text = f"{self.numerator * 100 / self.denominator:.1f}".rstrip("0").rstrip(".")
        text = {"100": "99.9", "0": "0.1"}.get(text, text)
        return f"{text}%"

    @property
    def fraction(self) -> str:
        return f"{self.numerator}/{self.denominator}"

    def __str__(self) -> str:
        return self.percent

    def as_dict(self) -> dict[str, Any]:
        return {"numerator": self.numerator, "denominator": self.denominator, "rate": self.rate}


@dataclass(frozen=True)
class Buckets:
    """Proceedings handled in a year by bucket (D3); withdrawn_after_act_changed is part of withdrawn."""

    total: int = 0
    upheld: int = 0
    corrected: int = 0
    withdrawn: int = 0
    withdrawn_after_act_changed: int = 0
    mediated: int = 0
    other: int = 0
    pending: int = 0

    def __post_init__(self) -> None:
        parts = self.upheld + self.corrected + self.withdrawn + self.mediated + self.other + self.pending
        if parts != self.total:
            raise ValueError(f"buckets add up to {parts}, not {self.total}")
        if not 0 <= self.withdrawn_after_act_changed <= self.withdrawn:
            raise ValueError("withdrawn_after_act_changed must be within withdrawn")

    def buckets_dict(self) -> dict[str, int]:
        return {key: int(getattr(self, key)) for key in BUCKET_KEYS}

    def as_dict(self) -> dict[str, int]:
        return {"total": self.total, **self.buckets_dict()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], total: int | None = None) -> Buckets:
        values = {key: int(data.get(key, 0)) for key in BUCKET_KEYS}
        return cls(total=int(data["total"]) if total is None else total, **values)


def _zero_rates() -> dict[str, Rate]:
    return {key: Rate() for key in RATE_KEYS}


def _zeros(keys: tuple[str, ...]) -> dict[str, int]:
    return dict.fromkeys(keys, 0)


def _counts(data: Mapping[str, Any] | None, keys: tuple[str, ...]) -> dict[str, int]:
    """The counts of ``keys`` from a stored dict; a snapshot from before a key existed reads 0."""
    return {key: int((data or {}).get(key, 0)) for key in keys}


@dataclass(frozen=True)
class YearFigures:
    """Everything the annual report says about one year, for one agency (or a set, or all)."""

    year: int
    agency: str | None = None
    overall: Buckets = field(default_factory=Buckets)
    by_kind: dict[str, Buckets] = field(default_factory=dict)
    by_subject: dict[str, Buckets] = field(default_factory=dict)
    rates: dict[str, Rate] = field(default_factory=_zero_rates)
    # D12: proceedings corrected/lost in the year by ground (one proceeding may have several);
    # follow-up letters received / answered (on time) in the year and open at its end;
    # corrective actions due in the year and, of those, done by its end.
    grounds: dict[str, int] = field(default_factory=lambda: _zeros(GROUND_KEYS))
    follow_ups: dict[str, int] = field(default_factory=lambda: _zeros(FOLLOW_UP_KEYS))
    corrective_actions: dict[str, int] = field(default_factory=lambda: _zeros(CORRECTIVE_ACTION_KEYS))

    @property
    def total(self) -> int:
        return self.overall.total

    @property
    def buckets(self) -> dict[str, int]:
        return self.overall.buckets_dict()

    def kind(self, kind: str) -> Buckets:
        return self.by_kind.get(kind, Buckets())

    def as_dict(self) -> dict[str, Any]:
        """The JSON contract (issue 5): exactly these keys, in this order."""
        return {
            "year": self.year,
            "agency": self.agency,
            "total": self.total,
            "buckets": self.buckets,
            "by_kind": {key: self.kind(key).as_dict() for key in KIND_KEYS},
            "by_subject": {code: b.as_dict() for code, b in self.by_subject.items()},
            "rates": {key: self.rates.get(key, Rate()).as_dict() for key in RATE_KEYS},
            "grounds": _counts(self.grounds, GROUND_KEYS),
            "follow_ups": _counts(self.follow_ups, FOLLOW_UP_KEYS),
            "corrective_actions": _counts(self.corrective_actions, CORRECTIVE_ACTION_KEYS),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> YearFigures:
        return cls(
            year=int(data["year"]),
            agency=data.get("agency"),
            overall=Buckets.from_dict(data["buckets"], total=int(data["total"])),
            by_kind={k: Buckets.from_dict(v) for k, v in data.get("by_kind", {}).items()},
            by_subject={k: Buckets.from_dict(v) for k, v in data.get("by_subject", {}).items()},
            rates={
                k: Rate(int(v["numerator"]), int(v["denominator"])) for k, v in data.get("rates", {}).items()
            },
            grounds=_counts(data.get("grounds"), GROUND_KEYS),
            follow_ups=_counts(data.get("follow_ups"), FOLLOW_UP_KEYS),
            corrective_actions=_counts(data.get("corrective_actions"), CORRECTIVE_ACTION_KEYS),
        )


# --- Chinese wording -----------------------------------------------------------------------


def _zh_case_scope(figures: YearFigures) -> str:
    recon, lit = figures.kind(Kind.RECONSIDERATION).total, figures.kind(Kind.LITIGATION).total
    if recon and not lit:
        return "被行政复议案件"
    if lit and not recon:
        return "行政应诉案件"
    return "被行政复议案件和行政应诉案件"


def _zh_items(figures: YearFigures) -> list[tuple[int, str, str, str]]:
    """Each bucket, corrected split by kind: (count, "其中" phrase with {n}, phrase for all, for the only case)."""
    withdrawn, withdrawn_all, withdrawn_one = "撤回我局行政行为{n}件", "均已撤回", "已撤回"
    changed = figures.overall.withdrawn_after_act_changed
    if changed:
        # "其中2件" of 2 reads wrong: when every withdrawal followed a correction, say 均系 (1 case: 系).
        if changed == figures.overall.withdrawn:
            withdrawn += "（系我局自行纠正后撤回）" if changed == 1 else "（均系我局自行纠正后撤回）"
            withdrawn_all, withdrawn_one = "均系我局自行纠正后撤回", "系我局自行纠正后撤回"
        else:
            note = f"（其中{changed}件系我局自行纠正后撤回）"
            withdrawn, withdrawn_all = withdrawn + note, withdrawn_all + note
    return [
        (figures.overall.upheld, "审理机关维持我局行政行为{n}件", "审理机关均维持我局行政行为",
         "审理机关维持我局行政行为"),
        (figures.kind(Kind.RECONSIDERATION).corrected, "被复议机关纠错{n}件", "均被复议机关纠错",
         "被复议机关纠错"),
        (figures.kind(Kind.LITIGATION).corrected, "被人民法院判决败诉{n}件", "均被人民法院判决败诉",
         "被人民法院判决败诉"),
        (figures.overall.withdrawn, withdrawn, withdrawn_all, withdrawn_one),
        (figures.overall.mediated, "调解结案{n}件", "均调解结案", "调解结案"),
        (figures.overall.other, "以其他方式结案{n}件", "均以其他方式结案", "以其他方式结案"),
        (figures.overall.pending, "未结案的{n}件", "均未结案", "尚未结案"),
    ]


def _zh_headline(figures: YearFigures) -> str:
    if figures.total == 0:
        return f"{figures.year}年，我局未发生被行政复议和行政应诉案件。"
    head = f"{figures.year}年，我局共处理{_zh_case_scope(figures)}{figures.total}件"
    recon, lit = figures.kind(Kind.RECONSIDERATION).total, figures.kind(Kind.LITIGATION).total
    if recon and lit:
        head += f"（行政复议{recon}件、行政诉讼{lit}件）"
    items = [item for item in _zh_items(figures) if item[0]]
    if len(items) == 1:
        return f"{head}，{items[0][3] if figures.total == 1 else items[0][2]}。"
    return head + "，其中" + "，".join(some.format(n=n) for n, some, _, _ in items) + "。"


def _zh_concluded_rates(figures: YearFigures) -> str:
    parts = []
    correction, loss = figures.rates["correction"], figures.rates["loss"]
    if correction.denominator:
        parts.append(
            f"行政复议案件审结{correction.denominator}件，被纠错{correction.numerator}件，"
            f"纠错率{correction.percent}"
        )
    if loss.denominator:
        parts.append(f"行政诉讼案件审结{loss.denominator}件，败诉{loss.numerator}件，败诉率{loss.percent}")
    return "；".join(parts) + "。" if parts else ""


def _zh_attendance(figures: YearFigures) -> str:
    court, leader = figures.rates["court_appearance"], figures.rates["leader_appearance"]
    hearing, hearing_leader = figures.rates["hearing_appearance"], figures.rates["hearing_leader_appearance"]
    parts = []
    if court.denominator:
        parts.append(
            f"行政诉讼案件开庭{court.denominator}次，我局出庭{court.numerator}次，"
            f"出庭应诉率{court.percent}（{court.fraction}）；"
            f"开庭审理的{leader.denominator}件行政诉讼案件中，负责人出庭应诉{leader.numerator}件，"
            f"负责人出庭应诉率{leader.percent}（{leader.fraction}）"
        )
    elif figures.kind(Kind.LITIGATION).total:
        parts.append(f"行政诉讼案件全年未开庭审理，出庭应诉率{DASH}")
    if hearing.denominator:
        parts.append(
            f"行政复议听证{hearing.denominator}次，我局参加{hearing.numerator}次，"
            f"听证参加率{hearing.percent}（{hearing.fraction}）；"
            f"举行听证的{hearing_leader.denominator}件行政复议案件中，负责人参加听证{hearing_leader.numerator}件，"
            f"负责人参加听证率{hearing_leader.percent}（{hearing_leader.fraction}）"
        )
    return "。".join(parts) + "。" if parts else ""


def _zh_aftermath(figures: YearFigures) -> str:
    """One sentence on D12 (grounds, follow-up letters, corrective actions); "" when all are zero."""
    parts = []
    grounds = [f"{GROUND_LABELS[Ground(key)][0]}{n}件" for key, n in figures.grounds.items() if n]
    if grounds:
        parts.append("纠错、败诉案件中，审理机关认定" + "、".join(grounds))
    f = figures.follow_ups
    if any(f.values()):
        text = f"全年收到检察建议、司法建议和行政复议意见书{f['received']}件，年内答复{f['answered']}件"
        if f["answered"]:
            text += f"（其中按期答复{f['answered_on_time']}件）"
        parts.append(text + f"，年末尚未答复{f['open']}件")
    a = figures.corrective_actions
    if any(a.values()):
        parts.append(f"整改措施年内到期{a['due']}项，已完成{a['done']}项")
    return "；".join(parts) + "。" if parts else ""


def text_zh(figures: YearFigures) -> str:
    """The paragraph for the 法治政府建设年度报告, naming every non-zero bucket (D3) and the rates (D4)."""
    parts = (_zh_headline(figures), _zh_concluded_rates(figures), _zh_attendance(figures), _zh_aftermath(figures))
    return "".join(part for part in parts if part)


# --- English wording -----------------------------------------------------------------------


def _cases(n: int) -> str:
    return f"{n} case" if n == 1 else f"{n} cases"


def _en_items(figures: YearFigures) -> list[str]:
    withdrawn = f"{figures.overall.withdrawn} withdrawn"
    changed = figures.overall.withdrawn_after_act_changed
    if changed:
        which = "" if changed == 1 == figures.overall.withdrawn else (
            "all " if changed == figures.overall.withdrawn else f"{changed} "
        )
        withdrawn += f" ({which}after the bureau corrected its own act)"
    items = [
        (figures.overall.upheld, f"{figures.overall.upheld} upheld"),
        (figures.kind(Kind.RECONSIDERATION).corrected,
         f"{figures.kind(Kind.RECONSIDERATION).corrected} corrected on reconsideration"),
        (figures.kind(Kind.LITIGATION).corrected, f"{figures.kind(Kind.LITIGATION).corrected} lost in court"),
        (figures.overall.withdrawn, withdrawn),
        (figures.overall.mediated, f"{figures.overall.mediated} mediated"),
        (figures.overall.other, f"{figures.overall.other} closed otherwise"),
        (figures.overall.pending, f"{figures.overall.pending} pending"),
    ]
    return [text for n, text in items if n]


def _en_headline(figures: YearFigures) -> str:
    if figures.total == 0:
        return f"In {figures.year} no administrative reconsideration or litigation was brought against the bureau."
    recon, lit = figures.kind(Kind.RECONSIDERATION).total, figures.kind(Kind.LITIGATION).total
    head = (
        f"In {figures.year} the bureau handled {_cases(figures.total)} as respondent in administrative "
        f"reconsideration or defendant in administrative litigation ({recon} reconsideration, {lit} litigation)"
    )
    items = _en_items(figures)
    if len(items) == 1:
        phrase = items[0].split(" ", 1)[1]
        return f"{head}: {phrase}." if figures.total == 1 else f"{head}: all {phrase}."
    return f"{head}: " + ", ".join(items) + "."


def _en_rates(figures: YearFigures) -> str:
    shown = []
    for key in RATE_KEYS:
        rate = figures.rates[key]
        if rate.denominator:
            shown.append(f"{RATE_LABELS[key][1].lower()} {rate.percent} ({rate.fraction})")
    if not shown:
        return ""
    text = "; ".join(shown)
    return " " + text[0].upper() + text[1:] + "."


def _en_aftermath(figures: YearFigures) -> str:
    parts = []
    grounds = [f"{GROUND_LABELS[Ground(key)][1].lower()} {n}" for key, n in figures.grounds.items() if n]
    if grounds:
        parts.append("grounds of corrections and losses: " + ", ".join(grounds))
    f = figures.follow_ups
    if any(f.values()):
        parts.append(
            f"{f['received']} recommendation or opinion letters received, {f['answered']} answered "
            f"({f['answered_on_time']} on time), {f['open']} open at the year's end"
        )
    a = figures.corrective_actions
    if any(a.values()):
        parts.append(f"{a['due']} corrective actions due, {a['done']} done")
    if not parts:
        return ""
    text = "; ".join(parts)
    return " " + text[0].upper() + text[1:] + "."


def text_en(figures: YearFigures) -> str:
    """The same paragraph in English."""
    return _en_headline(figures) + _en_rates(figures) + _en_aftermath(figures)


# --- Differences between two versions --------------------------------------------------------


def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(data, Mapping):
        out: dict[str, Any] = {}
        for key, value in data.items():
            out.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: data}


def figures_diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every figure that differs, as dotted keys: [{"key": "rates.loss.numerator", "before": 1, "after": 2}]."""
    old, new = _flatten(before), _flatten(after)
    return [
        {"key": key, "before": old.get(key), "after": new.get(key)}
        for key in sorted(old.keys() | new.keys())
        if old.get(key) != new.get(key)
    ]


__all__ = [
    "BUCKET_KEYS",
    "CORRECTIVE_ACTION_KEYS",
    "FOLLOW_UP_KEYS",
    "GROUND_KEYS",
    "BUCKET_LABELS",
    "DASH",
    "KIND_KEYS",
    "RATE_KEYS",
    "RATE_LABELS",
    "Buckets",
    "Rate",
    "YearFigures",
    "counts_layout",
    "counts_sum",
    "figure_count_keys",
    "figures_counts",
    "figures_diff",
    "figures_from_counts",
    "text_en",
    "text_zh",
]



# --- Frozen counts: a snapshot's numbers as one flat list ----------------------------------
#
# A supervising body's roll-up of a closed year adds up its agencies' frozen rows (issue 17).
# Each row keeps, next to its figures, every number of them as a flat list in the order of
# ``figure_count_keys``; adding thousands of rows is then adding lists column by column, and
# ``counts_layout`` (a digest of that order) tells whether two rows' lists line up.


def figure_count_keys(subjects: Iterable[str]) -> tuple[str, ...]:
    """Every count of ``YearFigures.as_dict()`` as a dotted key, in a fixed order."""
    def buckets(prefix: str) -> list[str]:
        return [f"{prefix}.total", *(f"{prefix}.{key}" for key in BUCKET_KEYS)]

    return (
        "total",
        *(f"buckets.{key}" for key in BUCKET_KEYS),
        *(key for kind in KIND_KEYS for key in buckets(f"by_kind.{kind}")),
        *(key for code in subjects for key in buckets(f"by_subject.{code}")),
        *(f"rates.{key}.{part}" for key in RATE_KEYS for part in ("numerator", "denominator")),
        *(f"grounds.{key}" for key in GROUND_KEYS),
        *(f"follow_ups.{key}" for key in FOLLOW_UP_KEYS),
        *(f"corrective_actions.{key}" for key in CORRECTIVE_ACTION_KEYS),
    )


def counts_layout(keys: Iterable[str]) -> str:
    """A short digest of the key order: rows with the same layout can be added column by column."""
    return hashlib.blake2b("|".join(keys).encode(), digest_size=8).hexdigest()


def figures_counts(data: Mapping[str, Any], keys: Iterable[str]) -> list[int]:
    """The numbers of a figures JSON object (``as_dict()``) in the order of ``keys``; absent ones are 0."""
    flat = _flatten(data)
    return [int(flat.get(key) or 0) for key in keys]


def counts_sum(vectors: Iterable[list[int]], width: int) -> list[int]:
    """Column sums of equally long count lists (``zip`` and ``sum`` run in C)."""
    vectors = list(vectors)
    if not vectors:
        return [0] * width
    return [sum(column) for column in zip(*vectors, strict=True)]


def figures_from_counts(
    *, year: int, agency: str | None, counts: list[int], keys: tuple[str, ...], subjects: Iterable[str]
) -> YearFigures:
    """The YearFigures that a summed count list stands for (the inverse of ``figures_counts``)."""
    value = dict(zip(keys, counts, strict=True))

    def buckets(prefix: str) -> Buckets:
        return Buckets(total=value[f"{prefix}.total"], **{key: value[f"{prefix}.{key}"] for key in BUCKET_KEYS})

    return YearFigures(
        year=year,
        agency=agency,
        overall=Buckets(total=value["total"], **{key: value[f"buckets.{key}"] for key in BUCKET_KEYS}),
        by_kind={kind: buckets(f"by_kind.{kind}") for kind in KIND_KEYS},
        by_subject={code: buckets(f"by_subject.{code}") for code in subjects},
        rates={key: Rate(value[f"rates.{key}.numerator"], value[f"rates.{key}.denominator"]) for key in RATE_KEYS},
        grounds={key: value[f"grounds.{key}"] for key in GROUND_KEYS},
        follow_ups={key: value[f"follow_ups.{key}"] for key in FOLLOW_UP_KEYS},
        corrective_actions={key: value[f"corrective_actions.{key}"] for key in CORRECTIVE_ACTION_KEYS},
    )
