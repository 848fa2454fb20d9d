"""The shipped templates: built here with python-docx, written as .docx files under docx/.

The .docx files are what the tracker renders (and what an office downloads to make its
own version); this module is how they are made, so a change of wording or layout is a
code change with a review: ``manage.py build_filing_templates`` rewrites them, and
tests/defence/test_templates.py fails while a committed file is out of step.

Placeholders are docxtpl's Jinja tags; every name used must be one the context of
that filing provides (cases/filings/context.py, PLACEHOLDERS).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Final

from docx import Document
from docx.document import Document as DocxDocument

from cases.choices.defence import FilingCode
from cases.filings import layout as L

DIRECTORY: Final = Path(__file__).resolve().parent / "docx"
EVIDENCE_HEADER: Final = ["序号", "证据名称", "证据来源", "证明目的", "页数", "原件/复印件"]
EVIDENCE_WIDTHS: Final[list[float]] = [12, 42, 28, 50, 12, 12]


def path_of(code: str) -> Path:
    return DIRECTORY / f"{code}.docx"


def _new() -> DocxDocument:
    return L.apply_layout(Document())


def _parties(doc: DocxDocument) -> None:
    """One line per party: 原告 / 被告 / 共同被告 / 第三人 (or 申请人 / 被申请人 / 第三人)."""
    L.body(doc, "{%p for party in parties %}", indent=False)
    L.body(doc, "{{ party.role }}:{{ party.name }}{% if party.detail %},{{ party.detail }}{% endif %}", indent=False)
    L.body(doc, "{%p endfor %}", indent=False)


def _evidence_tables(doc: DocxDocument) -> None:
    """A court-style table per group (一、证据 二、依据 三、程序材料), numbered within the group."""
    L.body(doc, "{%p for group in evidence_groups %}", indent=False)
    L.heading(doc, "{{ group.heading }}")
    grid = L.table(doc, EVIDENCE_HEADER, EVIDENCE_WIDTHS)
    L.table_row(doc, grid, ["{%tr for row in group.rows %}", "", "", "", "", ""])
    L.table_row(doc, grid, ["{{ row.no }}", "{{ row.name }}", "{{ row.source }}", "{{ row.purpose }}",
                            "{{ row.pages }}", "{{ row.original }}"])
    L.table_row(doc, grid, ["{%tr endfor %}", "", "", "", "", ""])
    L.body(doc, "{%p endfor %}", indent=False)
    L.body(doc, "{%p if not evidence_groups %}", indent=False)
    L.body(doc, "(证据目录尚无证据)")
    L.body(doc, "{%p endif %}", indent=False)


def _signature(doc: DocxDocument, who: str = "{{ agency_name }}") -> None:
    L.body(doc, "")
    L.body(doc, f"{who}(盖章)", indent=False, align="right")
    L.body(doc, "{{ today }}", indent=False, align="right")


def _caption(doc: DocxDocument) -> None:
    L.body(doc, "案号:{{ case_number }}", indent=False, align="right")


def defence() -> DocxDocument:
    doc = _new()
    L.title(doc, "行政答辩状")
    _caption(doc)
    L.body(doc, "答辩人:{{ agency_name }}", indent=False)
    L.body(doc, "法定代表人:{{ representative_name }},{{ representative_title }}", indent=False)
    _parties(doc)
    L.body(doc, "答辩人因{{ applicant }}诉{{ defendants_text }}{{ subject_label }}一案,"
                "对{{ act_text }}不服提起的诉讼,现提出答辩如下:")
    for heading in ("一、答辩请求", "二、事实与理由", "三、法律依据"):
        L.heading(doc, heading)
        L.body(doc, "")
    L.body(doc, "此致")
    L.body(doc, "{{ court }}", indent=False)
    _signature(doc, "答辩人:{{ agency_name }}")
    L.body(doc, "附:证据目录(共{{ evidence_count }}项)", indent=False)
    _evidence_tables(doc)
    return doc


def reconsideration_reply() -> DocxDocument:
    doc = _new()
    L.title(doc, "行政复议答复书")
    _caption(doc)
    L.body(doc, "答复人:{{ agency_name }}", indent=False)
    L.body(doc, "法定代表人:{{ representative_name }},{{ representative_title }}", indent=False)
    _parties(doc)
    L.body(doc, "{{ applicant }}不服答复人作出的{{ act_text }},向{{ court }}申请行政复议。"
                "答复人现依照《中华人民共和国行政复议法》第四十八条的规定,提出书面答复如下:")
    for heading in ("一、答复请求", "二、事实与理由", "三、法律依据"):
        L.heading(doc, heading)
        L.body(doc, "")
    L.body(doc, "此致")
    L.body(doc, "{{ court }}", indent=False)
    _signature(doc, "答复人:{{ agency_name }}")
    L.body(doc, "附:作出行政行为的证据、依据和其他有关材料目录(共{{ evidence_count }}项)", indent=False)
    _evidence_tables(doc)
    return doc


def evidence_list() -> DocxDocument:
    doc = _new()
    L.title(doc, "证据目录")
    _caption(doc)
    L.body(doc, "{{ court }}:", indent=False)
    L.body(doc, "{{ applicant }}诉{{ defendants_text }}{{ subject_label }}一案,{{ agency_name }}"
                "提交证据、依据和程序材料共{{ evidence_count }}项,目录如下:")
    _parties(doc)
    _evidence_tables(doc)
    _signature(doc, "提交人:{{ agency_name }}")
    return doc


def legal_representative() -> DocxDocument:
    doc = _new()
    L.title(doc, "法定代表人身份证明书")
    _caption(doc)
    L.body(doc, "{{ court }}:", indent=False)
    L.body(doc, "{{ representative_name }}在我单位任{{ representative_title }}职务,"
                "是我单位的法定代表人(负责人)。")
    L.body(doc, "本证明书用于{{ applicant }}诉{{ defendants_text }}{{ subject_label }}一案。")
    _parties(doc)
    L.body(doc, "特此证明。")
    _signature(doc)
    return doc


def power_of_attorney() -> DocxDocument:
    doc = _new()
    L.title(doc, "授权委托书")
    _caption(doc)
    L.body(doc, "委托人:{{ agency_name }}", indent=False)
    L.body(doc, "法定代表人:{{ representative_name }},{{ representative_title }}", indent=False)
    L.body(doc, "{%p for agent in agents %}", indent=False)
    L.body(doc, "受委托人:{{ agent.name }},{{ agent.unit }}{% if agent.title %}{{ agent.title }}{% endif %}"
                "{% if agent.phone %},电话{{ agent.phone }}{% endif %}", indent=False)
    L.body(doc, "{%p endfor %}", indent=False)
    L.body(doc, "{{ court }}受理的{{ applicant }}诉{{ defendants_text }}{{ subject_label }}一案,"
                "现委托上列受委托人作为我方的诉讼代理人。")
    _parties(doc)
    L.body(doc, "代理权限:{{ authority_label }}。{{ authority_scope }}")
    L.body(doc, "此致")
    L.body(doc, "{{ court }}", indent=False)
    _signature(doc, "委托人:{{ agency_name }}")
    return doc


def hearing_notice() -> DocxDocument:
    doc = _new()
    L.title(doc, "出庭通知")
    _caption(doc)
    L.body(doc, "{{ leader_name }}同志:", indent=False)
    L.body(doc, "{{ court }}受理的{{ applicant }}诉{{ defendants_text }}{{ subject_label }}一案,"
                "定于{{ hearing_at }}在{{ hearing_place }}{{ hearing_kind_label }}。")
    _parties(doc)
    L.body(doc, "根据《中华人民共和国行政诉讼法》第三条第三款和《最高人民法院关于行政机关负责人出庭应诉"
                "若干问题的规定》,请您按时出庭应诉。如因不可抗力、意外事件或需要履行他人不能代替的公务等"
                "正当理由不能出庭,请于开庭前告知法制科,以便向法院提交情况说明并委托相应工作人员出庭。")
    _signature(doc, "{{ agency_name }}法制科")
    return doc


def absence_statement() -> DocxDocument:
    doc = _new()
    L.title(doc, "行政机关负责人不能出庭应诉情况说明")
    _caption(doc)
    L.body(doc, "{{ court }}:", indent=False)
    L.body(doc, "贵院受理的{{ applicant }}诉{{ defendants_text }}{{ subject_label }}一案,"
                "定于{{ hearing_at }}在{{ hearing_place }}开庭审理。")
    _parties(doc)
    L.body(doc, "我单位负责人{{ leader_name }}因{{ absence_reason_label }}"
                "{% if absence_detail %}({{ absence_detail }}){% endif %},不能出庭应诉。"
                "根据《最高人民法院关于行政机关负责人出庭应诉若干问题的规定》第八条、第九条,特此说明。"
                "{% if attending_staff_text %}我单位委托工作人员{{ attending_staff_text }}出庭应诉。{% endif %}")
    L.body(doc, "")
    L.body(doc, "负责人(签字):{{ representative_name }}", indent=False, align="right")
    _signature(doc)
    return doc


BUILDERS: Final[dict[str, Callable[[], DocxDocument]]] = {
    FilingCode.DEFENCE: defence,
    FilingCode.RECONSIDERATION_REPLY: reconsideration_reply,
    FilingCode.EVIDENCE_LIST: evidence_list,
    FilingCode.LEGAL_REPRESENTATIVE: legal_representative,
    FilingCode.POWER_OF_ATTORNEY: power_of_attorney,
    FilingCode.HEARING_NOTICE: hearing_notice,
    FilingCode.ABSENCE_STATEMENT: absence_statement,
}


def write_all(directory: Path = DIRECTORY) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for code, build in BUILDERS.items():
        target = directory / f"{code}.docx"
        build().save(str(target))
        written.append(target)
    return written
