"""One scoped queryset base: every agency-owned model is scoped by its ``agency_lookup``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps

from cases.models import Agency, Case, Deadline, Hearing, Membership
from cases.querysets.scoped import ScopedQuerySet, agency_id_of
from tests.factories import CaseFactory, DeadlineFactory, HearingFactory

pytestmark = pytest.mark.django_db


def test_every_model_that_belongs_to_an_agency_is_scoped_by_the_one_base():
    def owned(model):
        fields = {f.name for f in model._meta.get_fields()}
        return model._meta.app_label == "cases" and not model.__name__.startswith("Historical") and (
            model is Agency or "agency" in fields or "case" in fields
        )

    unscoped = [m.__name__ for m in apps.get_models() if owned(m)
                and not isinstance(m._default_manager.all(), ScopedQuerySet)]
    # Both belong to a person, not an agency: a notification is read by its recipient only
    # (NotificationQuerySet.for_user), a delivery is the reminder outbox only the worker reads.
    assert sorted(unscoped) == ["Notification", "ReminderDelivery"]


def test_it_finds_the_agency_of_an_object_by_the_same_lookup_as_its_queryset(agency, staff):
    case = CaseFactory(agency=agency)
    rows = [agency, Membership.objects.get(user=staff), case, HearingFactory(case=case),
            DeadlineFactory(case=case, due_on=dt.date(2025, 10, 9))]
    assert [agency_id_of(row) for row in rows] == [agency.pk] * len(rows)


def test_a_user_reads_only_the_rows_of_their_agency(agency, other_agency, staff):
    mine, theirs = CaseFactory(agency=agency), CaseFactory(agency=other_agency)
    DeadlineFactory(case=mine), DeadlineFactory(case=theirs)
    HearingFactory(case=mine), HearingFactory(case=theirs)
    for model in (Case, Hearing, Deadline):
        assert {agency_id_of(row) for row in model.objects.for_user(staff)} == {agency.pk}
    assert list(Agency.objects.for_user(staff)) == [agency]
    assert list(Agency.objects.for_user(None)) == []


def test_a_reader_can_write_nothing_and_an_admin_everything(agency, other_agency, leader, admin_user):
    CaseFactory(agency=agency), CaseFactory(agency=other_agency)
    assert not Case.objects.writable_by(leader).exists()
    assert Case.objects.writable_by(admin_user).count() == 2
