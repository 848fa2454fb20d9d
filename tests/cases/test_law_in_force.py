"""D10 on cases: each deadline follows the law in force on its trigger date and says which."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cases.choices import Procedure
from cases.models import Case, Deadline
from cases.services.cases import case_update
from tests.cases.test_deadlines import dues, lawsuit, reconsideration, the

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese():
    # The messages are asserted in Chinese; an earlier test's request may leave English active.
    with translation.override("zh-hans"):
        yield


def test_a_2021_reconsideration_reply_is_due_in_ten_calendar_days_under_the_old_law(agency, staff):
    case = reconsideration(agency, staff, received_on=dt.date(2021, 9, 28))

    reply = the(case, "reconsideration_reply")
    assert (reply.due_on, reply.rule_version) == (dt.date(2021, 10, 8), "ARL-1999")
    assert reply.basis.startswith("《行政复议法》（1999年）第二十三条：")


def test_a_2024_reconsideration_reply_is_due_in_ten_working_days_under_the_new_law(agency, staff):
    case = reconsideration(agency, staff, received_on=dt.date(2024, 9, 27))

    reply = the(case, "reconsideration_reply")
    assert (reply.due_on, reply.rule_version) == (dt.date(2024, 10, 16), "ARL-2023")


def test_a_defence_filed_under_the_1989_law_had_ten_days(agency, staff):
    case = lawsuit(agency, staff, received_on=dt.date(2015, 4, 30), accepted_on=dt.date(2015, 4, 28))

    assert dues(case) == {"litigation_defence": dt.date(2015, 5, 11), "first_instance_trial": dt.date(2015, 7, 28)}
    assert {d.rule_version for d in case.deadlines.all()} == {"ALL-1989"}


def test_it_refuses_a_simplified_reconsideration_received_before_2024_and_saves_nothing(agency, staff):
    with pytest.raises(ValidationError) as error:
        reconsideration(agency, staff, procedure=Procedure.SIMPLIFIED, received_on=dt.date(2023, 12, 20))

    assert error.value.message_dict["procedure"] == [
        "简易程序自 2024-01-01 起施行,2023-12-20 起算的期限不能适用简易程序,请选择普通程序。"
    ]
    assert not Case.objects.exists() and not Deadline.objects.exists()


def test_it_refuses_to_make_a_2021_reconsideration_simplified(agency, staff):
    case = reconsideration(agency, staff, received_on=dt.date(2021, 9, 28))

    with pytest.raises(ValidationError) as error:
        case_update(case=case, by=staff, data={"procedure": Procedure.SIMPLIFIED})

    assert "procedure" in error.value.message_dict
    case.refresh_from_db()
    assert case.procedure == Procedure.ORDINARY
    assert set(dues(case)) == {"reconsideration_reply"}


def test_it_accepts_a_simplified_reconsideration_received_in_2024(agency, staff):
    case = reconsideration(agency, staff, procedure=Procedure.SIMPLIFIED, received_on=dt.date(2024, 1, 2))

    assert the(case, "reconsideration_reply_simplified").rule_version == "ARL-2023"


def test_it_refuses_a_simplified_first_instance_filed_before_may_2015(agency, staff):
    with pytest.raises(ValidationError) as error:
        lawsuit(
            agency, staff, procedure=Procedure.SIMPLIFIED,
            received_on=dt.date(2015, 4, 30), accepted_on=dt.date(2015, 4, 28),
        )  # fmt: skip

    assert "简易程序自 2015-05-01 起施行" in error.value.message_dict["procedure"][0]
    assert not Case.objects.exists()


def test_correcting_a_trigger_across_the_cut_over_switches_the_version(agency, staff):
    case = reconsideration(agency, staff, received_on=dt.date(2023, 12, 31))
    assert the(case, "reconsideration_reply").due_on == dt.date(2024, 1, 10)

    case_update(case=case, by=staff, data={"received_on": dt.date(2024, 1, 1)})

    reply = the(case, "reconsideration_reply")
    assert (reply.due_on, reply.rule_version) == (dt.date(2024, 1, 15), "ARL-2023")


# --- the data migration that moves deadlines computed under the wrong law -----------------


def _migrate_0003(settings) -> int:
    """Run 0003's function on the migration-state models (the tests build tables without migrations)."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    module = importlib.import_module("cases.migrations.0003_recompute_deadlines_under_law_in_force")
    settings.MIGRATION_MODULES = {}
    loader = MigrationLoader(connection)
    state_apps = loader.project_state(loader.graph.leaf_nodes()).apps
    return module.recompute_under_law_in_force(state_apps, None)


def test_the_migration_moves_an_open_2021_reply_to_the_old_law_and_says_why_in_history(agency, staff, settings):
    case = reconsideration(agency, staff, received_on=dt.date(2021, 9, 28))
    # What the tracker computed before D10: 10 working days under the 2023 law.
    Deadline.objects.filter(case=case).update(due_on=dt.date(2021, 10, 18), rule_version="")

    assert _migrate_0003(settings) == 1

    reply = the(case, "reconsideration_reply")
    assert (reply.due_on, reply.rule_version) == (dt.date(2021, 10, 8), "ARL-1999")
    last = reply.history.order_by("-history_id").first()
    assert last.history_change_reason == (
        "法律版本更正(D10):按起算日当日施行的法律重新计算,届满日 2021-10-18→2021-10-08(ARL-1999)"
    )
    assert last.due_on == dt.date(2021, 10, 8)


def test_the_migration_leaves_closed_and_overridden_deadlines_on_their_dates_but_records_the_version(
    agency, staff, settings
):
    met = reconsideration(agency, staff, received_on=dt.date(2021, 9, 28))
    fixed = reconsideration(agency, staff, received_on=dt.date(2021, 9, 28))
    Deadline.objects.filter(case=met).update(
        due_on=dt.date(2021, 10, 18), rule_version="", status="met", closed_at=dt.datetime(2021, 10, 9, tzinfo=dt.UTC)
    )
    Deadline.objects.filter(case=fixed).update(
        due_on=dt.date(2021, 10, 18), rule_version="", overridden=True, override_reason="复议机构同意延期"
    )
    before = Deadline.history.count()

    assert _migrate_0003(settings) == 0

    for case in (met, fixed):
        reply = the(case, "reconsideration_reply")
        assert (reply.due_on, reply.rule_version) == (dt.date(2021, 10, 18), "ARL-1999")
    assert Deadline.history.count() == before
