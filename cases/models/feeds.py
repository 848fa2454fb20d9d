"""Personal iCalendar feeds: one secret token per user (RFC 5545 clients cannot log in)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_feed_token() -> str:
    """32 random bytes, URL-safe: the token is the only credential of the feed."""
    return secrets.token_urlsafe(32)


class CalendarFeedToken(models.Model):
    """A user's secret token for the .ics feed of their hearings and deadlines (日程订阅)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE,
        related_name="calendar_feed_token",
    )
    token = models.CharField(_("令牌"), max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(_("生成时间"), auto_now=True)

    class Meta:
        verbose_name = _("日程订阅令牌")
        verbose_name_plural = _("日程订阅令牌")

    def __str__(self) -> str:
        return f"{self.user} feed"
