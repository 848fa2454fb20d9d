"""Suspensions of a case: every 中止 and its 恢复, kept as records (ARL 39; ALL 61, INT18)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models.case import ConstraintErrorsOnFields
from cases.querysets.suspensions import SuspensionQuerySet


class Suspension(ConstraintErrorsOnFields):
    """One 中止 of a proceeding (from, reason) and its 恢复 (to); the open one has no end yet.

    The reviewing body's and the court's own time limits do not run while a case is
    suspended, so the case services extend them by the suspended days (docs/deadlines.md).
    """

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="suspensions"
    )
    suspended_on = models.DateField(_("中止日期"))
    reason = models.TextField(_("中止原因"))
    resumed_on = models.DateField(_("恢复日期"), null=True, blank=True)
    resume_note = models.TextField(_("恢复说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    objects = SuspensionQuerySet.as_manager()

    constraint_fields: ClassVar[dict[str, str]] = {
        "suspension_resumed_not_before_suspended": "resumed_on",
        "suspension_one_open_per_case": "suspended_on",
    }

    class Meta:
        verbose_name = _("中止记录")
        verbose_name_plural = _("中止记录")
        ordering = ["suspended_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resumed_on__isnull=True) | Q(resumed_on__gte=F("suspended_on")),
                name="suspension_resumed_not_before_suspended",
                violation_error_message=_("恢复日期不能早于中止日期。"),
            ),
            models.UniqueConstraint(
                fields=["case"], condition=Q(resumed_on__isnull=True),
                name="suspension_one_open_per_case",
                violation_error_message=_("该案件已有未恢复的中止。"),
            ),
        ]

    def __str__(self) -> str:
        end = self.resumed_on.isoformat() if self.resumed_on else "…"
        return f"{self.suspended_on.isoformat()} – {end}"

    @property
    def days(self) -> int:
        """Days the proceeding stood still: from the suspension to the resumption (0 while open)."""
        if self.resumed_on is None:
            return 0
        return (self.resumed_on - self.suspended_on).days
