"""A case is one proceeding (D1): a reconsideration or one litigation instance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.choices import Instance, JudgmentForm, Kind, Outcome, Procedure, Status, Subject
from cases.choices.defence import TRIGGER_DOCUMENT_KINDS, DocumentKind
from cases.models.text import PlainText
from cases.querysets.cases import CaseQuerySet, concluded_or_open
from cases.querysets.documents import DocumentQuerySet
from casetracker.outcomes import OUTCOMES_BY_KIND, WITHDRAWAL_OUTCOMES
from casetracker.outcomes import Kind as LawKind

_RECON_OUTCOMES = sorted(o.value for o in OUTCOMES_BY_KIND[LawKind.RECONSIDERATION])
_LIT_OUTCOMES = sorted(o.value for o in OUTCOMES_BY_KIND[LawKind.LITIGATION])


class ConstraintErrorsOnFields(PlainText):
    """Report a violated named constraint on the field it is about, not on the whole record.

    ``constraint_fields`` maps a constraint name to that field. Django reports a
    CheckConstraint as a non-field error; forms, the admin and the API then show the
    message next to the field instead. A field the caller excluded (not on its form)
    keeps the message on the record as a whole.
    """

    constraint_fields: ClassVar[dict[str, str]] = {}

    class Meta:
        abstract = True  # a plain mixin would be written into the migrations' bases

    def validate_constraints(self, exclude: Collection[str] | None = None) -> None:
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            raise ValidationError(self._errors_on_fields(error, set(exclude or ()))) from None

    def _errors_on_fields(self, error: ValidationError, exclude: set[str]) -> dict[str, list[ValidationError]]:
        field_of = {
            str(constraint.get_violation_error_message()): self.constraint_fields[constraint.name]
            for constraint in self._meta.constraints
            if constraint.name in self.constraint_fields
        }
        out: dict[str, list[ValidationError]] = {}
        for key, errors in error.error_dict.items():
            for item in errors:
                field = field_of.get(item.messages[0], key) if key == NON_FIELD_ERRORS else key
                out.setdefault(NON_FIELD_ERRORS if field in exclude else field, []).append(item)
        return out


class Case(ConstraintErrorsOnFields):
    """One proceeding against the agency, linked to the one before it in its chain."""

    agency = models.ForeignKey(
        "cases.Agency", verbose_name=_("机关"), on_delete=models.PROTECT, related_name="cases"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    litigation_instance = models.CharField(
        _("审级"), max_length=10, choices=Instance.choices, blank=True,
        help_text=_("仅行政诉讼填写:一审、二审或再审。"),
    )
    procedure = models.CharField(
        _("程序"), max_length=12, choices=Procedure.choices, default=Procedure.ORDINARY
    )
    number = models.CharField(_("案号"), max_length=100, help_text=_("如 (2021)桂04行初12号 或 梧政复〔2021〕5号"))
    number_year = models.PositiveSmallIntegerField(_("案号年份"), null=True, blank=True)
    reviewing_body = models.CharField(_("审理机关"), max_length=200, help_text=_("法院或复议机关"))
    applicant = models.CharField(_("申请人/原告"), max_length=300)
    third_parties = models.TextField(_("第三人"), blank=True)
    subject = models.CharField(_("案由"), max_length=30, choices=Subject.choices)
    act_description = models.TextField(_("被诉(被申请)行政行为"), blank=True)
    act_document_number = models.CharField(_("行政行为文号"), max_length=100, blank=True)
    act_date = models.DateField(_("行政行为作出日期"), null=True, blank=True)

    # Facts that trigger statutory periods (D9); see cases/services/deadlines.py.
    received_on = models.DateField(_("收到复议申请书副本/起诉状副本日期"))
    accepted_on = models.DateField(_("受理/立案日期"), null=True, blank=True)
    appeal_received_on = models.DateField(_("收到上诉状副本日期"), null=True, blank=True)
    judgment_form = models.CharField(
        _("裁判文书类型"), max_length=10, choices=JudgmentForm.choices, blank=True
    )
    judgment_served_on = models.DateField(_("裁判文书送达日期"), null=True, blank=True)
    decision_served_on = models.DateField(_("复议决定送达申请人日期"), null=True, blank=True)
    effective_on = models.DateField(_("裁判生效日期"), null=True, blank=True)
    # D11: the bureau's own duties after a retrial application or an order to act anew.
    retrial_application_received_on = models.DateField(
        _("收到再审申请书副本日期"), null=True, blank=True,
        help_text=_("仅行政诉讼:十五日内提交书面意见(民事诉讼法第214条)。"),
    )
    decision_received_on = models.DateField(
        _("我局收到复议决定书日期"), null=True, blank=True,
        help_text=_("仅行政复议:决定撤销并责令重作或责令履行的,自此日起六十日内重新作出行政行为;未填按结案日期计算。"),
    )
    redo_due_on = models.DateField(
        _("判决确定的重新作出行政行为期限"), null=True, blank=True,
        help_text=_("仅行政诉讼:判决撤销并责令重作或判决履行的,按判决确定的期限填写届满日。"),
    )
    decision_extended = models.BooleanField(
        _("复议决定期限已延长"), default=False,
        help_text=_("复议机构负责人批准延长30日并书面告知(行政复议法第62条)。"),
    )

    handlers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("承办人"), blank=True, related_name="handled_cases"
    )
    co_defendant = models.BooleanField(_("共同被告"), default=False)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("前一程序"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_proceedings",
    )

    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PENDING)
    suspended_on = models.DateField(_("中止日期"), null=True, blank=True)
    outcome = models.CharField(_("结果"), max_length=30, choices=Outcome.choices, blank=True)
    concluded_on = models.DateField(_("结案日期"), null=True, blank=True)
    act_changed = models.BooleanField(
        _("我局先行改变或撤回行政行为"), default=False,
        help_text=_("撤回/撤诉前,我局已改变或撤回被诉行政行为(行政诉讼法第62条)。"),
    )
    decision_number = models.CharField(_("决定书/裁判文书号"), max_length=100, blank=True)
    notes = models.TextField(_("备注"), blank=True)

    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[handlers])

    objects = CaseQuerySet.as_manager()

    constraint_fields: ClassVar[dict[str, str]] = {
        "case_concluded_has_outcome_and_date": "outcome",
        "case_concluded_not_before_received": "concluded_on",
        "case_instance_only_for_litigation": "litigation_instance",
        "case_outcome_fits_kind": "outcome",
        "case_act_changed_only_on_withdrawal": "act_changed",
        "case_accepted_not_before_act": "accepted_on",
        "case_act_not_after_received": "act_date",
        "case_suspended_on_only_when_suspended": "suspended_on",
        "case_number_unique_per_reviewing_body": "number",
        "case_retrial_application_only_for_litigation": "retrial_application_received_on",
        "case_decision_received_only_for_reconsideration": "decision_received_on",
        "case_redo_due_only_for_litigation": "redo_due_on",
    }

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ["-received_on", "-id"]
        indexes = [
            # The yearly roll-up (D2) filters on these two dates.
            models.Index(fields=["agency", "received_on"], name="case_agency_received_idx"),
            models.Index(fields=["agency", "concluded_on"], name="case_agency_concluded_idx"),
            models.Index(fields=["status"], name="case_status_idx"),
            # The lists' default order (-received_on, -id) over the active cases: a national or
            # provincial list walks it and stops after one page (issue 17, docs/api.md).
            models.Index(fields=["received_on", "id"], condition=Q(archived_at__isnull=True),
                         name="case_active_received_idx"),
            # The open active cases, a small part of a province's history: the dashboard's
            # urgency counts and the open-case lists read them without a pass over every case.
            models.Index(fields=["agency", "id"], condition=Q(archived_at__isnull=True) & ~Q(status="concluded"),
                         name="case_open_idx"),
            # Concluded active cases by conclusion day, newest first: the dashboard's list of
            # corrected/lost cases without grounds (D12) stops after one page.
            models.Index(fields=["concluded_on", "id"], condition=Q(archived_at__isnull=True, status="concluded"),
                         name="case_concluded_idx"),
            # The yearly roll-up of many agencies (D2 handled_in, one range on the expression),
            # covering every column it counts: a province's or the nation's open year is read
            # from this index alone, not from a million rows (issue 17, docs/statistics.md).
            models.Index(concluded_or_open(), "received_on", name="case_handled_idx",
                         include=["id", "agency", "kind", "subject", "status", "outcome", "act_changed",
                                  "concluded_on"],
                         condition=Q(archived_at__isnull=True)),
            # The same for one agency or a few hundred (a bureau's or a province's roll-up): the
            # agency first, so each agency's handled cases are one short index-only range.
            models.Index("agency", concluded_or_open(), "received_on", name="case_agency_handled_idx",
                         include=["id", "kind", "subject", "status", "outcome", "act_changed", "concluded_on"],
                         condition=Q(archived_at__isnull=True)),
            # Hearings counted for the attendance rates look up their case's kind and agency.
            models.Index(fields=["id"], include=["kind", "agency"], condition=Q(archived_at__isnull=True),
                         name="case_active_kind_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status=Status.CONCLUDED) & ~Q(outcome="") & Q(concluded_on__isnull=False))
                | (~Q(status=Status.CONCLUDED) & Q(outcome="") & Q(concluded_on__isnull=True)),
                name="case_concluded_has_outcome_and_date",
                violation_error_message=_("已结案件必须有结果和结案日期;未结案件不能有结果或结案日期。"),
            ),
            models.CheckConstraint(
                condition=Q(concluded_on__isnull=True) | Q(concluded_on__gte=F("received_on")),
                name="case_concluded_not_before_received",
                violation_error_message=_("结案日期不能早于收到日期。"),
            ),
            models.CheckConstraint(
                condition=(Q(kind=Kind.LITIGATION) & Q(litigation_instance__in=Instance.values))
                | (Q(kind=Kind.RECONSIDERATION) & Q(litigation_instance="")),
                name="case_instance_only_for_litigation",
                violation_error_message=_("行政诉讼案件必须填写审级;行政复议案件不填审级。"),
            ),
            models.CheckConstraint(
                condition=Q(outcome="")
                | Q(kind=Kind.RECONSIDERATION, outcome__in=_RECON_OUTCOMES)
                | Q(kind=Kind.LITIGATION, outcome__in=_LIT_OUTCOMES),
                name="case_outcome_fits_kind",
                violation_error_message=_("该结果不适用于此类案件。"),
            ),
            models.CheckConstraint(
                condition=Q(act_changed=False)
                | Q(outcome__in=sorted(o.value for o in WITHDRAWAL_OUTCOMES)),
                name="case_act_changed_only_on_withdrawal",
                violation_error_message=_("“我局先行改变行政行为”仅适用于撤回或撤诉结案的案件。"),
            ),
            models.CheckConstraint(
                condition=Q(accepted_on__isnull=True) | Q(accepted_on__gte=F("act_date")) | Q(act_date__isnull=True),
                name="case_accepted_not_before_act",
                violation_error_message=_("受理日期不能早于行政行为作出日期。"),
            ),
            models.CheckConstraint(
                condition=Q(act_date__isnull=True) | Q(act_date__lte=F("received_on")),
                name="case_act_not_after_received",
                violation_error_message=_("行政行为作出日期不能晚于收到复议申请书副本/起诉状副本日期。"),
            ),
            models.CheckConstraint(
                condition=Q(suspended_on__isnull=True) | Q(status=Status.SUSPENDED),
                name="case_suspended_on_only_when_suspended",
                violation_error_message=_("只有中止的案件才有中止日期。"),
            ),
            models.CheckConstraint(
                condition=Q(retrial_application_received_on__isnull=True) | Q(kind=Kind.LITIGATION),
                name="case_retrial_application_only_for_litigation",
                violation_error_message=_("收到再审申请书副本日期仅适用于行政诉讼案件。"),
            ),
            models.CheckConstraint(
                condition=Q(decision_received_on__isnull=True) | Q(kind=Kind.RECONSIDERATION),
                name="case_decision_received_only_for_reconsideration",
                violation_error_message=_("我局收到复议决定书日期仅适用于行政复议案件。"),
            ),
            models.CheckConstraint(
                condition=Q(redo_due_on__isnull=True) | Q(kind=Kind.LITIGATION),
                name="case_redo_due_only_for_litigation",
                violation_error_message=_("判决确定的重新作出行政行为期限仅适用于行政诉讼案件;行政复议按六十日自动计算。"),
            ),
            models.UniqueConstraint(
                fields=["agency", "reviewing_body", "number"],
                name="case_number_unique_per_reviewing_body",
                violation_error_message=_("同一审理机关下已有相同案号的案件。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.applicant}"

    @property
    def is_open(self) -> bool:
        return self.status != Status.CONCLUDED

    def chain(self) -> list[Case]:
        """Every proceeding linked to this one, from the first to the last."""
        first = self
        seen = {self.pk}
        while first.previous_id and first.previous_id not in seen:
            first = first.previous  # type: ignore[assignment]
            seen.add(first.pk)
        ordered, frontier = [first], [first]
        while frontier:
            nxt = list(Case.objects.filter(previous__in=frontier).order_by("received_on", "id"))
            ordered.extend(nxt)
            frontier = nxt
        return ordered


def document_upload_to(instance: Document, filename: str) -> str:
    return f"documents/{instance.case.agency.code}/{instance.case_id}/{filename}"


class Document(PlainText):
    """A file attached to a case (judgment, complaint, proof of a leader's absence)."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(_("标题"), max_length=200)
    kind = models.CharField(_("文书类型"), max_length=30, choices=DocumentKind.choices, default=DocumentKind.OTHER)
    dated_on = models.DateField(_("收到/发出日期"), null=True, blank=True)
    file = models.FileField(_("文件"), upload_to=document_upload_to)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    objects = DocumentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("文书材料")
        verbose_name_plural = _("文书材料")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def offered_trigger(self) -> dt.date | None:
        """The day this document offers as the defence / reply period's trigger, if it differs.

        Receiving the complaint copy, the court's 应诉通知书 or the application copy starts
        the bureau's period (ALL 67, ARL 48); the case's received_on is that trigger.
        """
        if self.kind in TRIGGER_DOCUMENT_KINDS and self.dated_on and self.dated_on != self.case.received_on:
            return self.dated_on
        return None
