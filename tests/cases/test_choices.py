"""The Django choices carry the public codes and labels of casetracker (DOMAIN.md D8)."""

from __future__ import annotations

from django.utils import translation

from cases.choices import Outcome
from casetracker.outcomes import OUTCOME_LABELS
from casetracker.outcomes import Outcome as LawOutcome


def test_every_outcome_code_of_d8_is_a_choice_with_its_chinese_label():
    with translation.override("zh-hans"):
        assert {value: str(label) for value, label in Outcome.choices} == {
            outcome.value: OUTCOME_LABELS[outcome][0] for outcome in LawOutcome
        }


def test_outcome_labels_switch_to_english():
    with translation.override("en"):
        labels = {value: str(label) for value, label in Outcome.choices}
    assert all(label.isascii() for label in labels.values()), labels
