"""Choices of deadlines: status, rule codes (D9 + manual) and urgency levels.

The codes themselves come from casetracker.periods; this module only gives them Django labels.
"""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from casetracker.periods import MANUAL, RULES, Urgency


class DeadlineStatus(models.TextChoices):
    OPEN = "open", _("待办")
    MET = "met", _("已完成")
    MISSED = "missed", _("已错过")
    WAIVED = "waived", _("已免除")


class DeadlineUrgency(models.TextChoices):
    """The ledger's warning levels (casetracker.periods.Urgency explains each)."""

    OVERDUE = Urgency.OVERDUE.value, _("已逾期")
    DUE_3_WORKING_DAYS = Urgency.DUE_3_WORKING_DAYS.value, _("3个工作日内到期")
    DUE_7_DAYS = Urgency.DUE_7_DAYS.value, _("7日内到期")
    LATER = Urgency.LATER.value, _("尚早")


#: (code, label) for Deadline.rule: every D9 rule by its Chinese title, then "manual".
RULE_CHOICES: list[tuple[str, str | Promise]] = [(code, rule.title_zh) for code, rule in RULES.items()]
RULE_CHOICES.append((MANUAL, _("手动添加")))
