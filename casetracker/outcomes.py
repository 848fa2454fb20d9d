"""Outcome codes and the yearly buckets they fall into (DOMAIN.md D3, D8).

This module is the one place where an outcome is mapped to its bucket; the
Django models, the statistics queries and the report wording all read it.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum


class Kind(StrEnum):
    RECONSIDERATION = "reconsideration"  # 行政复议
    LITIGATION = "litigation"  # 行政诉讼


class Instance(StrEnum):
    FIRST = "first"  # 一审
    SECOND = "second"  # 二审
    RETRIAL = "retrial"  # 再审


class Bucket(StrEnum):
    """The yearly buckets of D3; every outcome maps to exactly one."""

    UPHELD = "upheld"  # 维持
    CORRECTED = "corrected"  # 纠错 (reconsideration) / 败诉 (litigation)
    WITHDRAWN = "withdrawn"  # 撤回
    MEDIATED = "mediated"  # 调解
    OTHER = "other"  # 其他 (终止, 移送, 发回重审)
    PENDING = "pending"  # 未结 (includes 中止)


class Outcome(StrEnum):
    """The public outcome codes of D8."""

    UPHELD = "upheld"
    REQUEST_REJECTED = "request_rejected"
    APPLICATION_REJECTED = "application_rejected"
    CLAIMS_DISMISSED = "claims_dismissed"
    SUIT_DISMISSED = "suit_dismissed"
    REVOKED = "revoked"
    REVOKED_REDO = "revoked_redo"
    CHANGED = "changed"
    CONFIRMED_ILLEGAL = "confirmed_illegal"
    CONFIRMED_INVALID = "confirmed_invalid"
    ORDERED_TO_PERFORM = "ordered_to_perform"
    PAYMENT_ORDERED = "payment_ordered"
    REVERSED = "reversed"
    WITHDRAWN = "withdrawn"
    DEEMED_WITHDRAWN = "deemed_withdrawn"
    MEDIATED = "mediated"
    TERMINATED = "terminated"
    REMANDED = "remanded"


# Chinese and English labels, D8's table.
OUTCOME_LABELS: dict[Outcome, tuple[str, str]] = {
    Outcome.UPHELD: ("维持", "Upheld"),
    Outcome.REQUEST_REJECTED: ("驳回复议请求", "Reconsideration request rejected"),
    Outcome.APPLICATION_REJECTED: ("驳回复议申请", "Application rejected after acceptance"),
    Outcome.CLAIMS_DISMISSED: ("判决驳回诉讼请求", "Claims dismissed by judgment"),
    Outcome.SUIT_DISMISSED: ("裁定驳回起诉", "Suit dismissed by ruling"),
    Outcome.REVOKED: ("撤销", "Revoked"),
    Outcome.REVOKED_REDO: ("撤销并责令重作", "Revoked, act to be redone"),
    Outcome.CHANGED: ("变更", "Changed"),
    Outcome.CONFIRMED_ILLEGAL: ("确认违法", "Confirmed illegal"),
    Outcome.CONFIRMED_INVALID: ("确认无效", "Confirmed invalid"),
    Outcome.ORDERED_TO_PERFORM: ("责令履行 / 判决履行", "Ordered to perform"),
    Outcome.PAYMENT_ORDERED: ("判决给付 / 赔偿", "Payment or compensation ordered"),
    Outcome.REVERSED: ("改判", "Reversed against the bureau"),
    Outcome.WITHDRAWN: ("撤回申请(终止) / 撤诉", "Withdrawn"),
    Outcome.DEEMED_WITHDRAWN: ("按撤诉处理", "Deemed withdrawn"),
    Outcome.MEDIATED: ("调解", "Mediated"),
    Outcome.TERMINATED: ("终止", "Terminated"),
    Outcome.REMANDED: ("发回重审", "Remanded for retrial"),
}

BUCKET_OF: dict[Outcome, Bucket] = {
    Outcome.UPHELD: Bucket.UPHELD,
    Outcome.REQUEST_REJECTED: Bucket.UPHELD,
    Outcome.APPLICATION_REJECTED: Bucket.UPHELD,
    Outcome.CLAIMS_DISMISSED: Bucket.UPHELD,
    Outcome.SUIT_DISMISSED: Bucket.UPHELD,
    Outcome.REVOKED: Bucket.CORRECTED,
    Outcome.REVOKED_REDO: Bucket.CORRECTED,
    Outcome.CHANGED: Bucket.CORRECTED,
    Outcome.CONFIRMED_ILLEGAL: Bucket.CORRECTED,
    Outcome.CONFIRMED_INVALID: Bucket.CORRECTED,
    Outcome.ORDERED_TO_PERFORM: Bucket.CORRECTED,
    Outcome.PAYMENT_ORDERED: Bucket.CORRECTED,
    Outcome.REVERSED: Bucket.CORRECTED,
    Outcome.WITHDRAWN: Bucket.WITHDRAWN,
    Outcome.DEEMED_WITHDRAWN: Bucket.WITHDRAWN,
    Outcome.MEDIATED: Bucket.MEDIATED,
    Outcome.TERMINATED: Bucket.OTHER,
    Outcome.REMANDED: Bucket.OTHER,
}

_RECONSIDERATION_ONLY = {Outcome.REQUEST_REJECTED, Outcome.APPLICATION_REJECTED}
_LITIGATION_ONLY = {
    Outcome.CLAIMS_DISMISSED,
    Outcome.SUIT_DISMISSED,
    Outcome.REVERSED,
    Outcome.DEEMED_WITHDRAWN,
    Outcome.REMANDED,
}
# 改判 and 发回重审 are decided by a higher court, so a first instance cannot end so.
_NOT_FIRST_INSTANCE = {Outcome.REVERSED, Outcome.REMANDED}
_SECOND_INSTANCE_ONLY = {Outcome.REMANDED}

OUTCOMES_BY_KIND: dict[Kind, frozenset[Outcome]] = {
    Kind.RECONSIDERATION: frozenset(set(Outcome) - _LITIGATION_ONLY),
    Kind.LITIGATION: frozenset(set(Outcome) - _RECONSIDERATION_ONLY),
}

WITHDRAWAL_OUTCOMES: frozenset[Outcome] = frozenset(
    o for o, b in BUCKET_OF.items() if b is Bucket.WITHDRAWN
)


def outcomes_for(kind: Kind | str, instance: Instance | str | None = None) -> list[Outcome]:
    """The outcomes a proceeding of this kind (and litigation instance) may end with (at any date)."""
    allowed = set(OUTCOMES_BY_KIND[Kind(kind)])
    if instance:
        if Instance(instance) is Instance.FIRST:
            allowed -= _NOT_FIRST_INSTANCE
        elif Instance(instance) is Instance.RETRIAL:
            allowed -= _SECOND_INSTANCE_ONLY
    return [o for o in Outcome if o in allowed]


def outcome_fits(outcome: Outcome | str, kind: Kind | str, instance: Instance | str | None = None) -> bool:
    """Whether the outcome is one this proceeding can end with (D8 'kinds' column)."""
    try:
        return Outcome(outcome) in outcomes_for(kind, instance)
    except ValueError:
        return False


# D10: the 2014 amendment of the ALL (in force 2015-05-01) abolished the 维持判决 of ALL 1989
# Art. 54; a first-instance court that finds the act lawful now 判决驳回诉讼请求 (ALL 69).
UPHELD_JUDGMENT_ABOLISHED_ON = date(2015, 5, 1)


def outcome_in_force_between(
    outcome: Outcome | str, kind: Kind | str, instance: Instance | str | None
) -> tuple[date | None, date | None]:
    """The conclusion dates on which the law knew this outcome for this proceeding (D10).

    ``(since, before)``: in force from ``since`` (None: always was) until the day before
    ``before`` (None: still is). The one table of outcomes that changed with the law;
    ``outcome_in_force`` and the pages' outcome lists read it.
    """
    first_instance = Kind(kind) is Kind.LITIGATION and instance and Instance(instance) is Instance.FIRST
    if first_instance and outcome == Outcome.UPHELD:
        return None, UPHELD_JUDGMENT_ABOLISHED_ON
    return None, None


def outcome_in_force(
    outcome: Outcome | str, kind: Kind | str, instance: Instance | str | None, concluded_on: date
) -> bool:
    """Whether the law in force on ``concluded_on`` knew this outcome for this proceeding (D10).

    Only the outcomes that changed with the law are refused here; whether the outcome
    fits the kind at all is ``outcome_fits``.
    """
    since, before = outcome_in_force_between(outcome, kind, instance)
    return (since is None or since <= concluded_on) and (before is None or concluded_on < before)


def outcomes_allowed(kind: Kind | str, instance: Instance | str | None, concluded_on: date) -> list[Outcome]:
    """The outcomes a proceeding of this kind and instance may end with on ``concluded_on`` (D8, D10)."""
    return [o for o in outcomes_for(kind, instance) if outcome_in_force(o, kind, instance, concluded_on)]


def outcomes_in_bucket(bucket: Bucket) -> list[Outcome]:
    return [o for o, b in BUCKET_OF.items() if b is bucket]


def current_bucket(outcome: str, *, concluded: bool) -> Bucket:
    """A proceeding's bucket as of today: its outcome's once concluded, else pending.

    The Python twin of cases.querysets.cases.bucket_expression() without a year, for rows
    read as values (the case list formats the bucket instead of asking SQL for a CASE).
    """
    if not concluded:
        return Bucket.PENDING
    return _BUCKET_OF_CODE.get(outcome, Bucket.PENDING)


_BUCKET_OF_CODE: dict[str, Bucket] = {outcome.value: bucket for outcome, bucket in BUCKET_OF.items()}
