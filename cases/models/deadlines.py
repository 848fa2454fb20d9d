"""Deadlines of cases and the holiday calendar they are computed on (D5, D6, D9)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.choices import RULE_CHOICES, DeadlineStatus
from cases.deadline_text import basis_text, rule_version
from cases.models.text import PlainText
from cases.querysets.deadlines import DeadlineQuerySet
from casetracker.calendar import FIRST_YEAR
from casetracker.periods import MANUAL, RULES, Rule, RuleVersion

__all__ = ["CalendarYear", "Deadline", "DeadlineStatus", "HolidayOverride"]

_FIRST_DAY = dt.date(FIRST_YEAR, 1, 1)


class HolidayOverride(PlainText):
    """One day of an official holiday arrangement typed in by an administrator; it wins."""

    date = models.DateField(_("日期"), unique=True)
    is_working = models.BooleanField(_("上班"), help_text=_("勾选为上班日(含调休上班),不勾选为休息日。"))
    note = models.CharField(_("说明"), max_length=200, blank=True, help_text=_("如:国庆节、国庆节调休上班"))
    source = models.CharField(_("依据"), max_length=200, blank=True, help_text=_("如国务院办公厅通知的文号"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    # Part of the calendar's cache fingerprint (cases/services/calendar.py).
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date__gte=_FIRST_DAY),
                name="holiday_override_not_before_first_year",
                violation_error_message=_("日期不能早于 2004 年(工作日历的第一年)。"),
            ),
        ]

    def __str__(self) -> str:
        kind = _("上班") if self.is_working else _("休息")
        return f"{self.date.isoformat()} {kind} {self.note}".strip()


class CalendarYear(PlainText):
    """A year whose whole official arrangement an administrator loaded: no longer provisional."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("依据"), max_length=200, blank=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    loaded_at = models.DateTimeField(_("导入时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("已导入的年度工作日历")
        verbose_name_plural = _("已导入的年度工作日历")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR),
                name="calendar_year_not_before_first_year",
                violation_error_message=_("年份不能早于 2004 年。"),
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)


class Deadline(PlainText):
    """A statutory (D9) or manual deadline of a case, tracked until met, missed or waived."""

    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.CASCADE, related_name="deadlines")
    rule = models.CharField(_("期限规则"), max_length=40, choices=RULE_CHOICES)
    title = models.CharField(_("名称"), max_length=200, blank=True, help_text=_("手动添加的期限必须填写。"))
    trigger_on = models.DateField(
        _("起算日"), null=True, blank=True, help_text=_("起算日当天不计入(民事诉讼法第85条)。")
    )
    due_on = models.DateField(_("届满日"))
    # D10: the version of the rule in force on trigger_on (casetracker.rules), e.g. "ARL-1999".
    rule_version = models.CharField(
        _("适用法律版本"), max_length=20, blank=True, help_text=_("按起算日当日施行的法律版本计算。")
    )
    provisional = models.BooleanField(
        _("暂定"), default=False, help_text=_("所涉年度尚无官方节假日安排,仅按周末计算;导入该年日历后重新计算。")
    )
    # Denormalised from the rule so the reminder sweep needs no Python-side filter.
    is_bureau_duty = models.BooleanField(_("我局义务"), default=True)
    status = models.CharField(_("状态"), max_length=10, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    close_note = models.TextField(_("办结说明"), blank=True)
    # Waived by deadlines_sync because the case concluded; reopening the case reopens it.
    auto_closed = models.BooleanField(_("结案时自动免除"), default=False)
    overridden = models.BooleanField(_("人工调整届满日"), default=False)
    # The follow-up letter this deadline answers (D11, D12); deadlines_sync leaves such deadlines alone.
    follow_up = models.ForeignKey(
        "cases.FollowUp", verbose_name=_("跟进事项"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="deadlines",
    )
    override_reason = models.TextField(_("调整原因"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        verbose_name = _("期限")
        verbose_name_plural = _("期限")
        ordering = ["due_on", "id"]
        indexes = [
            # Consumers: the reminder sweep (open deadlines due by a date) and the
            # ledger's urgency filter; holidays_load's recompute scans it too.
            models.Index(fields=["status", "due_on"], name="deadline_status_due_idx"),
            # Consumers: the ledger's and the API's "next open deadline of this case"
            # subqueries (and their sort); without it SQLite walks every open deadline per case.
            models.Index(fields=["case", "status", "due_on"], name="deadline_case_status_due_idx"),
            # The bureau's open duties by due day (a few percent of all deadlines): what is
            # overdue, the dashboard's urgency counts and the sweep's due duties.
            models.Index(fields=["due_on", "case"], condition=Q(status="open", is_bureau_duty=True),
                         name="deadline_open_duty_due_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "rule"],
                # A case may have several follow-up letters of one kind, each with its reply deadline.
                condition=Q(status=DeadlineStatus.OPEN) & ~Q(rule=MANUAL) & Q(follow_up__isnull=True),
                name="deadline_one_open_computed_per_rule",
                violation_error_message=_("该案件已有同一规则的待办期限。"),
            ),
            models.CheckConstraint(
                condition=Q(overridden=False) | ~Q(override_reason=""),
                name="deadline_override_has_reason",
                violation_error_message=_("人工调整届满日必须填写原因。"),
            ),
            models.CheckConstraint(
                condition=Q(status=DeadlineStatus.OPEN, closed_at__isnull=True)
                | (~Q(status=DeadlineStatus.OPEN) & Q(closed_at__isnull=False)),
                name="deadline_closed_has_closed_at",
                violation_error_message=_("已办结的期限必须有办结时间,待办期限不能有。"),
            ),
            models.CheckConstraint(
                condition=(Q(rule=MANUAL) & ~Q(title="")) | (~Q(rule=MANUAL) & Q(trigger_on__isnull=False)),
                name="deadline_manual_titled_computed_triggered",
                violation_error_message=_("手动期限必须有名称;法定期限必须有起算日。"),
            ),
            models.CheckConstraint(
                condition=Q(trigger_on__isnull=True) | Q(due_on__gt=F("trigger_on")),
                name="deadline_due_after_trigger",
                violation_error_message=_("届满日必须晚于起算日。"),
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=_FIRST_DAY),
                name="deadline_due_not_before_first_year",
                violation_error_message=_("届满日不能早于 2004 年。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_title} {self.due_on.isoformat()}"

    @property
    def law_rule(self) -> Rule | None:
        """The statutory rule (None for a manual deadline)."""
        return RULES.get(self.rule)

    @property
    def display_title(self) -> str:
        return self.title_of(self.title, self.rule)

    @staticmethod
    def title_of(title: str, rule: str) -> str:
        """The title shown for a deadline: its own, else its statutory rule's (for rows read as values)."""
        law_rule = RULES.get(rule)
        return title or (law_rule.title_zh if law_rule else "")

    @property
    def law_version(self) -> RuleVersion | None:
        """The version of the rule this deadline was computed under (None for a manual one)."""
        return rule_version(self.rule, self.rule_version)

    @property
    def basis(self) -> str:
        """The law, the article and the period in words, in the active language; "" for a manual one."""
        return self.basis_of(self.rule, self.rule_version)

    @staticmethod
    def basis_of(rule: str, rule_version: str) -> str:
        """``basis`` for a deadline read as values (rule code and version): cases.deadline_text."""
        return basis_text(rule, rule_version)
