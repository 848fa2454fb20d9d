from __future__ import annotations

import pytest

from cases.choices import LeaderRank, Role
from tests.factories import AgencyFactory, member


@pytest.fixture
def agency(db):
    return AgencyFactory(code="wuzhou-hrss", name="梧州市人力资源和社会保障局")


@pytest.fixture
def other_agency(db):
    return AgencyFactory(code="hezhou-hrss", name="贺州市人力资源和社会保障局")


@pytest.fixture
def staff(agency):
    return member(agency, Role.STAFF, username="staff")


@pytest.fixture
def leader(agency):
    return member(agency, Role.LEADER, LeaderRank.PRINCIPAL, username="leader")


@pytest.fixture
def viewer(agency):
    return member(agency, Role.VIEWER, username="viewer")


@pytest.fixture
def admin_user(agency):
    return member(agency, Role.ADMIN, username="admin")


@pytest.fixture
def other_staff(other_agency):
    return member(other_agency, Role.STAFF, username="staff2")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files from tests go to a temporary folder, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing a password the production way costs ~0.5 s per user; tests need no such strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
