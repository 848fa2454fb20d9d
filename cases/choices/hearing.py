"""Choices of a hearing: kind, status, and why a responsible person could not attend (SPC20 Art. 8)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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


class Attendance(models.TextChoices):
    """Who of the bureau attended, the first question of the attendance form (D7)."""

    LEADER = "leader", _("负责人出庭")
    STAFF = "staff", _("负责人未出庭,工作人员出庭")
    NOBODY = "nobody", _("我局无人出庭")
