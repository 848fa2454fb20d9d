"""API tokens end: revoked by their owner, by a password change from anywhere, by deactivation."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cases.services.accounts import user_credentials_revoke

pytestmark = pytest.mark.django_db


def _token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_delete_on_the_token_endpoint_revokes_the_callers_token(staff):
    client = _token_client(staff)

    assert client.delete("/api/auth/token/").status_code == 204
    assert client.get("/api/cases/").status_code == 401
    assert not Token.objects.filter(user=staff).exists()


def test_delete_on_the_token_endpoint_without_credentials_is_401_and_revokes_nothing(staff):
    Token.objects.create(user=staff)

    response = APIClient().delete("/api/auth/token/")

    assert response.status_code == 401
    assert Token.objects.filter(user=staff).exists()


def test_delete_revokes_only_the_callers_token(staff, other_staff):
    other = _token_client(other_staff)

    _token_client(staff).delete("/api/auth/token/")

    assert other.get("/api/cases/").status_code == 200


def test_a_password_changed_on_the_trackers_page_ends_the_api_token(client, staff):
    api = _token_client(staff)
    client.force_login(staff)

    response = client.post(reverse("password_change"), {
        "old_password": "pw-for-tests", "new_password1": "Zq8-vanilla-Kite", "new_password2": "Zq8-vanilla-Kite"})

    assert response.status_code == 302
    assert api.get("/api/cases/").status_code == 401


def test_a_password_set_in_code_or_by_the_changepassword_command_ends_the_api_token(staff, monkeypatch):
    api = _token_client(staff)
    staff.set_password("Zq8-vanilla-Kite")
    staff.save()
    assert api.get("/api/cases/").status_code == 401

    api = _token_client(staff)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "Another-Zq8-kite")
    call_command("changepassword", staff.username, stdout=io.StringIO())
    assert api.get("/api/cases/").status_code == 401


def test_saving_a_user_without_touching_the_password_keeps_the_token(staff):
    api = _token_client(staff)
    staff.first_name = "新"
    staff.save()

    assert api.get("/api/cases/").status_code == 200


def test_deactivating_a_user_ends_the_api_token_so_reactivating_does_not_revive_it(staff):
    api = _token_client(staff)
    staff.is_active = False
    staff.save()
    user_credentials_revoke(user=staff)
    staff.is_active = True
    staff.save()

    assert api.get("/api/cases/").status_code == 401
