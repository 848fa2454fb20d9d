"""The evidence list of a case: add, edit, reorder, remove, and record its submissions.

Positions are numbered 1..n within each group (证据 / 依据 / 程序材料) and stay that
way after every change; all changes of one case's list run under a lock on the case
row, so two people reordering at once cannot leave a gap or a duplicate number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices.defence import EvidenceGroup
from cases.models import Case, Deadline, Document, EvidenceItem, EvidenceSubmission
from cases.models.deadlines import DeadlineStatus
from cases.services.common import ensure_can_write, save_with_history
from cases.users import Actor, acting_user

__all__ = [
    "DEFENCE_RULES",
    "defence_deadline",
    "evidence_add",
    "evidence_remove",
    "evidence_reorder",
    "evidence_submit",
    "evidence_update",
]

#: The periods within which the bureau files its defence / reply with all its evidence
#: (ALL 67 with ALL 34; ARL 48 / 54 with ARL 70). Evidence filed after them is late.
DEFENCE_RULES: Final = ("litigation_defence", "reconsideration_reply", "reconsideration_reply_simplified")
EDITABLE: Final = ("name", "source", "purpose", "pages", "original", "group", "documents")
# Positions are first moved out of the way by this much, so the unique (case, group,
# position) constraint holds after every single UPDATE of a renumbering.
_PARKING: Final = 1_000_000


def defence_deadline(case: Case) -> Deadline | None:
    """The case's defence / reply deadline (the latest computed one that was not waived)."""
    return (
        Deadline.objects.filter(case=case, rule__in=DEFENCE_RULES)
        .exclude(status=DeadlineStatus.WAIVED)
        .order_by("-trigger_on", "-id")
        .first()
    )


def _lock_case(case: Case, by: Actor) -> Case:
    ensure_can_write(by, case.agency_id)
    return Case.objects.select_for_update().get(pk=case.pk)


def _clean_documents(case: Case, documents: Iterable[Any]) -> list[Document]:
    ids = {getattr(d, "pk", d) for d in documents}
    found = list(Document.objects.filter(case=case, archived_at__isnull=True, pk__in=ids))
    if len(found) != len(ids):
        raise ValidationError({"documents": _("对应文件必须是本案件的文书材料。")})
    return found


def _renumber(items: Sequence[EvidenceItem], *, by: Actor, reason: str) -> None:
    """Give ``items`` (one group, in the wanted order) the positions 1..n; history only on real moves."""
    moved = [(item, number) for number, item in enumerate(items, start=1) if item.position != number]
    if not moved:
        return
    EvidenceItem.objects.filter(pk__in=[item.pk for item, _n in moved]).update(position=F("position") + _PARKING)
    for item, number in moved:
        item.position = number
        save_with_history(item, by=by, reason=reason, update_fields=["position", "updated_at"])


def _group_items(case: Case, group: str) -> list[EvidenceItem]:
    return list(EvidenceItem.objects.filter(case=case, group=group).order_by("position", "id"))


def _next_position(case: Case, group: str) -> int:
    top = EvidenceItem.objects.filter(case=case, group=group).aggregate(top=Max("position"))["top"]
    return (top or 0) + 1


def _check_group(group: str) -> None:
    if group not in EvidenceGroup.values:
        raise ValidationError({"group": _("类别只能是:%(g)s。") % {"g": "、".join(EvidenceGroup.values)}})


@transaction.atomic
def evidence_add(
    *, case: Case, by: Actor, name: str, group: str = EvidenceGroup.EVIDENCE, source: str = "", purpose: str = "",
    pages: int | None = None, original: bool = False, documents: Iterable[Any] = (),
) -> EvidenceItem:
    """Append an item at the end of its group."""
    case = _lock_case(case, by)
    _check_group(group)
    linked = _clean_documents(case, documents)
    item = EvidenceItem(
        case=case, group=group, position=_next_position(case, group), name=(name or "").strip(),
        source=(source or "").strip(), purpose=(purpose or "").strip(), pages=pages, original=bool(original),
    )
    save_with_history(item, by=by, reason=_("添加证据"))
    item.documents.set(linked)
    return item


