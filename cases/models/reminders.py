"""Reminders: the delivery outbox (one row per reminder, recipient and channel) and in-app notifications.

A ReminderDelivery row is written before anything is sent; its unique key is what
makes each reminder go out once (docs/reminders.md). Deliveries are their own audit
log (status, attempts, last error, who claimed them and when), so they carry no
simple_history table: the claim is a conditional UPDATE that history would not see
anyway, and a history row per status change would triple the outbox's writes.
Notifications only ever change their read mark, which is not worth a history either.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.choices import DeliveryStatus, ReminderChannel
from cases.querysets.notifications import NotificationQuerySet, ReminderDeliveryQuerySet

__all__ = ["DeliveryStatus", "Notification", "ReminderChannel", "ReminderDelivery"]




class ReminderDelivery(models.Model):
    """One reminder to one recipient on one channel: written once, then claimed, sent and marked."""

    # Exactly one subject: a deadline, a hearing, or (for a daily digest) a day.
    deadline = models.ForeignKey(
        "cases.Deadline", verbose_name=_("期限"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="reminder_deliveries",
    )
    hearing = models.ForeignKey(
        "cases.Hearing", verbose_name=_("开庭/听证"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="reminder_deliveries",
    )
    digest_on = models.DateField(_("汇总日期"), null=True, blank=True)
    # Which reminder, naming the date it is about so a moved date is reminded again:
    # lead_5wd@2025-10-09, lead_3d@.., due_day@.., overdue_2025-10-10, escalation_overdue_2025-10-10,
    # hearing_5d@2025-10-10T09:00, escalation_leader@.., digest (cases/services/reminders.py).
    reminder = models.CharField(_("提醒"), max_length=60)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE,
        related_name="reminder_deliveries",
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=ReminderChannel.choices)
    agency = models.ForeignKey(
        "cases.Agency", verbose_name=_("机关"), on_delete=models.PROTECT, related_name="+",
    )
    # The message that was sent: empty when the sweep writes the row, worded by whoever first
    # sends it (cases/services/reminder_words.py, dated the day the reminder fell due) and never
    # reworded, so a retry or a takeover sends the same words and the row keeps them.
    title = models.CharField(_("标题"), max_length=300)
    body = models.TextField(_("正文"))
    url = models.CharField(_("链接"), max_length=300, blank=True)

    status = models.CharField(
        _("状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    # Sends that timed out: the far side may have taken the message, so the outcome is
    # unknown and the row is retried at most once more (docs/reminders.md, timeouts).
    timeouts = models.PositiveSmallIntegerField(_("超时次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    # Failed for good: when, whether the next day's sweep has given it its one more try,
    # and when the agency's administrators were told by e-mail.
    failed_at = models.DateTimeField(_("失败时间"), null=True, blank=True)
    retried_next_day = models.BooleanField(_("已次日重试"), default=False)
    failure_reported_at = models.DateTimeField(_("失败通知时间"), null=True, blank=True)
    # The sweep run that inserted the row: after INSERT .. ON CONFLICT DO NOTHING it
    # re-selects by this token to learn which rows it (and only it) created.
    created_by_sweep = models.CharField(_("创建批次"), max_length=40, db_index=True)
    # Look at this row again at: the creator's exclusive window, then the retry backoff.
    next_attempt_at = models.DateTimeField(_("下次尝试时间"))
    claimed_at = models.DateTimeField(_("认领时间"), null=True, blank=True)
    claimed_by = models.CharField(_("认领者"), max_length=120, null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ReminderDeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("提醒发送记录")
        verbose_name_plural = _("提醒发送记录")
        ordering = ["-created_at", "-id"]
        indexes = [
            # Consumer: cases.services.reminder_outbox.deliveries_recover (the sweep's claim of pending
            # rows whose creator died or whose retry is due), ordered by next_attempt_at.
            models.Index(
                fields=["next_attempt_at"], condition=Q(status="pending"), name="reminder_delivery_pending_idx"
            ),
            # Consumer: the same sweep, finding sends whose worker died (lease expired).
            models.Index(fields=["claimed_at"], condition=Q(status="sending"), name="reminder_delivery_sending_idx"),
            # Consumer: the admin's failure list and the status filter, the dashboard's
            # failure count, and the sweep's next-day retry and failure e-mail.
            models.Index(fields=["status", "channel"], name="reminder_delivery_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "reminder", "recipient", "channel"],
                condition=Q(deadline__isnull=False),
                name="reminder_delivery_once_per_deadline",
                violation_error_message=_("该期限的这条提醒已发送给此人。"),
            ),
            models.UniqueConstraint(
                fields=["hearing", "reminder", "recipient", "channel"],
                condition=Q(hearing__isnull=False),
                name="reminder_delivery_once_per_hearing",
                violation_error_message=_("该开庭的这条提醒已发送给此人。"),
            ),
            models.UniqueConstraint(
                fields=["recipient", "digest_on", "channel"],
                condition=Q(digest_on__isnull=False),
                name="reminder_delivery_one_digest_per_day",
                violation_error_message=_("此人当天的汇总提醒已发送。"),
            ),
            models.CheckConstraint(
                condition=Q(deadline__isnull=False, hearing__isnull=True, digest_on__isnull=True)
                | Q(deadline__isnull=True, hearing__isnull=False, digest_on__isnull=True)
                | Q(deadline__isnull=True, hearing__isnull=True, digest_on__isnull=False),
                name="reminder_delivery_one_subject",
                violation_error_message=_("提醒必须且只能针对一个期限、一次开庭或一天的汇总。"),
            ),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.SENT) | Q(sent_at__isnull=False),
                name="reminder_delivery_sent_has_time",
                violation_error_message=_("已发送的提醒必须有发送时间。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reminder} → {self.recipient_id} ({self.channel}, {self.status})"


class Notification(models.Model):
    """An in-app reminder in a user's notification list, read or unread."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(_("标题"), max_length=300)
    body = models.TextField(_("正文"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deadline = models.ForeignKey(
        "cases.Deadline", verbose_name=_("期限"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hearing = models.ForeignKey(
        "cases.Hearing", verbose_name=_("开庭/听证"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    # The in-app delivery that wrote it: unique, so a re-run send cannot add a second one.
    delivery = models.OneToOneField(
        ReminderDelivery, verbose_name=_("发送记录"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="notification",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            # Consumer: the notification list (newest first) of one user.
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_idx"),
            # Consumer: the unread badge in the page header (COUNT of a user's unread).
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
