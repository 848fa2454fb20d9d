"""`manage.py check --deploy` is clean with production settings and a proper secret."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _check_deploy(tmp_path: Path, secret: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_"))}
    env.update({
        "DEBUG": "0", "SECRET_KEY": secret, "ALLOWED_HOSTS": "cases.example.gov.cn",
        "VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings",
    })
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = _check_deploy(tmp_path, secrets.token_urlsafe(50))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_refuses_a_weak_secret(tmp_path):
    result = _check_deploy(tmp_path, "short")
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr
