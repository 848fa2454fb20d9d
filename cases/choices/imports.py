"""Choices of ledger imports (cases/models/imports.py)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LedgerImportStatus(models.TextChoices):
    CHECKING = "checking", _("检查中")
    CHECKED = "checked", _("已检查")
    IMPORTING = "importing", _("导入中")
    IMPORTED = "imported", _("已导入")
    FAILED = "failed", _("导入失败")
