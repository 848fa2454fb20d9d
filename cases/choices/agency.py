"""Choices of agencies and their members: roles and leader ranks (SPC20 Art. 2)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
