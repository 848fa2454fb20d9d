"""D10: every rule follows the version of the law in force on its trigger date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casetracker.periods import RULES, RuleError, RuleNotInForce, Unit, compute_due
from casetracker.rules import chinese_number

# (rule, trigger, version used, due, why) on both sides of each cut-over. Worked out by hand
# from the State Council notices (2015 Labour Day 1-3 May; 2017 Labour Day 29 Apr - 1 May;
# 2024 Spring Festival 10-17 Feb with Sun 4 and Sun 18 Feb worked).
VERSION_TABLE = [
    # 行政复议法 2023, in force 2024-01-01.
    ("reconsideration_reply", date(2023, 12, 29), "ARL-1999", date(2024, 1, 8),
     "10 calendar days (old Art. 23) land on Mon 8 Jan"),
    ("reconsideration_reply", date(2023, 12, 31), "ARL-1999", date(2024, 1, 10),
     "a period starting on 2023-12-31 keeps the old law although it ends in 2024"),
    ("reconsideration_reply", date(2024, 1, 1), "ARL-2023", date(2024, 1, 15),
     "10 working days from New Year's Day"),
    ("reconsideration_reply", date(2021, 9, 28), "ARL-1999", date(2021, 10, 8),
     "the demo year: 10 calendar days land on 8 Oct, the first day after National Day"),
    ("reconsideration_reply_simplified", date(2024, 1, 1), "ARL-2023", date(2024, 1, 8),
     "5 working days"),
    ("reconsideration_decision", date(2023, 12, 31), "ARL-1999", date(2024, 2, 29), "60 days, leap day"),
    ("reconsideration_decision", date(2024, 1, 1), "ARL-2023", date(2024, 3, 1), "60 days"),
    ("reconsideration_decision_extended", date(2023, 12, 31), "ARL-1999", date(2024, 4, 1),
     "90 days land on Sat 30 Mar"),
    ("reconsideration_decision_extended", date(2024, 1, 1), "ARL-2023", date(2024, 4, 1), "90 days"),
    ("reconsideration_decision_simplified", date(2024, 1, 1), "ARL-2023", date(2024, 1, 31), "30 days"),
    ("opinion_letter_correction", date(2007, 8, 1), "ARL-REG-2007", date(2007, 9, 30),
     "the implementing regulation's first day; 60 days land on Sun 30 Sep 2007, worked in lieu"),
    ("opinion_letter_correction", date(2023, 12, 31), "ARL-REG-2007", date(2024, 2, 29), "60 days"),
    ("opinion_letter_correction", date(2024, 1, 1), "ARL-2023", date(2024, 3, 1), "60 days"),
    # 行政诉讼法 2014 amendment, in force 2015-05-01.
    ("litigation_defence", date(2015, 4, 30), "ALL-1989", date(2015, 5, 11),
     "10 days (1989 Art. 43) land on Sun 10 May"),
    ("litigation_defence", date(2015, 5, 1), "ALL-2014", date(2015, 5, 18), "15 days land on Sat 16 May"),
    ("lawsuit_after_reconsideration", date(2015, 4, 30), "ALL-1989", date(2015, 5, 15), "15 days"),
    ("lawsuit_after_reconsideration", date(2015, 5, 1), "ALL-2014", date(2015, 5, 18), "15 days"),
    ("appeal_judgment", date(2015, 4, 30), "ALL-1989", date(2015, 5, 15), "15 days"),
    ("appeal_judgment", date(2015, 5, 1), "ALL-2014", date(2015, 5, 18), "15 days"),
    ("appeal_ruling", date(2015, 4, 30), "ALL-1989", date(2015, 5, 11), "10 days land on Sun 10 May"),
    ("appeal_ruling", date(2015, 5, 1), "ALL-2014", date(2015, 5, 11), "10 days"),
    ("first_instance_trial", date(2015, 4, 30), "ALL-1989", date(2015, 7, 30), "3 months"),
    ("first_instance_trial", date(2015, 5, 1), "ALL-2014", date(2015, 11, 2), "6 months land on Sun 1 Nov"),
    ("first_instance_simplified", date(2015, 5, 1), "ALL-2014", date(2015, 6, 15), "45 days"),
    ("first_instance_simplified", date(2024, 1, 1), "ALL-2014", date(2024, 2, 18),
     "45 days land on Sun 18 Feb 2024, worked in lieu: no roll"),
    ("second_instance_trial", date(2015, 4, 30), "ALL-1989", date(2015, 6, 30), "2 months"),
    ("second_instance_trial", date(2015, 5, 1), "ALL-2014", date(2015, 8, 3), "3 months land on Sat 1 Aug"),
    ("retrial_application", date(2015, 4, 30), "SPC-2000", date(2017, 5, 2),
     "2 years land on 30 Apr 2017, in Labour Day: roll to 2 May"),
    ("retrial_application", date(2015, 5, 1), "CPL-2023", date(2015, 11, 2), "6 months"),
    # Rules with one version.
    ("appellee_answer", date(2015, 4, 30), "CPL-2023", date(2015, 5, 15), "15 days"),
    ("appellee_answer", date(2024, 1, 1), "CPL-2023", date(2024, 1, 16), "15 days"),
    ("retrial_opinion", date(2023, 12, 31), "CPL-2023", date(2024, 1, 15), "15 days land on Mon 15 Jan"),
    ("retrial_opinion", date(2024, 1, 1), "CPL-2023", date(2024, 1, 16), "15 days"),
    ("act_redo", date(2007, 8, 1), "ARL-REG-2007", date(2007, 9, 30), "60 days"),
    ("act_redo", date(2024, 1, 1), "ARL-REG-2007", date(2024, 3, 1), "60 days"),
    ("recommendation_reply", date(2019, 2, 26), "SPP-2019", date(2019, 4, 26), "two months"),
    ("recommendation_reply", date(2023, 12, 31), "SPP-2019", date(2024, 2, 29), "two months, clamped"),
]  # fmt: skip


@pytest.mark.parametrize(("code", "trigger", "version", "due", "why"), VERSION_TABLE)
def test_it_applies_the_version_in_force_on_the_trigger_date(code, trigger, version, due, why):
    period = compute_due(code, trigger)
    assert (period.version.code, period.due) == (version, due), why


def test_the_table_covers_every_version_of_every_rule():
    covered = {(code, version) for code, _, version, _, _ in VERSION_TABLE}
    every = {(r.code, v.code) for r in RULES.values() for v in r.versions if v.variant in ("", r.variants[0])}
    assert covered == every


# (rule, variant, trigger, first day in force): the day before each rule existed.
NOT_IN_FORCE = [
    ("reconsideration_reply_simplified", "", date(2023, 12, 31), date(2024, 1, 1)),
    ("reconsideration_reply_simplified", "", date(2019, 4, 26), date(2024, 1, 1)),
    ("reconsideration_decision_simplified", "", date(2023, 12, 31), date(2024, 1, 1)),
    ("first_instance_simplified", "", date(2015, 4, 30), date(2015, 5, 1)),
    ("opinion_letter_correction", "", date(2007, 7, 31), date(2007, 8, 1)),
    ("act_redo", "reconsideration", date(2007, 7, 31), date(2007, 8, 1)),
    ("recommendation_reply", "procuratorial", date(2019, 2, 25), date(2019, 2, 26)),
]


@pytest.mark.parametrize(("code", "variant", "trigger", "since"), NOT_IN_FORCE)
def test_it_refuses_a_rule_asked_for_before_it_existed_with_a_one_line_reason(code, variant, trigger, since):
    with pytest.raises(RuleNotInForce) as error:
        compute_due(code, trigger, variant=variant)
    message = str(error.value)
    assert "\n" not in message
    assert message.endswith(f"was not in force on {trigger.isoformat()}: it applies from {since.isoformat()}.")
    assert compute_due(code, since, variant=variant).version.valid_from == since


def test_every_rule_without_a_version_on_some_day_is_in_the_not_in_force_table():
    late = {
        (r.code, v.variant)
        for r in RULES.values()
        for v in r.versions
        if r.first_in_force(v.variant) is not None
    }
    assert late == {(code, variant or RULES[code].variants[0]) for code, variant, _, _ in NOT_IN_FORCE}


def test_the_versions_of_a_variant_follow_each_other_without_gap_or_overlap():
    for rule in RULES.values():
        for variant in rule.variants:
            versions = [v for v in rule.versions if v.variant == variant]
            for before, after in zip(versions, versions[1:], strict=False):
                assert before.valid_until is not None and after.valid_from is not None
                assert after.valid_from - before.valid_until == timedelta(days=1), rule.code
            assert versions[-1].valid_until is None, rule.code
        assert len({v.code for v in rule.versions}) == len(rule.versions), rule.code


def test_a_judicial_recommendation_takes_the_letters_period_or_thirty_days():
    assert compute_due("recommendation_reply", date(2024, 3, 1), variant="judicial").due == date(2024, 4, 1)
    assert compute_due("recommendation_reply", date(2024, 3, 1), variant="judicial", length=20).due == date(
        2024, 3, 21
    )


def test_a_judgment_ordering_a_new_act_needs_the_judgments_own_period():
    with pytest.raises(RuleError, match="the deciding document sets this period"):
        compute_due("act_redo", date(2024, 3, 1), variant="judgment")
    assert compute_due("act_redo", date(2024, 3, 1), variant="judgment", length=30).due == date(2024, 4, 1)


def test_it_refuses_a_hand_set_length_for_a_statutory_period():
    with pytest.raises(RuleError, match="has a statutory length"):
        compute_due("litigation_defence", date(2024, 3, 1), length=30)


def test_it_names_the_valid_variants_of_a_rule():
    with pytest.raises(RuleError, match="valid variants: procuratorial, judicial"):
        compute_due("recommendation_reply", date(2024, 3, 1), variant="police")


# --- the basis in words ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "words"),
    [(1, "一"), (10, "十"), (15, "十五"), (23, "二十三"), (67, "六十七"), (101, "一百零一"), (110, "一百一十"),
     (174, "一百七十四"), (216, "二百一十六"), (2000, "二千")],
)  # fmt: skip
def test_it_writes_article_numbers_as_statutes_do(n, words):
    assert chinese_number(n) == words


def test_it_states_the_basis_as_law_article_and_period_in_words():
    defence = RULES["litigation_defence"]
    assert defence.version_on(date(2024, 1, 1)).basis_zh == "《行政诉讼法》第六十七条：收到起诉状副本之日起十五日内提交答辩状"
    assert defence.version_on(date(2015, 4, 30)).basis_zh.startswith("《行政诉讼法》（1989年）第四十三条：")
    assert defence.version_on(date(2024, 1, 1)).basis_en == (
        "Administrative Litigation Law Art. 67: file a defence within 15 days of receiving the complaint copy"
    )


def test_every_statutory_period_in_words_says_its_own_length():
    # "两个月", "二年" (24 months), "六十日...延长不超过三十日" (90 days)
    chinese_length = {2: "两", 24: "二", 90: "延长不超过三十"}
    for rule in RULES.values():
        for version in rule.versions:
            if version.length is None:
                continue
            words = chinese_length.get(version.length) or chinese_number(version.length)
            assert words in version.period_zh, (rule.code, version.code)
            unit_words = {Unit.WORKING_DAYS: "工作日", Unit.DAYS: "日", Unit.MONTHS: "月"}[version.unit]
            assert unit_words in version.period_zh or version.length == 24, (rule.code, version.code)


# --- properties ------------------------------------------------------------------------------

VERSIONED = st.sampled_from([(r, variant) for r in RULES.values() for variant in r.variants if variant != "judgment"])


@settings(max_examples=150, deadline=None)
@given(pair=VERSIONED, trigger=st.dates(min_value=date(2004, 1, 1), max_value=date(2030, 12, 31)))
def test_the_version_used_is_the_one_whose_window_contains_the_trigger(pair, trigger):
    rule, variant = pair
    containing = [v for v in rule.versions if v.variant == variant and v.in_force_on(trigger)]
    assert len(containing) <= 1
    if not containing:
        with pytest.raises(RuleNotInForce):
            compute_due(rule, trigger, variant=variant)
        return
    period = compute_due(rule, trigger, variant=variant)
    assert period.version == containing[0]
    assert period.due > period.trigger
