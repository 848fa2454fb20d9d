"""Reminder channels: email, in-app notification and the agency's group-chat robot (webhook).

Each function sends one ReminderDelivery and raises on failure; the outbox
(cases/services/reminder_outbox.py) records the error and retries. Every channel
is its own delivery row, so a failing webhook never holds up the email.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection
from django.utils import timezone

from cases.models import Deadline, Hearing
from cases.models.reminders import Notification, ReminderChannel, ReminderDelivery
from cases.querysets.ids import id_in_sql

__all__ = [
    "ChannelError",
    "absolute_url",
    "send_email",
    "send_external",
    "send_in_app",
    "send_in_app_bulk",
    "send_webhook",
    "webhook_payload",
]

_DINGTALK_HOSTS = ("oapi.dingtalk.com",)


class ChannelError(Exception):
    """A channel refused or could not take the message."""


def _notification(delivery: ReminderDelivery) -> Notification:
    deadline_case = delivery.deadline.case_id if delivery.deadline is not None else None
    hearing_case = delivery.hearing.case_id if delivery.hearing is not None else None
    return Notification(
        recipient_id=delivery.recipient_id,
        title=delivery.title,
        body=delivery.body,
        url=delivery.url,
        case_id=deadline_case or hearing_case,
        deadline_id=delivery.deadline_id,
        hearing_id=delivery.hearing_id,
        delivery=delivery,
    )


def send_in_app(delivery: ReminderDelivery) -> Notification:
    """Write the notification; the caller marks the delivery sent in the same transaction."""
    notification = _notification(delivery)
    notification.save()
    return notification


def send_in_app_bulk(delivery_ids: list[int]) -> int:
    """Write the notifications of a batch of in-app rows with one INSERT ... SELECT; how many.

    The words, link and recipient are copied from the delivery rows in the database, so no
    row is loaded into Python (issue 17: a batch costs one statement whatever its size). The
    caller has locked the rows and marks them sent in the same transaction.
    ``Notification.delivery`` is unique, so a batch that somehow ran twice fails instead of doubling.
    """
    if not delivery_ids:
        return 0
    qn = connection.ops.quote_name
    created_at = Notification._meta.get_field("created_at").get_db_prep_value(timezone.now(), connection)
    columns = ", ".join(qn(c) for c in _NOTIFICATION_COLUMNS)
    which, ids = id_in_sql("d.id", delivery_ids)
    sql = (
        f"INSERT INTO {qn(Notification._meta.db_table)} ({columns})"
        " SELECT d.recipient_id, d.title, d.body, d.url, COALESCE(dl.case_id, h.case_id),"
        " d.deadline_id, d.hearing_id, d.id, %s"
        f" FROM {qn(ReminderDelivery._meta.db_table)} d"
        f" LEFT JOIN {qn(Deadline._meta.db_table)} dl ON dl.id = d.deadline_id"
        f" LEFT JOIN {qn(Hearing._meta.db_table)} h ON h.id = d.hearing_id"
        f" WHERE {which} ORDER BY d.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [created_at, *ids])
        return int(cursor.rowcount)


# The columns send_in_app_bulk fills, in the order of its SELECT (read_at stays NULL: unread).
_NOTIFICATION_COLUMNS = (
    "recipient_id", "title", "body", "url", "case_id", "deadline_id", "hearing_id", "delivery_id", "created_at",
)  # fmt: skip


def send_email(delivery: ReminderDelivery) -> None:
    """One email through Django's configured backend (console in development)."""
    address = delivery.recipient.email
    if not address:
        raise ChannelError("the recipient has no email address")
    body = delivery.body
    if delivery.url:
        body = f"{body}\n\n{absolute_url(delivery.url)}"
    send_mail(delivery.title, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=False)


def absolute_url(url: str) -> str:
    """A site-relative link made absolute with SITE_URL (the in-app list keeps it relative)."""
    base = settings.SITE_URL.rstrip("/")
    return f"{base}{url}" if base and url.startswith("/") else url


def _mention(delivery: ReminderDelivery) -> str:
    membership = getattr(delivery.recipient, "membership", None)
    return membership.webhook_mention if membership is not None else ""


def webhook_payload(delivery: ReminderDelivery) -> dict[str, Any]:
    """The robot message: WeCom's text format, or DingTalk's when the URL is DingTalk's."""
    content = f"{delivery.title}\n{delivery.body}"
    if delivery.url:
        content = f"{content}\n{absolute_url(delivery.url)}"
    mention = _mention(delivery)
    host = urlsplit(delivery.agency.webhook_url).hostname or ""
    if host in _DINGTALK_HOSTS:
        return {"msgtype": "text", "text": {"content": content}, "at": {"atMobiles": [mention] if mention else []}}
    text: dict[str, Any] = {"content": content}
    if mention:
        text["mentioned_mobile_list"] = [mention]
    return {"msgtype": "text", "text": text}


def send_webhook(delivery: ReminderDelivery) -> None:
    """POST the robot message with a timeout; a non-2xx answer or a nonzero errcode fails."""
    url = delivery.agency.webhook_url
    if not url:
        raise ChannelError("the agency has no webhook URL")
    data = json.dumps(webhook_payload(delivery), ensure_ascii=False).encode("utf-8")
    if urlsplit(url).scheme not in ("http", "https"):
        # urllib would also open file:// and ftp:// URLs; a robot only speaks HTTP.
        raise ChannelError("the webhook URL must start with http:// or https://")
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.REMINDER_WEBHOOK_TIMEOUT) as response:
            answer = response.read(65536)
    except urllib.error.HTTPError as exc:
        raise ChannelError(f"webhook answered HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise ChannelError(f"webhook unreachable: {getattr(exc, 'reason', exc)}") from exc
    _check_answer(answer)


def _check_answer(answer: bytes) -> None:
    # WeCom and DingTalk answer 200 with {"errcode": 0, ...}; anything else nonzero is an error.
    try:
        parsed = json.loads(answer or b"{}")
    except ValueError:
        return
    if isinstance(parsed, dict) and parsed.get("errcode") not in (None, 0):
        raise ChannelError(f"webhook errcode {parsed.get('errcode')}: {parsed.get('errmsg', '')}")


def send_external(delivery: ReminderDelivery) -> None:
    """Send an email or webhook delivery (in-app goes through send_in_app)."""
    if delivery.channel == ReminderChannel.EMAIL:
        send_email(delivery)
    elif delivery.channel == ReminderChannel.WEBHOOK:
        send_webhook(delivery)
    else:
        raise ChannelError(f"not an external channel: {delivery.channel}")
