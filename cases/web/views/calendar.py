"""The hearings calendar (month / week) and the personal iCalendar feed."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from rest_framework.throttling import SimpleRateThrottle

from cases.models import CalendarFeedToken
from cases.services.calendar import workday_calendar
from cases.services.feeds import feed_token_for, feed_token_regenerate
from cases.web.agenda import deadlines_between, grid, hearings_between
from cases.web.ics import calendar_feed
from cases.web.views.common import is_htmx

# The feed covers what a phone needs: recent past and the coming year.
FEED_PAST = dt.timedelta(days=60)
FEED_FUTURE = dt.timedelta(days=400)
FEED_TOKEN = re.compile(r"[-_A-Za-z0-9]{1,64}")


def _anchor(request: HttpRequest) -> tuple[dt.date, str]:
    """The day the view is centred on; an unreadable date falls back to today with a message."""
    raw = request.GET.get("date", "")
    today = timezone.localdate()
    if not raw:
        return today, ""
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        return today, _("日期“%(d)s”无效,已显示本月。") % {"d": raw}
    if not 2004 <= day.year <= 2100:
        return today, _("日期超出范围,已显示本月。")
    return day, ""


@login_required
@require_GET
def calendar_page(request: HttpRequest) -> HttpResponse:
    anchor, problem = _anchor(request)
    view = "week" if request.GET.get("view") == "week" else "month"
    mine = request.GET.get("mine") == "1"
    weeks, first, last = grid(request.user, view, anchor, workday_calendar(), mine=mine)
    step = dt.timedelta(days=7)
    if view == "month":
        previous, following = (first - dt.timedelta(days=1)).replace(day=1), last + dt.timedelta(days=1)
    else:
        previous, following = anchor - step, anchor + step
    token = feed_token_for(user=request.user)
    context = {
        "weeks": weeks, "view": view, "first": first, "last": last, "anchor": anchor, "mine": mine,
        "previous": previous, "following": following, "today": timezone.localdate(), "problem": problem,
        "feed_url": request.build_absolute_uri(f"/calendar/feed/{token.token}.ics"),
    }
    template = "calendar/_grid.html" if is_htmx(request) else "calendar/calendar.html"
    return render(request, template, context)


@login_required
@require_POST
def feed_regenerate(request: HttpRequest) -> HttpResponse:
    feed_token_regenerate(user=request.user)
    messages.success(request, _("已生成新的订阅地址;旧地址已失效,请在手机或 Outlook 中重新订阅。"))
    return redirect("calendar")


class FeedThrottle(SimpleRateThrottle):
    """Per address (settings: REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["calendar-feed"]):
    a calendar app polls every few minutes; someone guessing tokens asks many times a second."""

    scope = "calendar-feed"

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


@require_GET
def calendar_feed_view(request: HttpRequest, token: str) -> HttpResponse:
    """No login (calendar apps cannot log in): the secret token is the credential."""
    throttle = FeedThrottle()
    if not throttle.allow_request(request, None):
        response = HttpResponse(_("请求过于频繁,请稍后再试。"), status=429, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(int(throttle.wait() or 60))
        return response
    # token_urlsafe() characters only: anything else (a NUL byte would upset PostgreSQL) is simply unknown.
    well_formed = FEED_TOKEN.fullmatch(token) is not None
    tokens = CalendarFeedToken.objects.select_related("user__membership__agency")
    found = tokens.filter(token=token).first() if well_formed else None
    if found is None or not found.user.is_active:
        raise Http404(_("订阅地址无效。"))
    user = found.user
    today = timezone.localdate()
    start, end = today - FEED_PAST, today + FEED_FUTURE
    mine = request.GET.get("mine") == "1"
    host = request.get_host().split(":")[0] or "casetracker"
    body = calendar_feed(
        hearings_between(user, start, end, mine=mine), deadlines_between(user, start, end, mine=mine),
        host=host, base_url=request.build_absolute_uri("/").rstrip("/"), name=_("庭审与期限"),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="casetracker.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response

