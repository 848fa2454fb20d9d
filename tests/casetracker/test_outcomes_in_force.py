"""Which outcomes a proceeding may end with on a given day: one rule for the service and the pages (D8, D10)."""

from __future__ import annotations

import datetime as dt

import pytest

from casetracker.outcomes import (
    Outcome,
    outcome_fits,
    outcome_in_force,
    outcome_in_force_between,
    outcomes_allowed,
    outcomes_for,
)


def test_a_first_instance_concluded_since_may_2015_is_offered_claims_dismissed_not_upheld():
    allowed = outcomes_allowed("litigation", "first", dt.date(2015, 5, 1))
    assert Outcome.CLAIMS_DISMISSED in allowed and Outcome.UPHELD not in allowed


def test_a_first_instance_concluded_before_may_2015_could_still_be_upheld():
    assert Outcome.UPHELD in outcomes_allowed("litigation", "first", dt.date(2015, 4, 30))


def test_upheld_was_in_force_for_a_first_instance_only_until_the_2014_amendment():
    assert outcome_in_force_between(Outcome.UPHELD, "litigation", "first") == (None, dt.date(2015, 5, 1))
    assert outcome_in_force_between(Outcome.UPHELD, "litigation", "second") == (None, None)


@pytest.mark.parametrize("kind, instance", [
    ("reconsideration", None), ("litigation", "first"), ("litigation", "second"), ("litigation", "retrial"),
])
@pytest.mark.parametrize("day", [dt.date(2014, 6, 1), dt.date(2015, 5, 1), dt.date(2025, 9, 15)])
def test_the_offered_outcomes_are_exactly_those_the_service_accepts(kind, instance, day):
    accepted = [o for o in Outcome if outcome_fits(o, kind, instance) and outcome_in_force(o, kind, instance, day)]
    assert outcomes_allowed(kind, instance, day) == accepted
    assert set(accepted) <= set(outcomes_for(kind, instance))
