"""Hearings of a case and who of the bureau attended them (D4, D7)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.choices import AbsenceReason, HearingKind, HearingStatus
from cases.models.case import ConstraintErrorsOnFields
from cases.querysets.hearings import HearingQuerySet


def absence_proof_upload_to(instance: Hearing, filename: str) -> str:
    return f"hearings/{instance.case.agency.code}/{instance.case_id}/{filename}"


class Hearing(ConstraintErrorsOnFields):
    """A court hearing (庭审) or reconsideration hearing (听证) and its attendance record."""

    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="hearings")
    kind = models.CharField(_("类型"), max_length=20, choices=HearingKind.choices, default=HearingKind.COURT)
    scheduled_at = models.DateTimeField(_("开庭时间"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=HearingStatus.choices, default=HearingStatus.SCHEDULED
    )
    expected_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("拟出庭负责人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    # Attendance, filled when the hearing is recorded as held (SPC20 Arts. 2, 8, 9).
    bureau_appeared = models.BooleanField(_("我局出庭"), null=True, blank=True)
    responsible_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("出庭负责人"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    attending_staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("出庭工作人员"), blank=True, related_name="+"
    )
    lawyer_names = models.CharField(_("委托律师"), max_length=300, blank=True)
    absence_reason = models.CharField(
        _("负责人未出庭事由"), max_length=20, choices=AbsenceReason.choices, blank=True
    )
    absence_detail = models.TextField(_("事由说明"), blank=True)
    absence_proof = models.FileField(_("未出庭证明材料"), upload_to=absence_proof_upload_to, blank=True)
    notes = models.TextField(_("备注"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[attending_staff])

    objects = HearingQuerySet.as_manager()

    constraint_fields: ClassVar[dict[str, str]] = {
        "hearing_held_has_attendance": "bureau_appeared",
        "hearing_absent_leader_has_reason": "absence_reason",
        "hearing_leader_means_bureau_appeared": "bureau_appeared",
    }

    class Meta:
        verbose_name = _("开庭/听证")
        verbose_name_plural = _("开庭/听证")
        ordering = ["scheduled_at", "id"]
        indexes = [
            # The reminder sweep and the attendance roll-up read hearings by status and time.
            models.Index(fields=["status", "scheduled_at"], name="hearing_status_time_idx"),
            # The attendance roll-up (D4) of a province or the nation: the year's held hearings
            # read from this index alone, with every column the rates count.
            models.Index(fields=["scheduled_at"], name="hearing_held_idx",
                         include=["id", "case", "kind", "bureau_appeared", "responsible_person"],
                         condition=Q(status=HearingStatus.HELD, archived_at__isnull=True)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=HearingStatus.HELD) | Q(bureau_appeared__isnull=False),
                name="hearing_held_has_attendance",
                violation_error_message=_("已开庭的庭审必须记录我局出庭情况。"),
            ),
            models.CheckConstraint(
                condition=~Q(status=HearingStatus.HELD)
                | Q(responsible_person__isnull=False)
                | ~Q(absence_reason=""),
                name="hearing_absent_leader_has_reason",
                violation_error_message=_("负责人未出庭的,必须填写未出庭事由(出庭应诉规定第8条)。"),
            ),
            models.CheckConstraint(
                condition=Q(responsible_person__isnull=True) | Q(bureau_appeared=True),
                name="hearing_leader_means_bureau_appeared",
                violation_error_message=_("负责人出庭即视为我局出庭。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} {self.scheduled_at:%Y-%m-%d %H:%M}"

    @property
    def leader_attended(self) -> bool:
        return self.responsible_person_id is not None

    @property
    def proof_missing(self) -> bool:
        """Held without a responsible person and without the Art. 9 proof (a ledger import): flag it."""
        return self.status == HearingStatus.HELD and self.responsible_person_id is None and not self.absence_proof

    @property
    def nobody_attended(self) -> bool:
        """我局无人出庭: held, and neither a responsible person nor any of the bureau's own staff attended (D7)."""
        return self.status == HearingStatus.HELD and self.bureau_appeared is False

    @property
    def lawyer_only(self) -> bool:
        """A lawyer alone does not count as the bureau appearing (D7); flag it."""
        return self.status == HearingStatus.HELD and not self.bureau_appeared and bool(self.lawyer_names)
