"""The defence package of a case: its evidence list, the submissions of it, and office templates (issue 13).

The bureau files its defence (答辩状 / 答复书) with all its evidence and the normative
documents it relied on within the defence / reply period; evidence filed late is
deemed absent (ALL 34, 67; ARL 48, 70). cases/services/evidence.py keeps the list.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.choices.defence import EvidenceGroup, FilingCode
from cases.models.case import ConstraintErrorsOnFields
from cases.querysets.defence import EvidenceItemQuerySet, EvidenceSubmissionQuerySet, FilingTemplateQuerySet

__all__ = ["EvidenceItem", "EvidenceSubmission", "FilingTemplate"]


class EvidenceSubmission(ConstraintErrorsOnFields):
    """One filing of evidence to the court or reviewing body: the first, or a supplementary one."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="evidence_submissions"
    )
    submitted_on = models.DateField(_("提交日期"))
    supplementary = models.BooleanField(_("补充提交"), default=False)
    # The defence / reply deadline's due day when the submission was recorded; None when
    # the case has no such deadline (e.g. a second-instance case).
    due_on = models.DateField(_("举证期限届满日"), null=True, blank=True)
    # ALL 34: evidence filed after the period is deemed absent; kept, flagged and counted.
    late = models.BooleanField(_("逾期提交"), default=False)
    items_count = models.PositiveSmallIntegerField(_("证据数量"), default=0)
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = EvidenceSubmissionQuerySet.as_manager()

    constraint_fields: ClassVar[dict[str, str]] = {"evidence_submission_late_iff_after_due": "submitted_on"}

    class Meta:
        verbose_name = _("证据提交记录")
        verbose_name_plural = _("证据提交记录")
        ordering = ["submitted_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(late=True) & Q(due_on__isnull=False) & Q(submitted_on__gt=F("due_on")))
                | (Q(late=False) & (Q(due_on__isnull=True) | Q(submitted_on__lte=F("due_on")))),
                name="evidence_submission_late_iff_after_due",
                violation_error_message=_("提交日期晚于举证期限届满日的,才是逾期提交。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} {self.submitted_on.isoformat()}"


class EvidenceItem(ConstraintErrorsOnFields):
    """One row of a case's evidence list (证据目录), numbered within its group."""

    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.CASCADE, related_name="evidence")
    group = models.CharField(_("类别"), max_length=12, choices=EvidenceGroup.choices, default=EvidenceGroup.EVIDENCE)
    position = models.PositiveIntegerField(_("序号"))
    name = models.CharField(_("证据名称"), max_length=300)
    source = models.CharField(_("证据来源"), max_length=300, blank=True)
    purpose = models.TextField(_("证明目的"), blank=True)
    pages = models.PositiveSmallIntegerField(_("页数"), null=True, blank=True)
    original = models.BooleanField(_("原件"), default=False, help_text=_("勾选为原件,不勾选为复印件。"))
    documents = models.ManyToManyField(
        "cases.Document", verbose_name=_("对应文件"), blank=True, related_name="evidence_items"
    )
    submission = models.ForeignKey(
        EvidenceSubmission, verbose_name=_("提交记录"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="items",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[documents])

    objects = EvidenceItemQuerySet.as_manager()

    constraint_fields: ClassVar[dict[str, str]] = {
        "evidence_position_unique_in_group": "position",
        "evidence_position_from_one": "position",
    }

    class Meta:
        verbose_name = _("证据目录条目")
        verbose_name_plural = _("证据目录条目")
        ordering = ["case", "group", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "group", "position"],
                name="evidence_position_unique_in_group",
                violation_error_message=_("同一类别中已有相同序号的证据。"),
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1),
                name="evidence_position_from_one",
                violation_error_message=_("序号从1开始。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_group_display()} {self.position}. {self.name}"


def filing_template_upload_to(instance: FilingTemplate, filename: str) -> str:
    return f"filing-templates/{instance.agency.code}/{instance.code}/{filename}"


class FilingTemplate(models.Model):
    """An agency's own version of a shipped filing template; reverting archives it."""

    agency = models.ForeignKey(
        "cases.Agency", verbose_name=_("机关"), on_delete=models.PROTECT, related_name="filing_templates"
    )
    code = models.CharField(_("文书"), max_length=30, choices=FilingCode.choices)
    file = models.FileField(_("模板文件"), upload_to=filing_template_upload_to)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    # Reverting to the shipped template archives the custom one (kept, with its history).
    archived_at = models.DateTimeField(_("停用时间"), null=True, blank=True)
    history = HistoricalRecords()

    objects = FilingTemplateQuerySet.as_manager()

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        ordering = ["agency", "code", "-uploaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "code"],
                condition=Q(archived_at__isnull=True),
                name="filing_template_one_active_per_code",
                violation_error_message=_("该机关的这份文书已有一份在用的自定义模板。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency.code} {self.get_code_display()}"
