"""From cells to values: each ledger cell read as the fact its column carries, or a row error.

Only reading happens here (dates, labels, yes/no, names of the agency's members);
whether the facts fit together is the services' job, so their messages come back as
row errors when the import applies the row (cases/services/ledger_import.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from cases.ledger.columns import FLAG_VALUES, PEOPLE_SEPARATORS, Column, choice_index, label_of
from cases.models import Membership
from cases.people import person_name
from casetracker.ledger_values import ValueProblem, has_control_characters, normalize_label, parse_day, parse_moment

# A hearing typed with a date only is taken to start at 09:00, the usual first session.
DEFAULT_HEARING_TIME = dt.time(9, 0)


@dataclass(frozen=True, order=True)
class RowError:
    """One problem, where to find it: 第N行 [列名] message (the sheet is named for 开庭)."""

    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if not self.row:  # the file as a whole
            return self.message
        where = _("第%(n)d行") % {"n": self.row}
        prefix = f"{self.sheet} " if self.sheet else ""
        column = f" [{self.column}]" if self.column else ""
        return f"{prefix}{where}{column} {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message,
                "text": str(self)}


@dataclass
class ParsedRow:
    """The values a row's cells hold, keyed like the columns; ``errors`` when a cell could not be read."""

    row: int
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[tuple[Column, str]] = field(default_factory=list)


class People:
    """The agency's members by the names people write: surname + given name, or the username."""

    def __init__(self, agency_id: int) -> None:
        self._by_name: dict[str, list[Any]] = defaultdict(list)
        User = get_user_model()
        ids = Membership.objects.filter(agency_id=agency_id).values_list("user_id", flat=True)
        for user in User.objects.filter(pk__in=ids):
            # The export writes person_name; a ledger typed by hand may run the parts together either way.
            typed = f"{user.last_name}{user.first_name}".strip()
            for name in {person_name(user), typed, user.get_username()} - {""}:
                self._by_name[normalize_label(name)].append(user)

    def find(self, name: str) -> Any:
        found = self._by_name.get(normalize_label(name), [])
        if not found:
            raise ValueProblem(_("“%(n)s”不是本机关的人员。") % {"n": name})
        if len({user.pk for user in found}) > 1:
            raise ValueProblem(_("本机关有多人名为“%(n)s”,请改填用户名。") % {"n": name})
        return found[0]


def split_people(text: str) -> list[str]:
    return [part.strip() for part in re.split(f"[{re.escape(PEOPLE_SEPARATORS)}]", text) if part.strip()]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number typed into a text column, e.g. 行为文号 12
    return str(value).strip()


def read_cell(column: Column, value: Any, people: People) -> Any:
    """One cell as its column's value; ValueProblem with the reason people can act on."""
    if isinstance(value, str) and has_control_characters(value):
        raise ValueProblem(_("单元格含有控制字符(可能是从其他程序复制而来),请删除后再导入。"))
    kind = column.kind
    if kind == "day":
        try:
            return parse_day(value)
        except ValueProblem:
            raise ValueProblem(_("日期“%(v)s”无法识别,请写成 2021-03-01 或 2021年3月1日。") % {"v": _text(value)}) from None
    if kind == "moment":
        try:
            return parse_moment(value, default_time=DEFAULT_HEARING_TIME)
        except ValueProblem:
            raise ValueProblem(_("时间“%(v)s”无法识别,请写成 2021-03-01 09:30。") % {"v": _text(value)}) from None
    text = _text(value)
    if kind == "flag":
        if normalize_label(text) not in FLAG_VALUES:
            raise ValueProblem(_("“%(v)s”应为“是”或“否”。") % {"v": text})
        return FLAG_VALUES[normalize_label(text)]
    if kind == "choice":
        assert column.choices is not None
        if not text:
            return ""
        code = choice_index(column.choices).get(normalize_label(text))
        if code is None:
            allowed = "、".join(label_of(column.choices, c) for c in column.choices.values)
            raise ValueProblem(_("“%(v)s”不是可选的值;可选:%(a)s。") % {"v": text, "a": allowed})
        return code
    if kind == "people":
        return [people.find(name) for name in split_people(text)]
    if kind == "person":
        return people.find(text) if text else None
    return text


def parse_row(row: int, cells: dict[Column, Any], people: People) -> ParsedRow:
    parsed = ParsedRow(row)
    for column, value in cells.items():
        try:
            parsed.values[column.key] = read_cell(column, value, people)
        except ValueProblem as problem:
            parsed.errors.append((column, str(problem)))
            continue
        if column.required and parsed.values[column.key] in ("", None):
            parsed.errors.append((column, _("必须填写。")))
    return parsed
