from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from cases.choices import LeaderRank, Role
from cases.models import Agency
from tests.factories import AgencyFactory, member

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
def _back_to_chinese():
    """A request in English leaves English active in the thread (LocaleMiddleware activates, never
    deactivates): reset it, so the next test's services and messages are in the site's language."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files from tests go to a temporary folder, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing a password the production way costs ~0.5 s per user; tests need no such strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def _demo_rows(django_db_setup, django_db_blocker) -> str:
    """The demo seeded once per session through the services (~20 s), kept as its rows in JSON.

    Seeded inside a transaction that is rolled back, so tests that do not ask for
    the demo never see it.
    """
    out = io.StringIO()
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER), transaction.atomic():
        call_command("seed_demo", "--password", "demo-pass", stdout=io.StringIO())
        call_command("dumpdata", "auth.group", "auth.user", "cases", stdout=out)
        transaction.set_rollback(True)
    return out.getvalue()


@pytest.fixture
def demo(db, _demo_rows, tmp_path) -> Agency:
    """The demo (2021 year and live cases; users' password ``demo-pass``), loaded from the
    session's one seeding; the test may change it, its transaction is rolled back."""
    rows = tmp_path / "demo.json"
    rows.write_text(_demo_rows, encoding="utf-8")
    call_command("loaddata", str(rows), verbosity=0)
    return Agency.objects.get(code="wuzhou-hrss")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttles count in the cache: each test starts with none of another test's requests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
