"""Choices of yearly report snapshots: which kind of version a row is."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    YEAR_END = "year_end", _("年终报告")
    ON_DEMAND = "on_demand", _("重新生成")
    RUNNING = "running", _("本年实时统计")
