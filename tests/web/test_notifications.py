"""In-app reminders: the list, the unread count in the header, marking read."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import Notification

pytestmark = pytest.mark.django_db


def _notify(user, title="期限提醒", url="/cases/"):
    return Notification.objects.create(recipient=user, title=title, body="请及时提交答复", url=url)


def test_it_counts_unread_notifications_in_the_header(staff_client, staff, leader):
    _notify(staff)
    _notify(staff)
    _notify(leader)
    page = staff_client.get(reverse("case-list")).content.decode()
    assert 'data-testid="unread-count" title="未读通知">2</span>' in page


def test_it_lists_only_the_users_own_notifications(staff_client, staff, leader):
    _notify(staff, "我的提醒")
    _notify(leader, "别人的提醒")
    page = staff_client.get(reverse("notifications")).content.decode()
    assert "我的提醒" in page and "别人的提醒" not in page


def test_it_marks_one_read_when_opened_and_follows_its_link(staff_client, staff):
    note = _notify(staff, url="/calendar/")
    response = staff_client.post(reverse("notification-open", args=[note.pk]))
    assert response["Location"] == "/calendar/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_it_does_not_follow_a_link_off_the_site(staff_client, staff):
    note = _notify(staff, url="https://evil.example/")
    assert staff_client.post(reverse("notification-open", args=[note.pk]))["Location"] == reverse("notifications")


def test_it_cannot_open_another_users_notification(staff_client, leader):
    note = _notify(leader)
    assert staff_client.post(reverse("notification-open", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_it_marks_all_read(staff_client, staff, leader):
    _notify(staff)
    others = _notify(leader)
    staff_client.post(reverse("notifications-read-all"))
    assert not Notification.objects.filter(recipient=staff, read_at__isnull=True).exists()
    others.refresh_from_db()
    assert others.read_at is None
