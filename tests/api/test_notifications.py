"""The in-app notifications API: a user's own list, read and unread."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cases.models import Notification


def make(user, n=1, **fields):
    return [Notification.objects.create(recipient=user, title=f"提醒{i}", **fields) for i in range(n)]


def test_it_lists_only_the_users_own_notifications_newest_first(api, staff, leader):
    mine = make(staff, 2)
    make(leader)
    response = api.get("/api/notifications/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [mine[1].pk, mine[0].pk]


def test_it_filters_unread(api, staff):
    unread, read = make(staff, 2)
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    rows = api.get("/api/notifications/", {"unread": "true"}).json()["results"]
    assert [row["id"] for row in rows] == [unread.pk]
    assert api.get("/api/notifications/unread-count/").json() == {"unread": 1}


def test_it_marks_one_read_and_keeps_the_first_read_time(api, staff):
    (notification,) = make(staff)
    first = api.post(f"/api/notifications/{notification.pk}/read/")
    assert first.status_code == 200 and first.json()["is_read"] is True
    again = api.post(f"/api/notifications/{notification.pk}/read/")
    assert again.json()["read_at"] == first.json()["read_at"]


def test_it_marks_all_read_but_only_the_users_own(api, staff, leader):
    make(staff, 3)
    (others,) = make(leader)
    assert api.post("/api/notifications/read-all/").json() == {"updated": 3}
    assert api.post("/api/notifications/read-all/").json() == {"updated": 0}
    others.refresh_from_db()
    assert others.read_at is None


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_users_notification_is_a_404_even_for_an_administrator(client_for, admin_user, staff, method):
    (notification,) = make(staff)
    url = f"/api/notifications/{notification.pk}/" + ("read/" if method == "post" else "")
    response = getattr(client_for(admin_user), method)(url)
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_it_refuses_anonymous_callers(db):
    from rest_framework.test import APIClient

    assert APIClient().get("/api/notifications/").status_code in (401, 403)


def test_it_rejects_a_bad_unread_value_without_a_500(api, staff):
    make(staff)
    assert api.get("/api/notifications/", {"unread": "\x00"}).status_code in (200, 400)


@pytest.mark.parametrize("n", [1, 50])
def test_the_list_takes_the_same_queries_for_1_and_50_rows(api, staff, n, django_assert_num_queries):
    make(staff, n)
    with django_assert_num_queries(2):  # count + page
        assert api.get("/api/notifications/", {"page_size": 100}).status_code == 200
