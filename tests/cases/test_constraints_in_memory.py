"""The named CheckConstraints evaluated in Python (a batch's check) agree with Django's query, row by row."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.choices import AbsenceReason, DeadlineStatus, HearingStatus, Instance, Kind, Outcome, Status
from cases.models import Case, Deadline, Hearing
from cases.models.constraints import check_constraints_in_memory
from tests.factories import AgencyFactory, CaseFactory, UserFactory

pytestmark = pytest.mark.django_db

days = st.one_of(st.none(), st.dates(min_value=dt.date(2003, 1, 1), max_value=dt.date(2026, 12, 31)))


def _messages(check: Any, instance: models.Model) -> set[str]:
    try:
        check(instance)
    except ValidationError as error:
        return {message for messages in error.message_dict.values() for message in messages}
    return set()


def _by_django(instance: models.Model) -> set[str]:
    unique = {c.name for c in instance._meta.constraints if not isinstance(c, models.CheckConstraint)}
    found = set()
    for constraint in instance._meta.constraints:
        if constraint.name in unique:
            continue
        try:
            constraint.validate(type(instance), instance)
        except ValidationError as error:
            found |= set(error.messages)
    return found


def _agree(instance: models.Model) -> None:
    assert _messages(check_constraints_in_memory, instance) == _by_django(instance)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    kind=st.sampled_from(Kind.values), instance=st.sampled_from(["", *Instance.values]),
    status=st.sampled_from(Status.values), outcome=st.sampled_from(["", *Outcome.values]),
    act_changed=st.booleans(), received=days, concluded=days, act=days, accepted=days, suspended=days,
    redo=days, decision_received=days,
)
def test_a_case_breaks_the_same_rules_in_python_as_in_the_database(
    kind: str, instance: str, status: str, outcome: str, act_changed: bool, received: dt.date | None,
    concluded: dt.date | None, act: dt.date | None, accepted: dt.date | None, suspended: dt.date | None,
    redo: dt.date | None, decision_received: dt.date | None,
) -> None:
    _agree(Case(
        agency_id=1, kind=kind, litigation_instance=instance, status=status, outcome=outcome,
        act_changed=act_changed, received_on=received, concluded_on=concluded, act_date=act, accepted_on=accepted,
        suspended_on=suspended, redo_due_on=redo, decision_received_on=decision_received,
    ))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(status=st.sampled_from(HearingStatus.values), appeared=st.sampled_from([None, True, False]),
       leader=st.booleans(), reason=st.sampled_from(["", *AbsenceReason.values]))
def test_a_hearing_breaks_the_same_rules_in_python_as_in_the_database(
    status: str, appeared: bool | None, leader: bool, reason: str,
) -> None:
    _agree(Hearing(case_id=1, scheduled_at=dt.datetime(2021, 3, 1, 9, tzinfo=dt.UTC), status=status,
                   bureau_appeared=appeared, responsible_person_id=1 if leader else None, absence_reason=reason))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(status=st.sampled_from(DeadlineStatus.values), closed=st.booleans(), manual=st.booleans(),
       title=st.sampled_from(["", "补充证据"]), trigger=days, due=st.dates(min_value=dt.date(2003, 1, 1)),
       overridden=st.booleans(), reason=st.sampled_from(["", "法院延期"]))
def test_a_deadline_breaks_the_same_rules_in_python_as_in_the_database(
    status: str, closed: bool, manual: bool, title: str, trigger: dt.date | None, due: dt.date,
    overridden: bool, reason: str,
) -> None:
    _agree(Deadline(
        case_id=1, rule="manual" if manual else "litigation_defence", title=title, trigger_on=trigger, due_on=due,
        status=status, closed_at=dt.datetime(2021, 3, 1, tzinfo=dt.UTC) if closed else None,
        overridden=overridden, override_reason=reason,
    ))


def test_a_real_case_from_the_factory_passes_both_ways() -> None:
    case = CaseFactory(agency=AgencyFactory())
    case.handlers.set([UserFactory()])
    _agree(case)
    assert _by_django(case) == set()
