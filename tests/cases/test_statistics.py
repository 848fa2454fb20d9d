"""The yearly roll-up follows DOMAIN.md D2-D4, in the database, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from cases.choices import HearingKind, HearingStatus, Kind, Status, Subject
from cases.models import Agency, Case, CaseGround, CorrectiveAction, FollowUp
from cases.querysets.statistics import case_rows, yearly_statistics
from casetracker.followups import follow_up_status
from casetracker.outcomes import outcomes_for
from casetracker.report import YearFigures, text_zh
from tests.factories import AgencyFactory, CaseFactory, HearingFactory, ReconsiderationFactory, UserFactory

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")

# D8's table, copied here on purpose: the test must not trust the code's own map.
D8_BUCKET = {
    "upheld": "upheld", "request_rejected": "upheld", "application_rejected": "upheld",
    "claims_dismissed": "upheld", "suit_dismissed": "upheld",
    "revoked": "corrected", "revoked_redo": "corrected", "changed": "corrected", "confirmed_illegal": "corrected",
    "confirmed_invalid": "corrected", "ordered_to_perform": "corrected", "payment_ordered": "corrected",
    "reversed": "corrected",
    "withdrawn": "withdrawn", "deemed_withdrawn": "withdrawn",
    "mediated": "mediated",
    "terminated": "other", "remanded": "other",
}
D8_KINDS = {  # which kind of proceeding each code may end (D8 "kinds"); litigation instance where it matters
    "request_rejected": ("reconsideration", ""), "application_rejected": ("reconsideration", ""),
    "claims_dismissed": ("litigation", "first"), "suit_dismissed": ("litigation", "first"),
    "reversed": ("litigation", "second"), "deemed_withdrawn": ("litigation", "first"),
    "remanded": ("litigation", "second"),
}


def concluded(factory=CaseFactory, *, outcome="claims_dismissed", on=dt.date(2021, 6, 1), **fields):
    return factory(status=Status.CONCLUDED, outcome=outcome, concluded_on=on, **fields)


def held(case, when, *, appeared=True, leader=None, kind=HearingKind.COURT, **fields):
    return HearingFactory(
        case=case, kind=kind, scheduled_at=when, status=HearingStatus.HELD, bureau_appeared=appeared,
        responsible_person=leader, absence_reason="" if leader else "official_duty", **fields,
    )


def at(y, m, d, hh=9, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=BEIJING)


# --- The demo year ----------------------------------------------------------------------------


def test_it_rolls_the_demo_year_up_to_25_19_2_4_and_says_so_in_the_published_phrases(demo):
    stats = yearly_statistics(year=2021, agency=demo)
    assert stats["agency"] == "wuzhou-hrss"
    assert stats["total"] == 25
    assert stats["buckets"] == {"upheld": 19, "corrected": 0, "withdrawn": 2, "withdrawn_after_act_changed": 1,
                                "mediated": 0, "other": 0, "pending": 4}
    assert stats["rates"]["court_appearance"] == {"numerator": 8, "denominator": 8, "rate": 1.0}
    assert stats["rates"]["leader_appearance"] == {"numerator": 7, "denominator": 8, "rate": 0.875}
    text = text_zh(YearFigures.from_dict(stats))
    assert "25件" in text
    assert re.search(r"维持[^,。]*19件", text)
    assert re.search(r"撤回[^,。]*2件", text)
    assert "未结案的4件" in text
    assert "出庭应诉率100%" in text


# --- D2: which year counts a proceeding --------------------------------------------------------


def test_it_counts_a_case_carried_over_in_every_year_it_is_open(agency):
    concluded(agency=agency, received_on=dt.date(2020, 6, 1), on=dt.date(2022, 3, 1))
    years = {y: yearly_statistics(year=y, agency=agency)["buckets"] for y in (2019, 2020, 2021, 2022, 2023)}
    assert [yearly_statistics(year=y, agency=agency)["total"] for y in (2019, 2020, 2021, 2022, 2023)] == [0, 1, 1, 1, 0]
    assert years[2020]["pending"] == years[2021]["pending"] == 1
    assert years[2022]["upheld"] == 1 and years[2022]["pending"] == 0


def test_a_case_concluded_on_1_january_is_pending_in_the_old_year_and_counted_in_the_new(agency):
    concluded(agency=agency, received_on=dt.date(2020, 11, 2), on=dt.date(2021, 1, 1))
    assert yearly_statistics(year=2020, agency=agency)["buckets"]["pending"] == 1
    stats_2021 = yearly_statistics(year=2021, agency=agency)
    assert stats_2021["buckets"]["upheld"] == 1
    assert stats_2021["rates"]["loss"]["denominator"] == 1


def test_a_case_concluded_on_31_december_closes_in_that_year_and_is_not_carried_over(agency):
    concluded(agency=agency, received_on=dt.date(2021, 3, 2), on=dt.date(2021, 12, 31), outcome="revoked")
    stats = yearly_statistics(year=2021, agency=agency)
    assert stats["buckets"]["corrected"] == 1
    assert stats["rates"]["loss"] == {"numerator": 1, "denominator": 1, "rate": 1.0}
    assert yearly_statistics(year=2022, agency=agency)["total"] == 0


def test_a_case_received_on_31_december_counts_in_that_year(agency):
    CaseFactory(agency=agency, received_on=dt.date(2021, 12, 31))
    assert yearly_statistics(year=2021, agency=agency)["buckets"]["pending"] == 1
    assert yearly_statistics(year=2020, agency=agency)["total"] == 0


def test_a_suspended_case_counts_as_pending(agency):
    CaseFactory(agency=agency, status=Status.SUSPENDED, suspended_on=dt.date(2021, 5, 1))
    assert yearly_statistics(year=2021, agency=agency)["buckets"]["pending"] == 1


def test_an_archived_case_and_its_hearings_are_left_out(agency):
    case = CaseFactory(agency=agency, archived_at=timezone.now())
    held(case, at(2021, 5, 1))
    stats = yearly_statistics(year=2021, agency=agency)
    assert stats["total"] == 0
    assert stats["rates"]["court_appearance"]["denominator"] == 0


def test_an_empty_year_has_zero_counts_and_no_rates(agency):
    stats = yearly_statistics(year=2021, agency=agency)
    assert stats["total"] == 0
    assert set(stats["buckets"].values()) == {0}
    assert all(rate == {"numerator": 0, "denominator": 0, "rate": None} for rate in stats["rates"].values())
    assert set(stats["by_subject"]) == set(Subject.values)
    assert stats["by_kind"]["litigation"]["total"] == 0


# --- D3: every outcome lands in its bucket ----------------------------------------------------


@pytest.mark.parametrize("outcome", sorted(D8_BUCKET))
def test_every_outcome_code_lands_in_its_d8_bucket(agency, outcome):
    kind, instance = D8_KINDS.get(outcome, ("litigation", "first"))
    factory = ReconsiderationFactory if kind == "reconsideration" else CaseFactory
    extra = {"litigation_instance": instance} if kind == "litigation" else {}
    concluded(factory, agency=agency, outcome=outcome, **extra)
    stats = yearly_statistics(year=2021, agency=agency)
    assert stats["buckets"][D8_BUCKET[outcome]] == 1
    assert stats["by_kind"][kind][D8_BUCKET[outcome]] == 1
    assert sum(v for k, v in stats["buckets"].items() if k != "withdrawn_after_act_changed") == 1


def test_it_counts_withdrawals_after_the_bureau_changed_its_act_within_withdrawn(agency):
    concluded(agency=agency, outcome="withdrawn", act_changed=True)
    concluded(agency=agency, outcome="deemed_withdrawn")
    buckets = yearly_statistics(year=2021, agency=agency)["buckets"]
    assert (buckets["withdrawn"], buckets["withdrawn_after_act_changed"]) == (2, 1)


def test_it_splits_by_kind_and_subject(agency):
    concluded(ReconsiderationFactory, agency=agency, outcome="revoked", subject=Subject.INFORMATION_DISCLOSURE)
    concluded(ReconsiderationFactory, agency=agency, outcome="upheld", subject=Subject.WORK_INJURY)
    CaseFactory(agency=agency, subject=Subject.WORK_INJURY)
    stats = yearly_statistics(year=2021, agency=agency)
    assert stats["by_kind"]["reconsideration"]["total"] == 2
    assert stats["by_kind"]["reconsideration"]["corrected"] == 1
    assert stats["by_subject"]["work_injury"] == {
        "total": 2, "upheld": 1, "corrected": 0, "withdrawn": 0, "withdrawn_after_act_changed": 0,
        "mediated": 0, "other": 0, "pending": 1,
    }
    assert stats["rates"]["correction"] == {"numerator": 1, "denominator": 2, "rate": 0.5}


# --- D4: attendance -----------------------------------------------------------------------------


def test_a_hearing_counts_in_the_year_of_its_beijing_date(agency):
    case = CaseFactory(agency=agency, received_on=dt.date(2021, 1, 1))
    held(case, at(2021, 12, 31, 23, 30))  # 15:30 UTC on 31 Dec
    held(case, at(2022, 1, 1, 0, 30))  # still 31 Dec in UTC
    assert yearly_statistics(year=2021, agency=agency)["rates"]["court_appearance"]["denominator"] == 1
    assert yearly_statistics(year=2022, agency=agency)["rates"]["court_appearance"]["denominator"] == 1


def test_a_hearing_attended_only_by_a_lawyer_is_not_an_appearance(agency):
    held(CaseFactory(agency=agency), at(2021, 5, 1), appeared=False, lawyer_names="某律师")
    held(CaseFactory(agency=agency), at(2021, 6, 1), appeared=True)
    assert yearly_statistics(year=2021, agency=agency)["rates"]["court_appearance"] == {
        "numerator": 1, "denominator": 2, "rate": 0.5,
    }


def test_scheduled_postponed_and_cancelled_hearings_are_not_counted(agency):
    case = CaseFactory(agency=agency)
    for status in (HearingStatus.SCHEDULED, HearingStatus.POSTPONED, HearingStatus.CANCELLED):
        HearingFactory(case=case, scheduled_at=at(2021, 5, 1), status=status)
    assert yearly_statistics(year=2021, agency=agency)["rates"]["court_appearance"]["denominator"] == 0


def test_the_leader_rate_counts_proceedings_not_hearings(agency):
    leader = UserFactory()
    first = CaseFactory(agency=agency)
    held(first, at(2021, 3, 1))
    held(first, at(2021, 4, 1), leader=leader)  # one attendance per instance suffices (SPC20 Art. 7)
    held(CaseFactory(agency=agency), at(2021, 5, 1))
    rates = yearly_statistics(year=2021, agency=agency)["rates"]
    assert rates["court_appearance"] == {"numerator": 3, "denominator": 3, "rate": 1.0}
    assert rates["leader_appearance"] == {"numerator": 1, "denominator": 2, "rate": 0.5}


def test_reconsideration_hearings_are_reported_apart_from_court_hearings(agency):
    recon = ReconsiderationFactory(agency=agency)
    held(recon, at(2021, 4, 20), kind=HearingKind.RECONSIDERATION, leader=UserFactory())
    held(CaseFactory(agency=agency), at(2021, 4, 21), kind=HearingKind.OTHER)
    rates = yearly_statistics(year=2021, agency=agency)["rates"]
    assert rates["hearing_appearance"] == {"numerator": 1, "denominator": 1, "rate": 1.0}
    assert rates["hearing_leader_appearance"] == {"numerator": 1, "denominator": 1, "rate": 1.0}
    assert rates["court_appearance"]["denominator"] == 0


# --- Scope ----------------------------------------------------------------------------------------


def test_it_covers_one_agency_its_sub_agencies_or_all(agency, other_agency):
    child = AgencyFactory(code="wuzhou-labour-inspection", parent=agency)
    for owner in (agency, child, other_agency):
        CaseFactory(agency=owner)
    assert yearly_statistics(year=2021, agency=agency)["total"] == 1
    assert yearly_statistics(year=2021, agency=agency, with_children=True)["total"] == 2
    everything = yearly_statistics(year=2021)
    assert (everything["total"], everything["agency"]) == (3, None)
    assert yearly_statistics(year=2021, agencies=[child.pk, other_agency.pk])["total"] == 2
    assert yearly_statistics(year=2021, agencies=Agency.objects.filter(code="hezhou-hrss"))["total"] == 1


@pytest.mark.parametrize("year", [1989, 2101, "20x1", None])
def test_it_refuses_a_year_out_of_range(agency, year):
    with pytest.raises(ValidationError):
        yearly_statistics(year=year, agency=agency)


# --- Queries ------------------------------------------------------------------------------------


@pytest.mark.parametrize("cases", [1, 100])
def test_a_live_roll_up_takes_six_queries_whatever_the_number_of_cases(agency, django_assert_num_queries, cases):
    for index in range(cases):
        case = concluded(agency=agency, outcome="revoked") if index % 2 else CaseFactory(agency=agency)
        held(case, at(2021, 5, 1))
    # One look for frozen year-end rows (there are none), cases grouped by kind and subject,
    # hearings, then D12's three.
    with django_assert_num_queries(6):
        stats = yearly_statistics(year=2021, agency=agency)
    assert stats["total"] == cases


def test_the_case_list_has_each_handled_case_with_its_year_end_bucket(agency):
    concluded(agency=agency, received_on=dt.date(2021, 11, 1), on=dt.date(2022, 2, 1), number="A")
    concluded(agency=agency, received_on=dt.date(2020, 11, 1), on=dt.date(2020, 12, 1), number="B")
    rows = case_rows(year=2021, ids={agency.pk})
    assert [(r["number"], r["bucket"], r["received_on"]) for r in rows] == [("A", "pending", "2021-11-01")]
    assert Case.objects.count() == 2
    assert rows[0]["kind"] == Kind.LITIGATION


# --- The oracle: a plain Python count written from D2-D4, against random cases and hearings -----

D8_SUBJECTS = ["work_injury", "social_insurance", "labour_inspection", "information_disclosure",
               "qualification", "work_ability", "failure_to_act", "other"]
BUCKETS = ["upheld", "corrected", "withdrawn", "withdrawn_after_act_changed", "mediated", "other", "pending"]
EDGE_DAYS = [dt.date(2019, 12, 31), dt.date(2020, 1, 1), dt.date(2020, 12, 31), dt.date(2021, 1, 1),
             dt.date(2021, 12, 31), dt.date(2022, 1, 1)]
EDGE_TIMES = [at(2020, 12, 31, 23, 59), at(2021, 1, 1, 0, 0), at(2021, 1, 1, 7, 59), at(2021, 12, 31, 23, 59),
              at(2022, 1, 1, 0, 0), at(2022, 1, 1, 7, 30)]

days = st.one_of(st.sampled_from(EDGE_DAYS), st.dates(dt.date(2019, 11, 1), dt.date(2022, 2, 28)))
moments = st.one_of(
    st.sampled_from(EDGE_TIMES),
    st.datetimes(dt.datetime(2019, 12, 1), dt.datetime(2022, 2, 1)).map(lambda d: d.replace(tzinfo=BEIJING)),
)
hearing_specs = st.fixed_dictionaries({
    "kind": st.sampled_from(["court", "reconsideration", "other"]),
    "status": st.sampled_from(["scheduled", "held", "held", "postponed", "cancelled"]),
    "when": moments,
    "appeared": st.booleans(),
    "leader": st.booleans(),
    "archived": st.integers(0, 7).map(lambda n: n == 0),
})


@st.composite
def case_specs(draw):
    kind = draw(st.sampled_from(["reconsideration", "litigation"]))
    instance = draw(st.sampled_from(["first", "second", "retrial"])) if kind == "litigation" else ""
    status = draw(st.sampled_from(["pending", "suspended", "concluded", "concluded", "concluded"]))
    received = draw(days)
    outcome = draw(st.sampled_from(outcomes_for(kind, instance or None))) if status == "concluded" else ""
    concluded_on = received + dt.timedelta(days=draw(st.integers(0, 400))) if outcome else None
    if outcome and draw(st.booleans()):
        concluded_on = draw(st.sampled_from([d for d in EDGE_DAYS if d >= received] or [received]))
    corrected = bool(outcome) and D8_BUCKET[outcome] == "corrected"
    return {
        "grounds": draw(st.lists(st.sampled_from(D12_GROUNDS), unique=True, max_size=3)) if corrected else [],
        "agency": draw(st.integers(0, 2)), "kind": kind, "instance": instance, "status": status,
        "subject": draw(st.sampled_from(D8_SUBJECTS)), "received_on": received, "outcome": outcome,
        "concluded_on": concluded_on, "act_changed": outcome in ("withdrawn", "deemed_withdrawn") and draw(st.booleans()),
        "archived": draw(st.integers(0, 9)) == 0,
        "hearings": draw(st.lists(hearing_specs, max_size=3)),
    }


D12_GROUNDS = ["insufficient_evidence", "wrong_law", "illegal_procedure", "beyond_authority", "abuse_of_power",
               "manifestly_improper", "failure_to_act", "other"]


@st.composite
def letter_specs(draw):
    received = draw(days)
    due = received + dt.timedelta(days=draw(st.integers(1, 90)))
    answered = draw(st.one_of(st.none(), days.filter(lambda d: d >= received), st.just(due),
                              st.just(due + dt.timedelta(days=1))))
    if answered is not None and answered < received:
        answered = None
    return {"agency": draw(st.integers(0, 2)), "received_on": received, "due_on": due, "answered_on": answered,
            "type": draw(st.sampled_from(["procuratorial_recommendation", "judicial_recommendation",
                                          "opinion_letter"])),
            "archived": draw(st.integers(0, 7)) == 0}


action_specs = st.fixed_dictionaries({
    "agency": st.integers(0, 2), "due_on": days, "done_on": st.one_of(st.none(), days),
    "archived": st.integers(0, 7).map(lambda n: n == 0),
})


def aftermath_oracle(specs, letters, actions, year, agencies):
    """D12's figures counted by hand: grounds of corrections/losses concluded in Y, letters, actions."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    grounds = dict.fromkeys(D12_GROUNDS, 0)
    for c in specs:
        if c["agency"] in agencies and not c["archived"] and c["status"] == "concluded" \
                and D8_BUCKET[c["outcome"]] == "corrected" and first <= c["concluded_on"] <= last:
            for g in c["grounds"]:
                grounds[g] += 1
    mine = [f for f in letters if f["agency"] in agencies and not f["archived"]]
    answered = [f for f in mine if f["answered_on"] and first <= f["answered_on"] <= last]
    todo = [a for a in actions if a["agency"] in agencies and not a["archived"] and first <= a["due_on"] <= last]
    return {
        "grounds": grounds,
        "follow_ups": {
            "received": sum(first <= f["received_on"] <= last for f in mine),
            "answered": len(answered),
            "answered_on_time": sum(f["answered_on"] <= f["due_on"] for f in answered),
            "open": sum(f["received_on"] <= last and (f["answered_on"] is None or f["answered_on"] > last)
                        for f in mine),
        },
        "corrective_actions": {"due": len(todo), "done": sum(bool(a["done_on"]) and a["done_on"] <= last
                                                            for a in todo)},
    }


