"""A ledger import started on the 导入台账 page: its file, its check, its result."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.choices import LedgerImportStatus
from cases.querysets.imports import LedgerImportQuerySet


def ledger_upload_to(instance: LedgerImport, filename: str) -> str:
    return f"imports/{instance.agency.code}/{filename}"


class LedgerImport(models.Model):
    """One uploaded ledger: checked (a dry run), then confirmed and imported, with its counts and errors."""

    agency = models.ForeignKey("cases.Agency", verbose_name=_("机关"), on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(_("文件"), upload_to=ledger_upload_to)
    filename = models.CharField(_("文件名"), max_length=255)
    status = models.CharField(
        _("状态"), max_length=12, choices=LedgerImportStatus.choices, default=LedgerImportStatus.CHECKING
    )
    # {"created", "updated", "unchanged", "errors": [...], "warnings": [...]} of the dry run and of the import.
    check_result = models.JSONField(_("检查结果"), null=True, blank=True)
    result = models.JSONField(_("导入结果"), null=True, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    history = HistoricalRecords()

    objects = LedgerImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("台账导入")
        verbose_name_plural = _("台账导入")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.filename
