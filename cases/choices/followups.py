"""Choices for the after-the-decision records (D11, D12): grounds, follow-up types and statuses.

The codes come from casetracker.followups; the labels repeat its Chinese labels so that
makemessages can see them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Ground(models.TextChoices):
    """Grounds of a correction or loss (ALL 70, ARL 64)."""

    INSUFFICIENT_EVIDENCE = "insufficient_evidence", _("主要证据不足")
    WRONG_LAW = "wrong_law", _("适用法律、法规错误")
    ILLEGAL_PROCEDURE = "illegal_procedure", _("违反法定程序")
    BEYOND_AUTHORITY = "beyond_authority", _("超越职权")
    ABUSE_OF_POWER = "abuse_of_power", _("滥用职权")
    MANIFESTLY_IMPROPER = "manifestly_improper", _("明显不当")
    FAILURE_TO_ACT = "failure_to_act", _("不履行法定职责")
    OTHER = "other", _("其他")


class FollowUpType(models.TextChoices):
    PROCURATORIAL_RECOMMENDATION = "procuratorial_recommendation", _("检察建议")
    JUDICIAL_RECOMMENDATION = "judicial_recommendation", _("司法建议")
    OPINION_LETTER = "opinion_letter", _("行政复议意见书")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("待答复")
    ANSWERED = "answered", _("已按期答复")
    ANSWERED_LATE = "answered_late", _("逾期答复")
