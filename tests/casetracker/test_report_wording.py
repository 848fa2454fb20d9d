"""The report paragraph reads right for zero cases, one bucket, corrected and lost cases (D3, D4)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casetracker.report import Buckets, Rate, YearFigures, figures_diff, text_en, text_zh


def figures(
    *, recon: dict[str, int] | None = None, lit: dict[str, int] | None = None, rates: dict[str, Rate] | None = None
) -> YearFigures:
    recon_b = Buckets(total=sum(v for k, v in (recon or {}).items() if k != "withdrawn_after_act_changed"), **(recon or {}))
    lit_b = Buckets(total=sum(v for k, v in (lit or {}).items() if k != "withdrawn_after_act_changed"), **(lit or {}))
    keys = ("upheld", "corrected", "withdrawn", "withdrawn_after_act_changed", "mediated", "other", "pending")
    overall = Buckets(total=recon_b.total + lit_b.total, **{k: getattr(recon_b, k) + getattr(lit_b, k) for k in keys})
    base = YearFigures(year=2021, agency="wuzhou-hrss", overall=overall,
                       by_kind={"reconsideration": recon_b, "litigation": lit_b})
    all_rates = {**base.rates, **(rates or {})}
    return YearFigures(year=2021, agency="wuzhou-hrss", overall=overall, by_kind=base.by_kind, rates=all_rates)


def test_it_says_no_cases_arose_in_an_empty_year():
    empty = figures()
    assert text_zh(empty) == "2021年，我局未发生被行政复议和行政应诉案件。"
    assert "no administrative reconsideration or litigation" in text_en(empty)
    assert "%" not in text_zh(empty) and "—" not in text_zh(empty)


def test_it_uses_all_of_them_when_every_case_is_in_one_bucket():
    text = text_zh(figures(recon={"upheld": 3}))
    assert text.startswith("2021年，我局共处理被行政复议案件3件，审理机关均维持我局行政行为。")
    assert "其中" not in text.split("。")[0]
    assert "all upheld" in text_en(figures(recon={"upheld": 3}))


def test_it_does_not_say_all_for_a_single_case():
    text = text_zh(figures(lit={"pending": 1}))
    assert text.startswith("2021年，我局共处理行政应诉案件1件，尚未结案。")
    assert "1 case " in text_en(figures(lit={"pending": 1}))


def test_it_names_every_non_zero_bucket_and_corrected_and_lost_apart():
    text = text_zh(figures(
        recon={"upheld": 5, "corrected": 2, "mediated": 1},
        lit={"upheld": 3, "corrected": 1, "other": 1, "pending": 2},
        rates={"correction": Rate(2, 8), "loss": Rate(1, 5)},
    ))
    assert "共处理被行政复议案件和行政应诉案件15件（行政复议8件、行政诉讼7件）" in text
    for part in ("维持我局行政行为8件", "被复议机关纠错2件", "被人民法院判决败诉1件", "调解结案1件",
                 "以其他方式结案1件", "未结案的2件", "纠错率25%", "败诉率20%"):
        assert part in text
    assert "撤回" not in text


def test_it_says_how_many_withdrawals_followed_the_bureaus_own_correction():
    text = text_zh(figures(lit={"upheld": 1, "withdrawn": 2, "withdrawn_after_act_changed": 1}))
    assert "撤回我局行政行为2件（其中1件系我局自行纠正后撤回）" in text
    assert "2 withdrawn (1 after the bureau corrected its own act)" in text_en(
        figures(lit={"upheld": 1, "withdrawn": 2, "withdrawn_after_act_changed": 1})
    )


def test_it_leaves_out_the_self_correction_note_when_none_was_corrected():
    assert "自行纠正" not in text_zh(figures(lit={"upheld": 1, "withdrawn": 2}))


def test_it_states_the_attendance_rates_with_their_fractions():
    text = text_zh(figures(
        lit={"upheld": 8},
        rates={"court_appearance": Rate(8, 8), "leader_appearance": Rate(7, 8),
               "hearing_appearance": Rate(1, 1), "hearing_leader_appearance": Rate(0, 1)},
    ))
    assert "出庭应诉率100%（8/8）" in text
    assert "负责人出庭应诉率87.5%（7/8）" in text
    assert "听证参加率100%（1/1）" in text and "负责人参加听证率0%（0/1）" in text


def test_it_shows_a_dash_for_lawsuits_with_no_hearing_instead_of_a_rate():
    text = text_zh(figures(lit={"pending": 2}))
    assert "出庭应诉率—" in text
    assert "100%" not in text


def test_a_rate_with_an_empty_denominator_has_no_value():
    assert Rate(0, 0).rate is None
    assert Rate(0, 0).percent == "—"
    assert Rate(0, 0).as_dict() == {"numerator": 0, "denominator": 0, "rate": None}


@pytest.mark.parametrize(("n", "d", "shown"), [
    (1, 1, "100%"), (0, 3, "0%"), (1, 3, "33.3%"), (7, 8, "87.5%"), (1, 2, "50%"),
    (1999, 2000, "99.9%"), (1, 2000, "0.1%"),
])
def test_it_never_rounds_a_partial_rate_to_all_or_nothing(n, d, shown):
    assert Rate(n, d).percent == shown


def test_it_refuses_an_impossible_rate():
    with pytest.raises(ValueError):
        Rate(3, 2)


def test_it_refuses_buckets_that_do_not_add_up():
    with pytest.raises(ValueError):
        Buckets(total=3, upheld=1)


@given(st.integers(0, 500), st.integers(0, 500))
def test_the_rate_is_the_fraction_rounded_to_four_places(a, b):
    n, d = min(a, b), max(a, b)
    rate = Rate(n, d)
    assert rate.rate == (None if d == 0 else round(n / d, 4))


def test_the_json_shape_round_trips():
    data = figures(recon={"upheld": 2, "withdrawn": 1, "withdrawn_after_act_changed": 1},
                   rates={"correction": Rate(0, 3)}).as_dict()
    assert list(data) == ["year", "agency", "total", "buckets", "by_kind", "by_subject", "rates", "grounds", "follow_ups",
                          "corrective_actions"]
    assert YearFigures.from_dict(data).as_dict() == data


def test_the_diff_names_each_changed_figure():
    before = figures(lit={"upheld": 1, "pending": 1}).as_dict()
    after = figures(lit={"upheld": 2}).as_dict()
    changes = {c["key"]: (c["before"], c["after"]) for c in figures_diff(before, after)}
    assert changes["buckets.pending"] == (1, 0)
    assert changes["by_kind.litigation.upheld"] == (1, 2)
    assert "total" not in changes
    assert figures_diff(before, before) == []


_BUCKET_COUNTS = st.integers(min_value=0, max_value=40)


@given(
    recon=st.fixed_dictionaries({k: _BUCKET_COUNTS for k in ("upheld", "corrected", "withdrawn", "pending")}),
    lit=st.fixed_dictionaries({k: _BUCKET_COUNTS for k in ("upheld", "corrected", "mediated", "other")}),
    held=st.integers(min_value=0, max_value=30),
    attended=st.integers(min_value=0, max_value=30),
)
def test_the_chinese_paragraph_uses_full_width_punctuation_and_half_width_numbers(recon, lit, held, attended):
    """GB/T 15834: ，；：（） in Chinese sentences; digits, / and % stay half-width."""
    attended = min(attended, held)
    text = text_zh(figures(recon=recon, lit=lit, rates={
        "court_appearance": Rate(attended, held), "leader_appearance": Rate(attended, held),
        "correction": Rate(recon["corrected"], recon["corrected"] + recon["upheld"]),
    }))
    assert not set(text) & set(",;:()"), text
    assert not set(text) & set("０１２３４５６７８９％／"), text


def test_the_withdrawal_note_is_a_full_width_parenthesis():
    text = text_zh(figures(lit={"upheld": 1, "withdrawn": 2, "withdrawn_after_act_changed": 2}))
    assert "撤回我局行政行为2件（均系我局自行纠正后撤回）" in text
