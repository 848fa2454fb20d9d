"""Choices for the case models: the public codes of DOMAIN.md D8.

The codes and the outcome -> bucket map come from casetracker.outcomes; this
module only gives them Django labels (Chinese first, English in the locale).
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


class Role(models.TextChoices):
    STAFF = "staff", _("承办人(法制工作人员)")
    LEADER = "leader", _("负责人")
    VIEWER = "viewer", _("查看者")
    ADMIN = "admin", _("管理员")


class LeaderRank(models.TextChoices):
    """Ranks of a leader; SPC20 Art. 2 decides which count as a responsible person."""

    PRINCIPAL = "principal", _("正职负责人")
    DEPUTY = "deputy", _("副职负责人")
    IN_CHARGE = "in_charge", _("分管负责人")
    SHARED_CHARGE = "shared_charge", _("参与分管的其他负责人")
    NON_COUNTING = "non_counting", _("其他领导(不计为负责人)")


# SPC20 Art. 2: 正职, 副职, the leader in charge and other leaders sharing charge.
RESPONSIBLE_RANKS = frozenset(
    {LeaderRank.PRINCIPAL, LeaderRank.DEPUTY, LeaderRank.IN_CHARGE, LeaderRank.SHARED_CHARGE}
)


class HearingKind(models.TextChoices):
    COURT = "court", _("庭审")
    RECONSIDERATION = "reconsideration", _("复议听证")
    OTHER = "other", _("其他")


class HearingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("已排期")
    HELD = "held", _("已开庭")
    POSTPONED = "postponed", _("已延期")
    CANCELLED = "cancelled", _("已取消")


class AbsenceReason(models.TextChoices):
    """SPC20 Art. 8: the valid reasons a responsible person cannot attend."""

    FORCE_MAJEURE = "force_majeure", _("不可抗力")
    ACCIDENT = "accident", _("意外事件")
    OFFICIAL_DUTY = "official_duty", _("需要履行他人不能代替的公务")
    OTHER = "other", _("其他正当事由")
