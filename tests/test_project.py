"""Project-level checks: migrations match the models, the embedded default works, deploy checks pass."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(VAR_DIR=str(tmp_path / "var"), **extra)
    return env


def test_the_migrations_match_the_models(tmp_path):
    result = run_manage("makemigrations", "--check", "--dry-run", env=clean_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_the_embedded_default_migrates_and_seeds_sqlite_under_var(tmp_path):
    env = clean_env(tmp_path)
    assert run_manage("migrate", "-v0", env=env).returncode == 0
    seeded = run_manage("seed_demo", "--password", "demo-pass", env=env)
    assert seeded.returncode == 0, seeded.stderr
    assert "login: staff / demo-pass" in seeded.stdout
    assert (tmp_path / "var" / "casetracker.sqlite3").exists()
    assert (tmp_path / "var" / "secret_key").exists()


def test_the_embedded_default_broker_is_the_filesystem_under_var(tmp_path):
    code = (
        "import django; django.setup();"
        "from config.celery import app;"
        "from kombu import Connection;"
        "c = Connection(app.conf.broker_url, transport_options=app.conf.broker_transport_options);"
        "q = c.SimpleQueue('smoke'); q.put({'ok': 1}); m = q.get(timeout=5); m.ack(); print(app.conf.broker_url, m.payload)"
    )
    env = clean_env(tmp_path, DJANGO_SETTINGS_MODULE="config.settings")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "filesystem:// {'ok': 1}"


def test_the_deploy_check_is_clean_with_production_settings(tmp_path):
    env = clean_env(
        tmp_path, DEBUG="0", SECRET_KEY="x" * 60 + "-not-a-real-secret-but-long-enough", ALLOWED_HOSTS="cases.example.gov.cn"
    )
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = clean_env(tmp_path, DEBUG="0")
    env.pop("SECRET_KEY", None)
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
