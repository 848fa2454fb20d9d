"""The demo: agencies, users, the 2021 year of wuzhou-hrss and a few live cases.

Everything is written through the services, so the demo obeys the same rules
as real data. Loading it twice changes nothing (keys: agency code, username,
reviewing body + case number).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from cases.choices import DeadlineStatus, LeaderRank, Role
from cases.models import Agency, Case, Hearing, Membership
from cases.services.cases import case_conclude, case_create
from cases.services.deadlines import deadline_complete
from cases.services.hearings import hearing_record, hearing_schedule

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "demo_2021.json"

AGENCIES = [
    ("wuzhou-hrss", "梧州市人力资源和社会保障局", None),
    ("wuzhou-labour-inspection", "梧州市劳动保障监察支队", "wuzhou-hrss"),
    ("hezhou-hrss", "贺州市人力资源和社会保障局", None),
]

# username, agency, role, rank, surname, given name, title
USERS = [
    ("staff", "wuzhou-hrss", Role.STAFF, "", "李", "明", "法制科科员"),
    ("leader", "wuzhou-hrss", Role.LEADER, LeaderRank.PRINCIPAL, "王", "建国", "局长"),
    ("leader2", "wuzhou-hrss", Role.LEADER, LeaderRank.DEPUTY, "张", "丽", "副局长"),
    ("admin", "wuzhou-hrss", Role.ADMIN, "", "赵", "磊", "系统管理员"),
    ("staff2", "hezhou-hrss", Role.STAFF, "", "陈", "静", "法制科科员"),
]


@dataclass
class SeedReport:
    created_users: dict[str, str] = field(default_factory=dict)  # username -> password
    existing_users: list[str] = field(default_factory=list)
    created_cases: int = 0
    existing_cases: int = 0


def seed_demo(*, password: str | None = None, today: dt.date | None = None) -> SeedReport:
    report = SeedReport()
    with transaction.atomic():
        agencies = _agencies()
        users = _users(agencies, password, report)
        admin = users["admin"]
        _year_2021(agencies["wuzhou-hrss"], users, admin, report)
        _live_cases(agencies["wuzhou-hrss"], users, admin, today or timezone.localdate(), report)
    return report


def _agencies() -> dict[str, Agency]:
    out: dict[str, Agency] = {}
    for code, name, parent in AGENCIES:
        out[code], _ = Agency.objects.get_or_create(
            code=code, defaults={"name": name, "parent": out.get(parent) if parent else None}
        )
    return out


def _users(agencies: dict[str, Agency], password: str | None, report: SeedReport) -> dict[str, Any]:
    User = get_user_model()
    out = {}
    for username, code, role, rank, last, first, title in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            chosen = password or secrets.token_urlsafe(9)
            user = User.objects.create_user(
                username, email=f"{username}@example.invalid", password=chosen,
                last_name=last, first_name=first, is_staff=(role == Role.ADMIN),
                is_superuser=(role == Role.ADMIN),
            )
            report.created_users[username] = chosen
        else:
            if password:
                user.set_password(password)
                user.save(update_fields=["password"])
                report.created_users[username] = password
            else:
                report.existing_users.append(username)
        Membership.objects.update_or_create(
            user=user, defaults={"agency": agencies[code], "role": role, "leader_rank": rank, "title": title}
        )
        out[username] = user
    return out


def _demo_pdf(text: str) -> bytes:
    """A one-page PDF with a line of text: uploads are checked on content (cases/uploads.py)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _date(value: str | None) -> dt.date | None:
    return parse_date(value) if value else None


def _aware(value: str) -> dt.datetime:
    parsed = parse_datetime(value)
    assert parsed is not None, value
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _year_2021(agency: Agency, users: dict[str, Any], admin: Any, report: SeedReport) -> None:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    by_key: dict[str, Case] = {}
    for row in data["cases"]:
        existing = Case.objects.filter(agency=agency, reviewing_body=row["reviewing_body"], number=row["number"]).first()
        if existing is not None:
            by_key[row["key"]] = existing
            report.existing_cases += 1
            continue
        by_key[row["key"]] = _load_case(agency, row, by_key, users, admin)
        report.created_cases += 1


