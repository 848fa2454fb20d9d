"""The ledger workbook's columns: one format for the export and the import (docs/ledger-import.md).

Sheet 1 holds one row per proceeding (D1), sheet 开庭 one row per hearing. Headers are
Chinese and exact in the export; the import also takes the synonyms below, in any
order, with spaces, full-width characters or a trailing * (the template's required mark).
Choice columns take the Chinese label (or one of its / parts), the English label or the
code, so 责令履行, 判决履行, ordered_to_perform and "Ordered to perform" are one outcome.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Final

from django.db import models
from django.utils import translation

from cases.choices import (
    AbsenceReason,
    HearingKind,
    HearingStatus,
    Instance,
    JudgmentForm,
    Kind,
    Outcome,
    Procedure,
    Subject,
)
from casetracker.ledger_values import normalize_label

CASE_SHEET: Final = "案件"  # the export's name; the import reads whichever sheet comes first
HEARING_SHEET: Final = "开庭"
LABEL_SHEET: Final = "可选值"  # the template's list of allowed labels; the import skips it
PEOPLE_SEPARATORS: Final = "、,，;；/\n"
YES: Final = "是"
NO: Final = "否"


@dataclass(frozen=True)
class Column:
    """One column: its exact header, the fact it carries, how its cells are read."""

    header: str
    key: str
    kind: str  # text | day | moment | flag | choice | people | person | number
    required: bool = False
    choices: type[models.TextChoices] | None = None
    synonyms: tuple[str, ...] = field(default=())
    width: int = 14


CASE_COLUMNS: Final[tuple[Column, ...]] = (
    Column("案号", "number", "number", True, synonyms=("案件编号", "案件号", "复议案号", "诉讼案号"), width=26),
    Column("类型", "kind", "choice", True, Kind, ("案件类型", "案件类别"), width=10),
    Column("审级", "litigation_instance", "choice", False, Instance, ("诉讼审级",), width=6),
    Column("程序", "procedure", "choice", False, Procedure, ("适用程序", "审理程序"), width=10),
    Column("审理机关", "reviewing_body", "text", True,
           synonyms=("法院", "复议机关", "审理法院", "受理机关", "受理法院", "审理机关(法院/复议机关)"), width=24),
    Column("申请人/原告", "applicant", "text", True,
           synonyms=("原告", "申请人", "申请人(原告)", "原告/申请人", "当事人", "申请人或原告"), width=22),
    Column("第三人", "third_parties", "text", synonyms=("第三人姓名",)),
    Column("案由", "subject", "choice", True, Subject, ("案件类别(案由)", "案由类别"), width=16),
    Column("被诉行为", "act_description", "text",
           synonyms=("被诉行政行为", "被申请行政行为", "被诉(被申请)行政行为", "行政行为"), width=28),
    Column("行为文号", "act_document_number", "text", synonyms=("行政行为文号", "文号", "决定文号"), width=22),
    Column("行为日期", "act_date", "day", synonyms=("行政行为日期", "行政行为作出日期", "作出日期")),
    Column("收到日期", "received_on", "day", True,
           synonyms=("收案日期", "收件日期", "收到起诉状日期", "收到答复通知书日期", "收到副本日期", "收到复议申请书副本/起诉状副本日期")),
    Column("立案日期", "accepted_on", "day", synonyms=("受理日期", "受理/立案日期", "立案时间", "受理时间")),
    Column("收到上诉状日期", "appeal_received_on", "day", synonyms=("收到上诉状副本日期",)),
    Column("裁判文书类型", "judgment_form", "choice", False, JudgmentForm, ("文书类型",)),
    Column("裁判文书送达日期", "judgment_served_on", "day", synonyms=("判决送达日期", "裁判送达日期")),
    Column("复议决定送达日期", "decision_served_on", "day", synonyms=("复议决定送达申请人日期", "决定送达日期")),
    Column("生效日期", "effective_on", "day", synonyms=("裁判生效日期", "判决生效日期")),
    Column("复议决定期限延长", "decision_extended", "flag", synonyms=("决定期限延长", "复议决定期限已延长", "延期审理")),
    Column("中止日期", "suspended_on", "day", synonyms=("中止时间",)),
    Column("结果", "outcome", "choice", False, Outcome,
           ("裁判结果", "复议结果", "审理结果", "结案结果", "结案情况", "处理结果"), width=18),
    Column("结案日期", "concluded_on", "day", synonyms=("结案时间", "审结日期", "结案日")),
    Column("文书号", "decision_number", "text",
           synonyms=("决定书号", "裁判文书号", "文书编号", "决定书/裁判文书号", "决定书文号"), width=22),
    Column("自行纠正后撤回", "act_changed", "flag",
           synonyms=("我局自行纠正后撤回", "我局先行改变或撤回行政行为", "先行改变行政行为", "自行纠正")),
    Column("共同被告", "co_defendant", "flag", synonyms=("是否共同被告", "共同被告人")),
    Column("前序案号", "previous", "number", synonyms=("前一程序案号", "前一程序", "原审案号", "关联案号", "上一程序案号"), width=26),
    Column("承办人", "handlers", "people", synonyms=("经办人", "承办人员", "承办人(多人用、分隔)")),
    Column("备注", "notes", "text", synonyms=("说明", "备注说明"), width=24),
)

HEARING_COLUMNS: Final[tuple[Column, ...]] = (
    Column("案号", "number", "number", True, synonyms=("案件编号", "案件号"), width=26),
    Column("审理机关", "reviewing_body", "text", synonyms=("法院", "复议机关"), width=24),
    Column("开庭时间", "scheduled_at", "moment", True, synonyms=("开庭日期", "听证时间", "开庭/听证时间", "庭审时间"), width=18),
    Column("类型", "kind", "choice", False, HearingKind, ("开庭类型", "庭审类型"), width=10),
    Column("地点", "place", "text", synonyms=("开庭地点", "听证地点"), width=18),
    Column("状态", "status", "choice", False, HearingStatus, ("开庭状态",), width=10),
    Column("拟出庭负责人", "expected_leader", "person", synonyms=("拟出庭领导",)),
    Column("出庭负责人", "responsible_person", "person", synonyms=("出庭领导", "负责人出庭", "出庭的负责人")),
    Column("我局出庭人员", "staff", "people", synonyms=("出庭人员", "出庭工作人员", "我局出庭工作人员")),
    Column("律师", "lawyer_names", "text", synonyms=("代理律师", "委托律师", "出庭律师")),
    Column("负责人未出庭原因", "absence_reason", "choice", False, AbsenceReason,
           ("未出庭原因", "未出庭事由", "负责人未出庭事由"), width=20),
    Column("事由说明", "absence_detail", "text", synonyms=("未出庭说明",), width=20),
    Column("备注", "notes", "text", synonyms=("说明",), width=20),
)


@cache
def _header_index(columns: tuple[Column, ...]) -> dict[str, Column]:
    index: dict[str, Column] = {}
    for column in columns:
        for name in (column.header, *column.synonyms):
            index[normalize_label(name)] = column
    return index


def column_for(header: str, columns: tuple[Column, ...]) -> Column | None:
    """The column a typed header means, or None for a column the ledger does not know."""
    cleaned = normalize_label(header).rstrip("*")
    return _header_index(columns).get(cleaned)


def _chinese_parts(label: str) -> list[str]:
    """职称 / 资格 / 考试 -> the whole label and each part; 撤回申请(终止) also as 撤回申请."""
    label = unicodedata.normalize("NFKC", label)
    parts = [label, *(part.strip() for part in label.split("/"))]
    parts += [part.split("(", 1)[0].strip() for part in parts if "(" in part]
    return [part for part in parts if part]


@cache
def choice_index(choices: type[models.TextChoices]) -> dict[str, str]:
    """Every spelling a cell may use for a choice (Chinese, its parts, English, the code) -> code."""
    index: dict[str, str] = {}
    for code, label in choices.choices:
        with translation.override("zh-hans"):
            chinese = str(label)
        with translation.override("en"):
            english = str(label)
        for name in (*_chinese_parts(chinese), english, code):
            index.setdefault(normalize_label(name), code)
    for typed, code in EXTRA_LABELS.get(choices.__name__, {}).items():
        index.setdefault(normalize_label(typed), code)
    return index


def label_of(choices: type[models.TextChoices], code: str) -> str:
    """The Chinese label the export writes (the whole label, as the form shows it)."""
    if not code:
        return ""
    with translation.override("zh-hans"):
        return str(dict(choices.choices).get(code, code))


# Spellings people use that are not a part of the label (the D8 table's own wording).
EXTRA_LABELS: Final[dict[str, dict[str, str]]] = {
    "Outcome": {
        "驳回上诉,维持原判": Outcome.UPHELD, "驳回上诉": Outcome.UPHELD, "维持原判": Outcome.UPHELD,
        "撤回": Outcome.WITHDRAWN, "撤回申请": Outcome.WITHDRAWN, "终止(撤回)": Outcome.WITHDRAWN,
        "撤回起诉": Outcome.WITHDRAWN, "调解书": Outcome.MEDIATED, "和解": Outcome.WITHDRAWN,
        "驳回起诉": Outcome.SUIT_DISMISSED, "驳回诉讼请求": Outcome.CLAIMS_DISMISSED,
        "驳回申请": Outcome.APPLICATION_REJECTED, "给付": Outcome.PAYMENT_ORDERED,
        "发回": Outcome.REMANDED,
    },
    "Kind": {"复议": Kind.RECONSIDERATION, "诉讼": Kind.LITIGATION, "应诉": Kind.LITIGATION},
    "Instance": {"第一审": Instance.FIRST, "第二审": Instance.SECOND},
    "Procedure": {"普通": Procedure.ORDINARY, "简易": Procedure.SIMPLIFIED},
    "HearingKind": {"开庭": HearingKind.COURT, "听证": HearingKind.RECONSIDERATION},
    "HearingStatus": {"已开": HearingStatus.HELD, "延期": HearingStatus.POSTPONED, "取消": HearingStatus.CANCELLED},
}

FLAG_VALUES: Final[dict[str, bool]] = {
    normalize_label(text): value
    for texts, value in (
        (("是", "yes", "y", "true", "1", "√", "✓", "有"), True),
        (("否", "no", "n", "false", "0", "×", "无", ""), False),
    )
    for text in texts
}
