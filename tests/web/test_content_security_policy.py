"""Every page carries the Content-Security-Policy, and no template needs what it forbids."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import cases

pytestmark = pytest.mark.django_db

TEMPLATES = sorted((Path(cases.__file__).parent / "templates").rglob("*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)


@pytest.mark.parametrize("path", ["/accounts/login/", "/cases/", "/dashboard/", "/no-such-page/", "/api/docs/"])
def test_every_page_carries_a_policy_that_allows_only_our_own_scripts_and_styles(staff_client, path):
    policy = staff_client.get(path)["Content-Security-Policy"]

    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_no_template_has_an_inline_script_handler_or_style(template):
    text = template.read_text(encoding="utf-8")

    assert not INLINE_SCRIPT.search(text)
    assert not INLINE_HANDLER.search(text)
    assert not STYLE.search(text)