@transaction.atomic
def evidence_update(*, item: EvidenceItem, by: Actor, data: Mapping[str, Any]) -> EvidenceItem:
    """Edit an item; a new group puts it at the end of that group and closes the gap it left."""
    case = _lock_case(item.case, by)
    item = EvidenceItem.objects.select_for_update().get(pk=item.pk, case=case)
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise ValidationError(_("未知字段:%(f)s") % {"f": ", ".join(sorted(unknown))})
    fields = dict(data)
    documents = fields.pop("documents", None)
    linked = _clean_documents(case, documents) if documents is not None else None
    old_group = item.group
    if "group" in fields:
        _check_group(fields["group"])
    for name in ("name", "source", "purpose"):
        if name in fields:
            fields[name] = (fields[name] or "").strip()
    changed = [name for name, value in fields.items() if getattr(item, name) != value]
    for name in changed:
        setattr(item, name, fields[name])
    if item.group != old_group:
        item.position = _next_position(case, item.group)
        changed.append("position")
    if changed:
        save_with_history(item, by=by, reason=_("修改证据"), update_fields=[*changed, "updated_at"])
    if linked is not None:
        item.documents.set(linked)
    if item.group != old_group:
        _renumber(_group_items(case, old_group), by=by, reason=_("证据重新编号"))
    return item


@transaction.atomic
def evidence_remove(*, item: EvidenceItem, by: Actor) -> None:
    """Take an item off the list; its history keeps what it was, and the group is renumbered."""
    case = _lock_case(item.case, by)
    item = EvidenceItem.objects.get(pk=item.pk, case=case)
    item._change_reason = _("删除证据")  # type: ignore[attr-defined]
    if getattr(by, "is_authenticated", False):
        item._history_user = by  # type: ignore[attr-defined]
    group = item.group
    item.delete()
    _renumber(_group_items(case, group), by=by, reason=_("证据重新编号"))


@transaction.atomic
def evidence_reorder(*, case: Case, by: Actor, order: Sequence[int], group: str | None = None) -> list[EvidenceItem]:
    """Number the items in the given order (within each group); ``order`` names every item once.

    With ``group`` only that group's items are named and renumbered.
    """
    case = _lock_case(case, by)
    if group is not None:
        _check_group(group)
    scope = EvidenceItem.objects.filter(case=case)
    if group is not None:
        scope = scope.filter(group=group)
    items = {item.pk: item for item in scope}
    ids = [int(pk) for pk in order]
    if len(ids) != len(set(ids)) or set(ids) != set(items):
        raise ValidationError({"order": _("请按新的顺序列出本证据目录(或该类别)中的每一条证据,每条一次。")})
    for code in EvidenceGroup.values:
        ordered = [items[pk] for pk in ids if items[pk].group == code]
        _renumber(ordered, by=by, reason=_("调整证据顺序"))
    return list(scope.listed())


@transaction.atomic
def evidence_submit(*, case: Case, by: Actor, submitted_on: dt.date, note: str = "") -> EvidenceSubmission:
    """Record that the items not yet filed were filed on ``submitted_on``.

    The first submission is the list filed with the defence; later ones are
    supplementary. A submission after the defence / reply deadline is late (ALL 34:
    such evidence is deemed absent): it is recorded, flagged on the case and counted.
    """
    case = _lock_case(case, by)
    if submitted_on > timezone.localdate():
        raise ValidationError({"submitted_on": _("提交日期不能晚于今天。")})
    if submitted_on < case.received_on:
        raise ValidationError({"submitted_on": _("提交日期不能早于收到复议申请书副本/起诉状副本的日期。")})
    pending = list(EvidenceItem.objects.filter(case=case, submission__isnull=True))
    if not pending:
        raise ValidationError({"submitted_on": _("证据目录中没有尚未提交的证据。")})
    deadline = defence_deadline(case)
    due_on = deadline.due_on if deadline is not None else None
    submission = EvidenceSubmission(
        case=case, submitted_on=submitted_on, due_on=due_on, late=bool(due_on and submitted_on > due_on),
        supplementary=EvidenceSubmission.objects.filter(case=case).exists(), items_count=len(pending),
        note=(note or "").strip(), recorded_by=acting_user(by),
    )
    reason = _("补充提交证据") if submission.supplementary else _("提交证据")
    save_with_history(submission, by=by, reason=reason)
    for item in pending:
        item.submission = submission
        save_with_history(item, by=by, reason=reason, update_fields=["submission", "updated_at"])
    return submission
