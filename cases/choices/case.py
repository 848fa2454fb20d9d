"""Choices of a case (one proceeding, D1): kind, instance, procedure, status, subject, outcome (D8).

The outcome codes and their bucket map come from casetracker.outcomes; this module only
gives them Django labels (Chinese first, English in the locale).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    RECONSIDERATION = "reconsideration", _("行政复议")
    LITIGATION = "litigation", _("行政诉讼")


class Instance(models.TextChoices):
    FIRST = "first", _("一审")
    SECOND = "second", _("二审")
    RETRIAL = "retrial", _("再审")


class Procedure(models.TextChoices):
    ORDINARY = "ordinary", _("普通程序")
    SIMPLIFIED = "simplified", _("简易程序")


class Status(models.TextChoices):
    PENDING = "pending", _("未结")
    SUSPENDED = "suspended", _("已中止")
    CONCLUDED = "concluded", _("已结")


class Subject(models.TextChoices):
    WORK_INJURY = "work_injury", _("工伤认定")
    SOCIAL_INSURANCE = "social_insurance", _("社会保险征缴与待遇")
    LABOUR_INSPECTION = "labour_inspection", _("劳动保障监察")
    INFORMATION_DISCLOSURE = "information_disclosure", _("政府信息公开")
    QUALIFICATION = "qualification", _("职称 / 资格 / 考试")
    WORK_ABILITY = "work_ability", _("劳动能力鉴定")
    FAILURE_TO_ACT = "failure_to_act", _("不履行法定职责")
    OTHER = "other", _("其他")


class Outcome(models.TextChoices):
    """Outcome codes of D8. The labels repeat casetracker.outcomes.OUTCOME_LABELS so that
    makemessages can see them; tests/cases/test_choices.py keeps the two in step."""

    UPHELD = "upheld", _("维持")
    REQUEST_REJECTED = "request_rejected", _("驳回复议请求")
    APPLICATION_REJECTED = "application_rejected", _("驳回复议申请")
    CLAIMS_DISMISSED = "claims_dismissed", _("判决驳回诉讼请求")
    SUIT_DISMISSED = "suit_dismissed", _("裁定驳回起诉")
    REVOKED = "revoked", _("撤销")
    REVOKED_REDO = "revoked_redo", _("撤销并责令重作")
    CHANGED = "changed", _("变更")
    CONFIRMED_ILLEGAL = "confirmed_illegal", _("确认违法")
    CONFIRMED_INVALID = "confirmed_invalid", _("确认无效")
    ORDERED_TO_PERFORM = "ordered_to_perform", _("责令履行 / 判决履行")
    PAYMENT_ORDERED = "payment_ordered", _("判决给付 / 赔偿")
    REVERSED = "reversed", _("改判")
    WITHDRAWN = "withdrawn", _("撤回申请(终止) / 撤诉")
    DEEMED_WITHDRAWN = "deemed_withdrawn", _("按撤诉处理")
    MEDIATED = "mediated", _("调解")
    TERMINATED = "terminated", _("终止")
    REMANDED = "remanded", _("发回重审")


class JudgmentForm(models.TextChoices):
    """The form of a served decision: it decides the appeal window (ALL 85)."""

    JUDGMENT = "judgment", _("判决")
    RULING = "ruling", _("裁定")
