"""The report adds one sentence on grounds, follow-up letters and corrective actions (D12) when any is non-zero."""

from __future__ import annotations

import dataclasses

from casetracker.report import GROUND_KEYS, Buckets, YearFigures, text_en, text_zh

BASE = YearFigures(year=2025, agency="wuzhou-hrss", overall=Buckets(total=2, upheld=1, corrected=1),
                   by_kind={"litigation": Buckets(total=2, upheld=1, corrected=1)})


def with_(**fields):
    return dataclasses.replace(BASE, **fields)


def test_it_adds_no_sentence_when_every_d12_figure_is_zero():
    assert "审理机关认定" not in text_zh(BASE) and "检察建议" not in text_zh(BASE) and "整改" not in text_zh(BASE)


def test_it_names_each_ground_with_its_count():
    grounds = {**dict.fromkeys(GROUND_KEYS, 0), "insufficient_evidence": 1, "illegal_procedure": 2}
    text = text_zh(with_(grounds=grounds))
    assert text.endswith("纠错、败诉案件中，审理机关认定主要证据不足1件、违反法定程序2件。")
    assert "insufficient main evidence 1" in text_en(with_(grounds=grounds))


def test_it_says_how_many_letters_came_and_were_answered_on_time_in_one_sentence():
    follow_ups = {"received": 3, "answered": 2, "answered_on_time": 1, "open": 1}
    actions = {"due": 2, "done": 1}
    text = text_zh(with_(follow_ups=follow_ups, corrective_actions=actions))
    assert text.endswith("全年收到检察建议、司法建议和行政复议意见书3件，年内答复2件（其中按期答复1件），"
                         "年末尚未答复1件；整改措施年内到期2项，已完成1项。")
    assert text.count("。") == text_zh(BASE).count("。") + 1


def test_old_snapshots_without_the_d12_keys_read_as_zero():
    data = BASE.as_dict()
    for key in ("grounds", "follow_ups", "corrective_actions"):
        del data[key]
    again = YearFigures.from_dict(data)
    assert again.as_dict()["follow_ups"] == {"received": 0, "answered": 0, "answered_on_time": 0, "open": 0}
    assert text_zh(again) == text_zh(BASE)