def _load_case(agency: Agency, row: dict[str, Any], by_key: dict[str, Case], users: dict[str, Any], admin: Any) -> Case:
    fields = {
        name: row[name] for name in (
            "kind", "procedure", "number", "reviewing_body", "applicant", "third_parties",
            "subject", "act_description", "act_document_number", "co_defendant", "judgment_form", "decision_number",
        )
    }
    fields["litigation_instance"] = row["instance"]
    for name in ("act_date", "received_on", "accepted_on", "judgment_served_on"):
        fields[name] = _date(row.get(name))
    fields["previous"] = by_key.get(row["previous"]) if row.get("previous") else None
    case = case_create(agency=agency, by=admin, handlers=[users["staff"]], **fields)
    for hearing in row["hearings"]:
        _load_hearing(case, hearing, users, admin)
    # The bureau met its own duties in the demo years (reply, defence, answer).
    for deadline in case.deadlines.filter(status=DeadlineStatus.OPEN, is_bureau_duty=True):
        deadline_complete(deadline=deadline, by=admin, note="演示数据:按期完成")
    if row["outcome"]:
        case = case_conclude(
            case=case, outcome=row["outcome"], concluded_on=_date(row["concluded_on"]),  # type: ignore[arg-type]
            act_changed=row["act_changed"], by=admin,
        )
    # Windows the bureau only watched (appeal, retrial) ran out long ago.
    for deadline in case.deadlines.filter(status=DeadlineStatus.OPEN, due_on__lt=timezone.localdate()):
        deadline_complete(deadline=deadline, by=admin, note="演示数据:期间已届满")
    return case


def _load_hearing(case: Case, row: dict[str, Any], users: dict[str, Any], admin: Any) -> Hearing:
    leader = users[row["leader"]] if row.get("leader") else None
    hearing = hearing_schedule(
        case=case, scheduled_at=_aware(row["scheduled_at"]), kind=row["kind"], place=row["place"],
        expected_leader=leader, by=admin,
    )
    if row["status"] != "held":
        return hearing
    proof = None
    if leader is None:
        proof = ContentFile(_demo_pdf("Demo: statement why the responsible person could not attend"),
                            name="absence-proof.pdf")
    return hearing_record(
        hearing=hearing, by=admin, responsible_person=leader,
        staff=[users[name] for name in row["staff"]], lawyer_names=row["lawyers"],
        absence_reason=row["absence_reason"], absence_detail="", absence_proof=proof,
    )


def _live_cases(agency: Agency, users: dict[str, Any], admin: Any, today: dt.date, report: SeedReport) -> None:
    """A handful of open cases received in the last weeks, so deadlines are live today."""
    year = today.year
    live = [
        dict(kind="reconsideration", procedure="ordinary", number=f"梧政复〔{year}〕901号", reviewing_body="梧州市人民政府",
             applicant="演示申请人甲", subject="work_injury", act_description="不予认定工伤决定",
             received_on=today - dt.timedelta(days=4), accepted_on=today - dt.timedelta(days=9)),
        dict(kind="reconsideration", procedure="simplified", number=f"梧政复〔{year}〕902号", reviewing_body="梧州市人民政府",
             applicant="演示申请人乙", subject="information_disclosure", act_description="政府信息公开申请答复",
             received_on=today - dt.timedelta(days=2), accepted_on=today - dt.timedelta(days=6)),
        dict(kind="litigation", litigation_instance="first", procedure="ordinary", number=f"({year})桂0403行初901号",
             reviewing_body="梧州市万秀区人民法院", applicant="演示原告丙", subject="social_insurance",
             act_description="养老保险待遇核定", received_on=today - dt.timedelta(days=11),
             accepted_on=today - dt.timedelta(days=16)),
        dict(kind="litigation", litigation_instance="first", procedure="ordinary", number=f"({year})桂0405行初902号",
             reviewing_body="梧州市长洲区人民法院", applicant="演示某公司丁", subject="labour_inspection",
             act_description="劳动保障监察行政处罚决定", received_on=today - dt.timedelta(days=25),
             accepted_on=today - dt.timedelta(days=30)),
    ]
    hearings = 0
    for fields in live:
        if Case.objects.filter(agency=agency, reviewing_body=fields["reviewing_body"], number=fields["number"]).exists():
            report.existing_cases += 1
            continue
        case = case_create(agency=agency, by=admin, handlers=[users["staff"]], **fields)
        report.created_cases += 1
        if case.kind == "litigation":
            # In 4 and 10 days: both within the dashboard's two weeks; the first has a leader arranged.
            when = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=4 + 6 * hearings), dt.time(9, 30)))
            hearing_schedule(
                case=case, scheduled_at=when, place="第一审判庭", by=admin,
                expected_leader=users["leader"] if hearings == 0 else None,
            )
            hearings += 1
