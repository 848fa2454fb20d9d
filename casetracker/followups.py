"""After the decision (DOMAIN.md D11, D12): grounds of a loss, follow-up letters and their status.

Pure Python, no Django. The codes here are public names (API, exports, the yearly JSON):

- ``Ground``: why a reviewing body corrected the act or the court ruled against the bureau
  (ALL 70, ARL 64); a proceeding that ends ``corrected`` / ``lost`` carries one or more.
- ``FollowUpType``: 检察建议, 司法建议 and 行政复议意见书, each answered by its reply deadline.
- ``follow_up_status``: open until answered; answered after the reply deadline is late.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Final

from casetracker.outcomes import BUCKET_OF, Bucket, Outcome

__all__ = [
    "GROUND_LABELS",
    "FOLLOW_UP_TYPE_LABELS",
    "FOLLOW_UP_STATUS_LABELS",
    "FollowUpStatus",
    "FollowUpType",
    "Ground",
    "REDO_OUTCOMES",
    "REPLY_RULE",
    "follow_up_status",
    "needs_grounds",
]


class Ground(StrEnum):
    """Grounds of a correction or loss (ALL 70 for judgments, ARL 64 for reconsideration decisions)."""

    INSUFFICIENT_EVIDENCE = "insufficient_evidence"  # 主要证据不足
    WRONG_LAW = "wrong_law"  # 适用法律、法规错误
    ILLEGAL_PROCEDURE = "illegal_procedure"  # 违反法定程序
    BEYOND_AUTHORITY = "beyond_authority"  # 超越职权
    ABUSE_OF_POWER = "abuse_of_power"  # 滥用职权
    MANIFESTLY_IMPROPER = "manifestly_improper"  # 明显不当
    FAILURE_TO_ACT = "failure_to_act"  # 不履行法定职责
    OTHER = "other"  # 其他


GROUND_LABELS: Final[dict[Ground, tuple[str, str]]] = {
    Ground.INSUFFICIENT_EVIDENCE: ("主要证据不足", "Insufficient main evidence"),
    Ground.WRONG_LAW: ("适用法律、法规错误", "Wrong application of law"),
    Ground.ILLEGAL_PROCEDURE: ("违反法定程序", "Violation of statutory procedure"),
    Ground.BEYOND_AUTHORITY: ("超越职权", "Beyond authority"),
    Ground.ABUSE_OF_POWER: ("滥用职权", "Abuse of power"),
    Ground.MANIFESTLY_IMPROPER: ("明显不当", "Manifestly improper"),
    Ground.FAILURE_TO_ACT: ("不履行法定职责", "Failure to perform a statutory duty"),
    Ground.OTHER: ("其他", "Other"),
}


class FollowUpType(StrEnum):
    """Letters the bureau must answer after (or apart from) a proceeding."""

    PROCURATORIAL_RECOMMENDATION = "procuratorial_recommendation"  # 检察建议
    JUDICIAL_RECOMMENDATION = "judicial_recommendation"  # 司法建议
    OPINION_LETTER = "opinion_letter"  # 行政复议意见书 (ARL 76)


FOLLOW_UP_TYPE_LABELS: Final[dict[FollowUpType, tuple[str, str]]] = {
    FollowUpType.PROCURATORIAL_RECOMMENDATION: ("检察建议", "Procuratorial recommendation"),
    FollowUpType.JUDICIAL_RECOMMENDATION: ("司法建议", "Judicial recommendation"),
    FollowUpType.OPINION_LETTER: ("行政复议意见书", "Reconsideration opinion letter"),
}


class FollowUpStatus(StrEnum):
    OPEN = "open"  # 待答复
    ANSWERED = "answered"  # 已按期答复
    ANSWERED_LATE = "answered_late"  # 逾期答复


FOLLOW_UP_STATUS_LABELS: Final[dict[FollowUpStatus, tuple[str, str]]] = {
    FollowUpStatus.OPEN: ("待答复", "Open"),
    FollowUpStatus.ANSWERED: ("已按期答复", "Answered"),
    FollowUpStatus.ANSWERED_LATE: ("逾期答复", "Answered late"),
}

#: The rule (D9, D11) a letter's reply deadline follows, and the rule's variant for that letter.
REPLY_RULE: Final[dict[FollowUpType, tuple[str, str]]] = {
    FollowUpType.PROCURATORIAL_RECOMMENDATION: ("recommendation_reply", "procuratorial"),
    FollowUpType.JUDICIAL_RECOMMENDATION: ("recommendation_reply", "judicial"),
    FollowUpType.OPINION_LETTER: ("opinion_letter_correction", ""),
}

#: Outcomes that order the bureau to make a new act: the act_redo deadline follows (D11).
REDO_OUTCOMES: Final[frozenset[Outcome]] = frozenset({Outcome.REVOKED_REDO, Outcome.ORDERED_TO_PERFORM})


def needs_grounds(outcome: Outcome | str) -> bool:
    """Whether a proceeding ending so must carry the grounds the reviewing body gave (D12)."""
    try:
        return BUCKET_OF[Outcome(outcome)] is Bucket.CORRECTED
    except ValueError:
        return False


def follow_up_status(due_on: dt.date, answered_on: dt.date | None) -> FollowUpStatus:
    """Open until answered; an answer after the reply deadline's last day is late."""
    if answered_on is None:
        return FollowUpStatus.OPEN
    return FollowUpStatus.ANSWERED if answered_on <= due_on else FollowUpStatus.ANSWERED_LATE
