from __future__ import annotations

import pytest


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def leader_client(client, leader):
    client.force_login(leader)
    return client


@pytest.fixture
def other_client(client, other_staff):
    client.force_login(other_staff)
    return client


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Hashing test passwords with PBKDF2 would dominate these tests' run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
