"""The ``display`` template filter answers what ``get_<field>_display()`` does, in each language."""

from __future__ import annotations

import pytest
from django.utils import translation

from cases.choices import Kind, Status, Subject
from cases.models import Case
from cases.web.templatetags.casetracker_web import display


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_it_labels_every_choice_as_get_display_does(language):
    cases = [Case(kind=k, status=s, subject=j, litigation_instance="first")
             for k in Kind for s in Status for j in list(Subject)[:3]]
    with translation.override(language):
        for case in cases:
            for name in ("kind", "status", "subject", "litigation_instance"):
                assert display(case, name) == getattr(case, f"get_{name}_display")()


def test_it_shows_an_unknown_code_as_it_is():
    assert display(Case(kind="neither"), "kind") == "neither"
