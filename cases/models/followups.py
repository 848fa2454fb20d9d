"""After the decision (D11, D12): grounds of a loss, follow-up letters, corrective actions."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.choices import FollowUpStatus, FollowUpType, Ground
from cases.models.case import ConstraintErrorsOnFields
from cases.querysets.followups import CaseGroundQuerySet, CorrectiveActionQuerySet, FollowUpQuerySet

__all__ = ["CaseGround", "CorrectiveAction", "FollowUp"]


class CaseGround(models.Model):
    """One ground the reviewing body gave for correcting the act or ruling against the bureau (D12)."""

    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.CASCADE, related_name="grounds")
    ground = models.CharField(_("纠错/败诉理由"), max_length=30, choices=Ground.choices)
    history = HistoricalRecords()

    objects = CaseGroundQuerySet.as_manager()

    class Meta:
        verbose_name = _("纠错/败诉理由")
        verbose_name_plural = _("纠错/败诉理由")
        ordering = ["case", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "ground"], name="case_ground_once_per_case",
                violation_error_message=_("同一理由只能记录一次。"),
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_ground_display())


class FollowUp(ConstraintErrorsOnFields):
    """A 检察建议, 司法建议 or 行政复议意见书 the bureau must answer; linked to its case or to the agency alone."""

    agency = models.ForeignKey(
        "cases.Agency", verbose_name=_("机关"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("关联案件"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    type = models.CharField(_("类型"), max_length=30, choices=FollowUpType.choices)
    issuing_body = models.CharField(_("发出机关"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    received_on = models.DateField(_("收到日期"))
    summary = models.TextField(_("主要内容"), blank=True)
    due_on = models.DateField(_("答复期限"))
    due_given = models.BooleanField(
        _("文书另定期限"), default=False, help_text=_("文书自行规定了答复期限;不再按法定期限计算。")
    )
    provisional = models.BooleanField(_("暂定"), default=False)
    # D10: the version of the reply rule in force on the received date (casetracker.rules).
    rule_version = models.CharField(_("适用法律版本"), max_length=20, blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    reply_document_number = models.CharField(_("答复文号"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    objects = FollowUpQuerySet.as_manager()

    constraint_fields: ClassVar[dict[str, str]] = {
        "follow_up_status_matches_answer": "answered_on",
        "follow_up_due_after_received": "due_on",
        "follow_up_answered_not_before_received": "answered_on",
    }

    class Meta:
        verbose_name = _("跟进事项")
        verbose_name_plural = _("跟进事项")
        ordering = ["-received_on", "-id"]
        indexes = [
            # Consumers: the 跟进事项 list (open and overdue filters) and the dashboard panel.
            models.Index(fields=["agency", "status", "due_on"], name="follow_up_agency_status_idx"),
            # Consumer: the yearly figures (received / answered in a year).
            models.Index(fields=["agency", "received_on"], name="follow_up_agency_received_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=FollowUpStatus.OPEN, answered_on__isnull=True)
                | Q(status=FollowUpStatus.ANSWERED, answered_on__lte=F("due_on"))
                | Q(status=FollowUpStatus.ANSWERED_LATE, answered_on__gt=F("due_on")),
                name="follow_up_status_matches_answer",
                violation_error_message=_("状态与答复日期不符:未答复为待答复,期限内答复为已按期答复,期限后答复为逾期答复。"),
            ),
            models.CheckConstraint(
                condition=Q(due_on__gt=F("received_on")),
                name="follow_up_due_after_received",
                violation_error_message=_("答复期限必须晚于收到日期。"),
            ),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=F("received_on")),
                name="follow_up_answered_not_before_received",
                violation_error_message=_("答复日期不能早于收到日期。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.document_number or self.issuing_body}"


class CorrectiveAction(ConstraintErrorsOnFields):
    """整改措施 after a lost case or a follow-up letter: what, who, by when; a deadline of the bureau."""

    agency = models.ForeignKey(
        "cases.Agency", verbose_name=_("机关"), on_delete=models.PROTECT, related_name="corrective_actions"
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="corrective_actions",
    )
    follow_up = models.ForeignKey(
        FollowUp, verbose_name=_("跟进事项"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="corrective_actions",
    )
    description = models.TextField(_("整改措施"))
    responsible_unit = models.CharField(_("责任单位"), max_length=200)
    due_on = models.DateField(_("完成期限"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)
    # The reminded deadline on the case (none for an action of a follow-up without a case).
    deadline = models.OneToOneField(
        "cases.Deadline", verbose_name=_("期限"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="corrective_action",
    )
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    objects = CorrectiveActionQuerySet.as_manager()

    constraint_fields: ClassVar[dict[str, str]] = {"corrective_action_has_subject": "case"}

    class Meta:
        verbose_name = _("整改措施")
        verbose_name_plural = _("整改措施")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False) | Q(follow_up__isnull=False),
                name="corrective_action_has_subject",
                violation_error_message=_("整改措施必须关联案件或跟进事项。"),
            ),
        ]

    def __str__(self) -> str:
        return self.description[:50]
