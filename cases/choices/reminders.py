"""Choices of reminders: the channels a reminder goes out on and a delivery's status."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderChannel(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    IN_APP = "in_app", _("站内通知")
    WEBHOOK = "webhook", _("群机器人")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
