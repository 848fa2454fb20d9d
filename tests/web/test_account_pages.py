"""The user's own account pages: the tracker's 修改密码 page (never the admin's) and the API tokens page."""

from __future__ import annotations

from pathlib import Path

import django.contrib.admin
import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

ADMIN_TEMPLATES = Path(django.contrib.admin.__file__).parent / "templates"


def _template_origins(response) -> list[str]:
    return [str(t.origin.name) for t in response.templates if t.origin and t.origin.name]


@pytest.mark.parametrize("who", ["staff_client", "leader_client"])
def test_the_password_page_is_the_trackers_own_not_the_admins(who, request):
    client = request.getfixturevalue(who)

    response = client.get("/accounts/password_change/")

    assert response.status_code == 200
    assert not any(origin.startswith(str(ADMIN_TEMPLATES)) for origin in _template_origins(response))
    assert "account/password_change_form.html" in [t.name for t in response.templates]
    assert 'href="/admin/' not in response.content.decode()


def test_after_changing_the_password_staff_land_on_the_trackers_page_not_the_admin(staff_client):
    response = staff_client.post("/accounts/password_change/", {
        "old_password": "pw-for-tests", "new_password1": "Zq8-vanilla-Kite", "new_password2": "Zq8-vanilla-Kite",
    }, follow=True)

    assert [url for url, _status in response.redirect_chain] == ["/accounts/password_change/done/"]
    assert not any(origin.startswith(str(ADMIN_TEMPLATES)) for origin in _template_origins(response))
    assert 'href="/admin/' not in response.content.decode()


def test_a_user_sees_their_api_token_on_the_tokens_page_and_not_the_whole_key(staff_client, staff):
    token = Token.objects.create(user=staff)

    page = staff_client.get(reverse("api-tokens")).content.decode()

    assert token.key[:6] in page
    assert token.key not in page


def test_a_user_revokes_their_api_token_on_the_tokens_page(staff_client, staff, other_staff):
    Token.objects.create(user=staff)
    Token.objects.create(user=other_staff)

    response = staff_client.post(reverse("api-tokens-revoke"), follow=True)

    assert response.status_code == 200
    assert not Token.objects.filter(user=staff).exists()
    assert Token.objects.filter(user=other_staff).exists()
    assert "没有有效的 API 令牌。" in response.content.decode()


def test_the_tokens_page_needs_a_signed_in_user(client):
    assert client.get(reverse("api-tokens")).status_code == 302