def oracle(specs, year, agencies):
    """D2-D4 counted by hand over the specs, not through the code under test."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)

    def bucket(c):
        return D8_BUCKET[c["outcome"]] if c["status"] == "concluded" and c["concluded_on"] <= last else "pending"

    def count(rows):
        out = {"total": len(rows), **{b: 0 for b in BUCKETS}}
        for c in rows:
            out[bucket(c)] += 1
            if bucket(c) == "withdrawn" and c["act_changed"]:
                out["withdrawn_after_act_changed"] += 1
        return out

    mine = [c for c in specs if c["agency"] in agencies and not c["archived"]]
    handled = [c for c in mine if c["received_on"] <= last and (c["concluded_on"] is None or c["concluded_on"] >= first)]
    overall = count(handled)

    def rate(n, d):
        return {"numerator": n, "denominator": d, "rate": round(n / d, 4) if d else None}

    def concluded_in_year(kind):
        return [c for c in mine if c["kind"] == kind and c["concluded_on"] and first <= c["concluded_on"] <= last]

    def attendance(hearing_kind, case_kind):
        held_rows = [
            (i, h) for i, c in enumerate(specs) if c in mine and c["kind"] == case_kind for h in c["hearings"]
            if h["kind"] == hearing_kind and h["status"] == "held" and not h["archived"]
            and h["when"].astimezone(BEIJING).year == year
        ]
        with_hearing = {i for i, _ in held_rows}
        with_leader = {i for i, h in held_rows if h["appeared"] and h["leader"]}
        appeared = sum(1 for _, h in held_rows if h["appeared"])
        return rate(appeared, len(held_rows)), rate(len(with_leader), len(with_hearing))

    court, leader = attendance("court", "litigation")
    hearing, hearing_leader = attendance("reconsideration", "reconsideration")
    recon_done, lit_done = concluded_in_year("reconsideration"), concluded_in_year("litigation")
    return {
        "total": overall["total"],
        "buckets": {b: overall[b] for b in BUCKETS},
        "by_kind": {k: count([c for c in handled if c["kind"] == k]) for k in ("reconsideration", "litigation")},
        "by_subject": {s: count([c for c in handled if c["subject"] == s]) for s in D8_SUBJECTS},
        "rates": {
            "correction": rate(sum(D8_BUCKET[c["outcome"]] == "corrected" for c in recon_done), len(recon_done)),
            "loss": rate(sum(D8_BUCKET[c["outcome"]] == "corrected" for c in lit_done), len(lit_done)),
            "court_appearance": court, "leader_appearance": leader,
            "hearing_appearance": hearing, "hearing_leader_appearance": hearing_leader,
        },
    }


def store(specs):
    from cases.models import Hearing

    parent = AgencyFactory(code="p")
    agencies = [parent, AgencyFactory(code="c", parent=parent), AgencyFactory(code="o")]
    leader = get_user_model().objects.create(username="oracle-leader")  # no password: hashing is slow
    now = timezone.now()
    cases = Case.objects.bulk_create([
        Case(agency=agencies[c["agency"]], kind=c["kind"], litigation_instance=c["instance"], number=f"N{i}",
             reviewing_body="R", applicant="A", subject=c["subject"], received_on=c["received_on"],
             status=c["status"], outcome=c["outcome"], concluded_on=c["concluded_on"], act_changed=c["act_changed"],
             suspended_on=c["received_on"] if c["status"] == "suspended" else None,
             archived_at=now if c["archived"] else None)
        for i, c in enumerate(specs)
    ])
    Hearing.objects.bulk_create([
        Hearing(case=case, kind=h["kind"], scheduled_at=h["when"], status=h["status"],
                bureau_appeared=h["appeared"] if h["status"] == "held" else None,
                responsible_person=leader if h["status"] == "held" and h["appeared"] and h["leader"] else None,
                absence_reason="" if h["appeared"] and h["leader"] else "other",
                archived_at=now if h["archived"] else None)
        for case, c in zip(cases, specs, strict=True) for h in c["hearings"]
    ])
    CaseGround.objects.bulk_create([
        CaseGround(case=case, ground=g) for case, c in zip(cases, specs, strict=True) for g in c["grounds"]
    ])
    return agencies, cases


def store_aftermath(agencies, cases, letters, actions):
    now = timezone.now()
    FollowUp.objects.bulk_create([
        FollowUp(agency=agencies[f["agency"]], type=f["type"], issuing_body="B", received_on=f["received_on"],
                 due_on=f["due_on"], answered_on=f["answered_on"],
                 status=follow_up_status(f["due_on"], f["answered_on"]).value,
                 archived_at=now if f["archived"] else None)
        for f in letters
    ])
    # An action belongs to a case or a letter; the figures count it by its own agency either way.
    letter = FollowUp.objects.create(agency=agencies[0], type="opinion_letter", issuing_body="B",
                                     received_on=dt.date(2018, 1, 1), due_on=dt.date(2018, 3, 1),
                                     answered_on=dt.date(2018, 2, 1), status="answered")
    CorrectiveAction.objects.bulk_create([
        CorrectiveAction(agency=agencies[a["agency"]], follow_up=letter, description="D", responsible_unit="U",
                         due_on=a["due_on"], done_on=a["done_on"], archived_at=now if a["archived"] else None)
        for a in actions
    ])


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(case_specs(), max_size=12), year=st.sampled_from([2020, 2021, 2022]),
       letters=st.lists(letter_specs(), max_size=6), actions=st.lists(action_specs, max_size=6))
def test_the_database_roll_up_equals_a_plain_count_from_d2_to_d4_and_d12(db, specs, year, letters, actions):
    from django.db import transaction

    with transaction.atomic():
        (parent, child, other), cases = store(specs)
        store_aftermath([parent, child, other], cases, letters, actions)
        scopes = [
            (dict(agency=parent), {0}, "p"),
            (dict(agency=parent, with_children=True), {0, 1}, "p"),
            (dict(), {0, 1, 2}, None),
        ]
        for kwargs, indexes, label in scopes:
            got = yearly_statistics(year=year, **kwargs)
            expected = {**oracle(specs, year, indexes), **aftermath_oracle(specs, letters, actions, year, indexes)}
            assert got == {"year": year, "agency": label, **expected}
        transaction.set_rollback(True)
