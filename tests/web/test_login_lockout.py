"""Guessing passwords: a few wrong ones lock the user out from that address; throttles answer 429."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Permission
from django.test import Client
from rest_framework.test import APIClient

from cases.models import CalendarFeedToken

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def _wrong(client: Client, username: str = "staff", times: int = 5) -> list[int]:
    """Wrong passwords; the fifth is the one that locks (answered with the lockout page)."""
    codes = [client.post(LOGIN, {"username": username, "password": "wrong"}).status_code for _ in range(times)]
    assert codes == ([200] * min(times, 4) + [429] * max(times - 4, 0))
    return codes


def test_five_wrong_passwords_lock_the_user_out_even_with_the_right_one(client, staff):
    _wrong(client)
    response = client.post(LOGIN, {"username": "staff", "password": "pw-for-tests"})
    assert response.status_code == 429
    assert "密码连续输错 5 次" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_user_and_address(client, staff, other_staff):
    _wrong(client)
    assert client.post(LOGIN, {"username": "staff2", "password": "pw-for-tests"}).status_code == 302
    elsewhere = Client(REMOTE_ADDR="10.0.0.8")
    assert elsewhere.post(LOGIN, {"username": "staff", "password": "pw-for-tests"}).status_code == 302


def test_a_right_password_before_the_limit_clears_the_count(client, staff):
    _wrong(client, times=4)
    assert client.post(LOGIN, {"username": "staff", "password": "pw-for-tests"}).status_code == 302
    client.logout()
    _wrong(client, times=4)
    assert client.post(LOGIN, {"username": "staff", "password": "pw-for-tests"}).status_code == 302


def test_an_administrator_unlocks_a_user_in_the_admin(client, staff, admin_user):
    _wrong(client)
    attempt = AccessAttempt.objects.get(username="staff")
    admin_client = Client()
    admin_user.user_permissions.set(Permission.objects.filter(content_type__app_label="axes"))
    admin_client.force_login(admin_user)
    assert admin_client.get("/admin/axes/accessattempt/").status_code == 200
    response = admin_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert client.post(LOGIN, {"username": "staff", "password": "pw-for-tests"}).status_code == 302


def test_the_token_endpoint_shares_the_lockout(staff):
    api = APIClient()
    codes = [api.post("/api/auth/token/", {"username": "staff", "password": "wrong"}, format="json").status_code
             for _ in range(5)]
    assert codes == [400, 400, 400, 400, 429]
    response = api.post("/api/auth/token/", {"username": "staff", "password": "pw-for-tests"}, format="json")
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
    assert "暂时锁定" in response.json()["detail"]


def test_the_token_endpoint_is_throttled_whatever_the_usernames(db, settings):
    api = APIClient()
    codes = [api.post("/api/auth/token/", {"username": f"guess{i}", "password": "x"}, format="json").status_code
             for i in range(11)]
    assert codes[:10] == [400] * 10
    assert codes[10] == 429


def test_the_calendar_feed_is_throttled(client, staff):
    token = CalendarFeedToken.objects.create(user=staff).token
    codes = [client.get(f"/calendar/feed/{token}.ics").status_code for _ in range(30)]
    assert set(codes) == {200}
    guessed = client.get("/calendar/feed/" + "a" * 43 + ".ics")
    assert guessed.status_code == 429 and guessed["Retry-After"]
