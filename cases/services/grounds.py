"""Grounds of a correction or loss (D12): asked for on concluding, filled in later for old cases.

``grounds_clean`` is the one place the rule lives: a proceeding that ends in the
corrected/lost bucket carries at least one ground; any other outcome carries none.
``case_conclude`` calls it before it saves anything, and ``case_grounds_record``
fills in (or corrects) the grounds of a case concluded before they were asked for.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.choices import Ground, Status
from cases.models import Case, CaseGround
from cases.services.common import ensure_can_write, lock, save_with_history
from casetracker.followups import needs_grounds

__all__ = ["case_grounds_record", "case_grounds_replace", "grounds_clean", "grounds_text"]


def grounds_clean(*, outcome: str, grounds: Iterable[str] | None, required: bool = True) -> list[str]:
    """The ground codes in D12 order, or a ValidationError on ``grounds`` saying what is wrong.

    ``required=False`` lets a corrected/lost outcome go without grounds (an imported old record).
    """
    codes = list(dict.fromkeys(str(code) for code in grounds or ()))
    unknown = [code for code in codes if code not in Ground.values]
    if unknown:
        raise ValidationError({"grounds": _("未知的纠错/败诉理由:%(u)s;可选:%(v)s。") % {
            "u": ", ".join(unknown), "v": ", ".join(Ground.values)}})
    if required and needs_grounds(outcome) and not codes:
        raise ValidationError({"grounds": _("以纠错/败诉结案的,请至少选择一项审理机关认定的纠错/败诉理由。")})
    if codes and not needs_grounds(outcome):
        raise ValidationError({"grounds": _("只有纠错/败诉结案的案件才记录纠错/败诉理由。")})
    return [code for code in Ground.values if code in codes] if codes else []


def grounds_text(codes: Iterable[str]) -> str:
    """The grounds' Chinese labels joined for a history note: 主要证据不足、违反法定程序."""
    labels = dict(Ground.choices)
    return "、".join(str(labels[code]) for code in codes)


def case_grounds_replace(*, case: Case, codes: list[str], by: Any) -> None:
    """Make the case's ground rows exactly ``codes`` (each added or removed row keeps its history).

    No checks here: the caller (case_conclude, case_grounds_record) cleaned the codes under its lock.
    """
    existing = {row.ground: row for row in CaseGround.objects.select_for_update().filter(case=case)}
    for code, row in existing.items():
        if code not in codes:
            row._change_reason = _("删除纠错/败诉理由")
            if getattr(by, "is_authenticated", False):
                row._history_user = by
            row.delete()
    for code in codes:
        if code not in existing:
            save_with_history(CaseGround(case=case, ground=code), by=by, reason=_("记录纠错/败诉理由"))


@transaction.atomic
def case_grounds_record(
    *, case: Case, grounds: Iterable[str], by: Any, expected_version: int | None = None
) -> Case:
    """Enter or correct the grounds of a concluded corrected/lost case (e.g. one listed as grounds missing)."""
    ensure_can_write(by, case.agency_id)
    case = lock(case, expected_version=expected_version)
    if case.status != Status.CONCLUDED or not needs_grounds(case.outcome):
        raise ValidationError({"grounds": _("只有以纠错/败诉结案的案件才记录纠错/败诉理由。")})
    codes = grounds_clean(outcome=case.outcome, grounds=grounds)
    case_grounds_replace(case=case, codes=codes, by=by)
    # A case history row too, so the case's own history says what the grounds became.
    save_with_history(case, by=by, reason=_("纠错/败诉理由:%(g)s") % {"g": grounds_text(codes)}, update_fields=[])
    return case
