"""Admin for the reminder outbox and in-app notifications (read-only; failures shown with their error).

Rows are written by the sweep and the send tasks only; the one write here is the
"send again" action on failed deliveries, which goes through a service.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cases.admin.common import ReadOnlyScopedAdmin, person_column
from cases.admin.site import site
from cases.models import Agency, Membership
from cases.models.reminders import DeliveryStatus, Notification, ReminderDelivery
from cases.permissions import is_admin
from cases.services.reminder_outbox import deliveries_retry


class FailedFilter(admin.SimpleListFilter):
    title = _("出错情况")
    parameter_name = "has_error"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("有错误记录")), ("no", _("无错误"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "yes":
            return queryset.exclude(last_error="")
        if self.value() == "no":
            return queryset.filter(last_error="")
        return queryset


@admin.register(ReminderDelivery, site=site)
class ReminderDeliveryAdmin(ReadOnlyScopedAdmin):
    list_display = (
        "created_at", "reminder", person_column("recipient", _("接收人")), "channel", "status", "attempts", "timeouts", "last_error", "sent_at",
        "failed_at", "agency",
    )  # fmt: skip
    list_filter = ("status", "channel", FailedFilter, "agency", "created_at")
    search_fields = ("reminder", "title", "recipient__username", "recipient__last_name", "last_error")
    list_select_related = ("recipient", "agency")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in ReminderDelivery._meta.fields]
    actions = ["send_again"]

    def scope(self, queryset: QuerySet[Any], user: Any) -> QuerySet[Any]:
        # A delivery belongs to a person; it is seen with the agency it was sent for.
        return queryset.filter(agency__in=Agency.objects.for_user(user))

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        if not is_admin(request.user):
            actions.pop("send_again", None)
        return actions

    @admin.action(description=_("重新发送所选的失败提醒"))
    def send_again(self, request: HttpRequest, queryset: QuerySet[ReminderDelivery]) -> None:
        count = deliveries_retry(ids=list(queryset.filter(status=DeliveryStatus.FAILED).values_list("id", flat=True)))
        self.message_user(request, _("%(n)d 条提醒将在下次巡检时重新发送。") % {"n": count}, messages.SUCCESS)


class ReadFilter(admin.SimpleListFilter):
    title = _("已读")
    parameter_name = "read"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("no", _("未读")), ("yes", _("已读"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() in ("yes", "no"):
            return queryset.filter(read_at__isnull=self.value() == "no")
        return queryset


@admin.register(Notification, site=site)
class NotificationAdmin(ReadOnlyScopedAdmin):
    list_display = ("created_at", person_column("recipient", _("接收人")), "title", "read_at")
    list_filter = (ReadFilter, "created_at")
    search_fields = ("title", "body", "recipient__username", "recipient__last_name")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Notification._meta.fields]

    def scope(self, queryset: QuerySet[Any], user: Any) -> QuerySet[Any]:
        # A notification belongs to its recipient; it is seen with the recipient's membership.
        return queryset.filter(recipient__membership__in=Membership.objects.for_user(user))
