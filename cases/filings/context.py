"""What a filing is filled from: the case, its parties, its chain, its evidence list and the choices made.

PLACEHOLDERS names, for each filing, every top-level name its template may use; an
uploaded template using any other name is refused (cases/services/filing_templates.py).
filing_context() builds exactly those names, and tests/defence/test_templates.py keeps
the two in step.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import HearingKind, HearingStatus, Instance, Kind, LeaderRank, Role
from cases.choices.defence import AgentAuthority, EvidenceGroup, FilingCode
from cases.models import Case, EvidenceItem, Hearing, Membership
from cases.people import person_name

COMMON: Final = frozenset({
    "agency_name", "representative_name", "representative_title", "case_number", "court", "kind_label",
    "instance_label", "subject_label", "applicant", "applicant_role", "defendant_role", "defendants_text",
    "third_parties", "co_defendants", "parties", "act_text", "act_description", "act_document_number",
    "act_date", "received_on", "evidence_groups", "evidence_rows", "evidence_count", "handlers", "today",
})  # fmt: skip
_HEARING: Final = frozenset({"hearing_at", "hearing_place", "hearing_kind_label", "leader_name", "leader_title"})
PLACEHOLDERS: Final[dict[str, frozenset[str]]] = {
    FilingCode.DEFENCE: COMMON,
    FilingCode.RECONSIDERATION_REPLY: COMMON,
    FilingCode.EVIDENCE_LIST: COMMON,
    FilingCode.LEGAL_REPRESENTATIVE: COMMON,
    FilingCode.POWER_OF_ATTORNEY: COMMON | {"agents", "authority_label", "authority_scope"},
    FilingCode.HEARING_NOTICE: COMMON | _HEARING,
    FilingCode.ABSENCE_STATEMENT: COMMON | _HEARING | {
        "absence_reason_label", "absence_detail", "attending_staff_text", "lawyer_names",
    },
}

#: ALL 31: a party may appoint one or two agents.
MAX_AGENTS: Final = 2
#: SPC20 Art. 5: the court serves the leader's notice at least 3 days before the hearing.
NOTICE_DAYS_BEFORE_HEARING: Final = 3
_GROUP_NUMBERS: Final = ("一", "二", "三")
_AUTHORITY_SCOPE: Final = {
    AgentAuthority.GENERAL: "代为出庭应诉,陈述事实和理由,提交证据,进行质证和辩论,签收法律文书。",
    AgentAuthority.SPECIAL: "代为出庭应诉,陈述事实和理由,提交证据,进行质证和辩论,签收法律文书;"
    "代为承认、放弃或者变更诉讼请求,进行和解、调解,提起上诉或者申请再审。",
}
# Who is who in each kind of proceeding: (the other side, the bureau).
_ROLES: Final[dict[tuple[str, str], tuple[str, str]]] = {
    (Kind.RECONSIDERATION, ""): ("申请人", "被申请人"),
    (Kind.LITIGATION, Instance.FIRST): ("原告", "被告"),
    (Kind.LITIGATION, Instance.SECOND): ("上诉人", "被上诉人"),
    (Kind.LITIGATION, Instance.RETRIAL): ("再审申请人", "被申请人"),
}


@dataclass(frozen=True)
class Lawyer:
    """An outside lawyer chosen as an agent; not a user of the tracker."""

    name: str
    firm: str = ""
    phone: str = ""


@dataclass
class FilingOptions:
    """Choices the person generating makes: the hearing, the agents and their authority."""

    hearing: Hearing | None = None
    agents: Sequence[Any] = ()
    lawyers: Sequence[Lawyer] = ()
    authority: str = AgentAuthority.GENERAL
    today: dt.date = field(default_factory=timezone.localdate)


def chinese_date(day: dt.date | None) -> str:
    """A date as 公文 write it: 2021年3月5日 (GB/T 9704 7.3.5.2: Arabic numerals, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _person(user: Any) -> str:
    return person_name(user)


def _split_lines(text: str) -> list[str]:
    """Third parties are typed one a line (or separated by ;/;)."""
    lines = re.split(r"[\n;;]+", text or "")
    return [line.strip() for line in lines if line.strip()]


def _co_defendants(case: Case) -> list[str]:
    """ALL 26 ¶2: after a reconsideration upheld the act, the reviewing body is sued with the bureau."""
    if case.kind != Kind.LITIGATION or not case.co_defendant:
        return []
    recon = case.previous
    while recon is not None and recon.kind != Kind.RECONSIDERATION:
        recon = recon.previous
    return [recon.reviewing_body] if recon is not None else ["复议机关"]  # the document is Chinese whatever the UI language


def _representative(case: Case) -> tuple[str, str]:
    """The agency's principal (正职负责人), who is its legal representative."""
    member = (
        Membership.objects.filter(agency_id=case.agency_id, role=Role.LEADER, leader_rank=LeaderRank.PRINCIPAL,
                                  user__is_active=True)
        .select_related("user").order_by("user_id").first()
    )
    if member is None:
        return "", ""
    return _person(member.user), member.title or str(LeaderRank.PRINCIPAL.label)


def _evidence(case: Case) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    items = list(EvidenceItem.objects.filter(case=case).listed())
    labels = dict(EvidenceGroup.choices)
    rows = [
        {
            "no": str(item.position), "group": str(labels[item.group]), "name": item.name, "source": item.source,
            "purpose": item.purpose, "pages": str(item.pages) if item.pages else "",
            "original": "原件" if item.original else "复印件",
        }
        for item in items
    ]
    groups: list[dict[str, Any]] = []
    for code in EvidenceGroup.values:
        in_group = [row for row, item in zip(rows, items, strict=True) if item.group == code]
        if in_group:
            number = _GROUP_NUMBERS[len(groups)]
            groups.append({"heading": f"{number}、{labels[code]}", "rows": in_group})
    return groups, rows


def _parties(case: Case, other: str, bureau: str, co_defendants: list[str], third: list[str]) -> list[dict[str, str]]:
    parties = [{"role": other, "name": case.applicant, "detail": ""}]
    parties.append({"role": bureau, "name": case.agency.name, "detail": ""})
    parties += [{"role": f"{bureau}(共同{bureau})" if bureau == "被告" else bureau, "name": name, "detail": ""}
                for name in co_defendants]
    parties += [{"role": "第三人", "name": name, "detail": ""} for name in third]
    return parties


def _common(case: Case, options: FilingOptions) -> dict[str, Any]:
    other, bureau = _ROLES.get((case.kind, case.litigation_instance), ("申请人", "被申请人"))
    co_defendants = _co_defendants(case)
    third = _split_lines(case.third_parties)
    groups, rows = _evidence(case)
    act = case.act_description.replace("\n", " ").strip()
    act_text = act + (f"({case.act_document_number})" if case.act_document_number else "")
    name, title = _representative(case)
    return {
        "agency_name": case.agency.name, "representative_name": name, "representative_title": title,
        "case_number": case.number, "court": case.reviewing_body, "kind_label": str(case.get_kind_display()),
        "instance_label": str(case.get_litigation_instance_display()) if case.litigation_instance else "",
        "subject_label": str(case.get_subject_display()), "applicant": case.applicant,
        "applicant_role": other, "defendant_role": bureau,
        "defendants_text": "、".join([case.agency.name, *co_defendants]),
        "third_parties": third, "co_defendants": co_defendants,
        "parties": _parties(case, other, bureau, co_defendants, third),
        "act_text": act_text or "被诉行政行为", "act_description": act,
        "act_document_number": case.act_document_number, "act_date": chinese_date(case.act_date),
        "received_on": chinese_date(case.received_on), "evidence_groups": groups, "evidence_rows": rows,
        "evidence_count": len(rows), "handlers": [_person(u) for u in case.handlers.all()],
        "today": chinese_date(options.today),
    }  # fmt: skip


def _hearing_fields(hearing: Hearing) -> dict[str, Any]:
    at = timezone.localtime(hearing.scheduled_at)
    leader = hearing.expected_leader
    membership = getattr(leader, "membership", None) if leader is not None else None
    return {
        "hearing_at": f"{chinese_date(at.date())}{at:%H:%M}", "hearing_place": hearing.place or "",
        "hearing_kind_label": "举行听证" if hearing.kind == HearingKind.RECONSIDERATION else "开庭审理",
        "leader_name": _person(leader) if leader is not None else "",
        "leader_title": (membership.title if membership is not None else "") or "",
    }


def _hearing_notice(case: Case, options: FilingOptions) -> dict[str, Any]:
    hearing = options.hearing or case.hearings.filter(
        status=HearingStatus.SCHEDULED, archived_at__isnull=True, scheduled_at__gte=timezone.now()
    ).order_by("scheduled_at").first()
    if hearing is None:
        raise ValidationError({"hearing": _("该案件没有待开庭的庭审或听证。")})
    if hearing.expected_leader_id is None:
        raise ValidationError({"hearing": _("请先为该次开庭安排拟出庭负责人。")})
    days = (timezone.localtime(hearing.scheduled_at).date() - options.today).days
    if days < NOTICE_DAYS_BEFORE_HEARING:
        raise ValidationError({"hearing": _(
            "出庭通知应在开庭3日前送达负责人(出庭应诉规定第5条);距开庭只有%(d)d日。") % {"d": max(days, 0)}})
    return _hearing_fields(hearing)


def _absence_statement(case: Case, options: FilingOptions) -> dict[str, Any]:
    hearing = options.hearing or case.hearings.exclude(absence_reason="").filter(
        archived_at__isnull=True).order_by("-scheduled_at").first()
    if hearing is None or not hearing.absence_reason:
        raise ValidationError({"hearing": _("请先记录负责人不能出庭的事由(出庭应诉规定第8条)。")})
    staff = [_person(u) for u in hearing.attending_staff.all()]
    return {
        **_hearing_fields(hearing), "absence_reason_label": str(hearing.get_absence_reason_display()),
        "absence_detail": hearing.absence_detail.replace("\n", " ").strip(),
        "attending_staff_text": "、".join(staff), "lawyer_names": hearing.lawyer_names,
    }


def _power_of_attorney(case: Case, options: FilingOptions) -> dict[str, Any]:
    agents = [
        {"name": _person(user), "unit": case.agency.name,
         "title": getattr(getattr(user, "membership", None), "title", "") or "工作人员",
         "phone": getattr(getattr(user, "membership", None), "phone", "") or ""}
        for user in options.agents
    ]
    agents += [{"name": lawyer.name, "unit": lawyer.firm or "", "title": "律师", "phone": lawyer.phone}
               for lawyer in options.lawyers]
    if not agents:
        raise ValidationError({"agents": _("请选择受委托人(本机关工作人员或律师)。")})
    if len(agents) > MAX_AGENTS:
        raise ValidationError({"agents": _("受委托人最多两人(行政诉讼法第三十一条)。")})
    if options.authority not in AgentAuthority.values:
        raise ValidationError({"authority": _("代理权限只能是一般代理或特别授权。")})
    return {
        "agents": agents, "authority_label": str(AgentAuthority(options.authority).label),
        "authority_scope": _AUTHORITY_SCOPE[AgentAuthority(options.authority)],
    }


def filing_context(case: Case, code: str, options: FilingOptions | None = None) -> dict[str, Any]:
    """Every placeholder of the filing ``code`` for ``case``; a missing fact is a ValidationError."""
    options = options or FilingOptions()
    context = _common(case, options)
    extra = {
        FilingCode.POWER_OF_ATTORNEY: _power_of_attorney,
        FilingCode.HEARING_NOTICE: _hearing_notice,
        FilingCode.ABSENCE_STATEMENT: _absence_statement,
    }.get(FilingCode(code))
    if extra is not None:
        context.update(extra(case, options))
    if code == FilingCode.LEGAL_REPRESENTATIVE and not context["representative_name"]:
        raise ValidationError({"template": _("请先登记本机关的正职负责人(法定代表人)。")})
    return context
