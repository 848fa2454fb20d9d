"""A frozen row's numbers as one flat list (issue 17): the list stands for exactly the figures
it was made from, and adding lists adds the figures."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from casetracker.report import (
    BUCKET_KEYS,
    KIND_KEYS,
    Buckets,
    Rate,
    YearFigures,
    counts_layout,
    counts_sum,
    figure_count_keys,
    figures_counts,
    figures_from_counts,
)

SUBJECTS = ("work_injury", "pension", "labour_inspection")
KEYS = figure_count_keys(SUBJECTS)


@st.composite
def buckets(draw):
    parts = {key: draw(st.integers(0, 50)) for key in BUCKET_KEYS if key != "withdrawn_after_act_changed"}
    parts["withdrawn_after_act_changed"] = draw(st.integers(0, parts["withdrawn"]))
    total = sum(v for k, v in parts.items() if k != "withdrawn_after_act_changed")
    return Buckets(total=total, **parts)


@st.composite
def rates(draw):
    denominator = draw(st.integers(0, 40))
    return Rate(draw(st.integers(0, denominator)), denominator)


@st.composite
def year_figures(draw):
    rate_keys = ("correction", "loss", "court_appearance", "leader_appearance", "hearing_appearance",
                 "hearing_leader_appearance")
    return YearFigures(
        year=2021, agency="a",
        overall=draw(buckets()),
        by_kind={kind: draw(buckets()) for kind in KIND_KEYS},
        by_subject={code: draw(buckets()) for code in SUBJECTS},
        rates={key: draw(rates()) for key in rate_keys},
        grounds={key: draw(st.integers(0, 9)) for key in YearFigures(year=2021).grounds},
        follow_ups={key: draw(st.integers(0, 9)) for key in YearFigures(year=2021).follow_ups},
        corrective_actions={key: draw(st.integers(0, 9)) for key in YearFigures(year=2021).corrective_actions},
    )


@given(year_figures())
def test_the_flat_list_gives_back_the_figures_it_was_made_from(figures):
    counts = figures_counts(figures.as_dict(), KEYS)
    assert len(counts) == len(KEYS)
    again = figures_from_counts(year=2021, agency="a", counts=counts, keys=KEYS, subjects=SUBJECTS)
    assert again.as_dict() == figures.as_dict()


@given(st.lists(year_figures(), min_size=1, max_size=5))
def test_adding_the_lists_adds_every_count_and_every_rates_parts(parts):
    total = counts_sum([figures_counts(p.as_dict(), KEYS) for p in parts], len(KEYS))
    summed = figures_from_counts(year=2021, agency=None, counts=total, keys=KEYS, subjects=SUBJECTS)
    assert summed.total == sum(p.total for p in parts)
    assert summed.kind("litigation").corrected == sum(p.kind("litigation").corrected for p in parts)
    assert summed.rates["loss"].denominator == sum(p.rates["loss"].denominator for p in parts)
    assert summed.grounds == {key: sum(p.grounds[key] for p in parts) for key in summed.grounds}


def test_no_rows_add_up_to_zeros():
    assert counts_sum([], len(KEYS)) == [0] * len(KEYS)


def test_a_figures_object_from_before_a_key_existed_reads_zero_for_it():
    old = YearFigures(year=2021).as_dict()
    del old["corrective_actions"]
    assert figures_counts(old, KEYS)[-2:] == [0, 0]


def test_the_layout_changes_with_the_subjects_and_not_otherwise():
    assert counts_layout(KEYS) == counts_layout(figure_count_keys(SUBJECTS))
    assert counts_layout(KEYS) != counts_layout(figure_count_keys(SUBJECTS[:2]))
    assert len(counts_layout(KEYS)) == 16
