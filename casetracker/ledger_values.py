"""Cell values as legal staff type them in an Excel ledger (台账), read into plain Python.

Pure functions, no Django: dates written five ways, case numbers with full-width or
half-width brackets, labels with stray spaces, and the control characters a copy from
another program leaves in a cell.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Final

__all__ = [
    "ValueProblem",
    "has_control_characters",
    "normalize_label",
    "normalize_number",
    "parse_day",
    "parse_moment",
]


class ValueProblem(ValueError):
    """A cell whose text cannot be read as the value its column needs."""


# Excel's day 0 is 1899-12-30 (the 1900 leap-year bug included); serials in this
# range are 1955..2119, anything else in a date column is a typo, not a date.
_EXCEL_EPOCH: Final = dt.date(1899, 12, 30)
_SERIAL_RANGE: Final = (20_000.0, 80_000.0)

_DAY: Final = re.compile(r"^\s*(\d{4})\s*(?:[-/.年]|\s)\s*(\d{1,2})\s*(?:[-/.月]|\s)\s*(\d{1,2})\s*日?")
_TIME: Final = re.compile(r"(\d{1,2})\s*[:：时点]\s*(\d{1,2})?\s*(?:[:：分]\s*(\d{1,2})?)?")
_COMPACT: Final = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")


def has_control_characters(text: str) -> bool:
    """True when the text holds a control character other than tab and line breaks."""
    return any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r" for ch in text)


def normalize_label(text: str) -> str:
    """A label compared loosely: NFKC (full-width -> half-width), no spaces, lower case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def normalize_number(text: str) -> str:
    """A case number compared loosely: （2021）and (2021) and 〔2021〕 and [2021] are one number.

    Court numbers use round brackets, reconsideration numbers the hexagonal 〔〕 that
    people type as [ ] or ( ); spaces typed around them do not make another number.
    """
    folded = unicodedata.normalize("NFKC", text)
    folded = folded.translate(str.maketrans("〔〕［］[]【】", "()()()()"))
    return re.sub(r"\s+", "", folded)


def _from_serial(value: float) -> dt.datetime:
    if not _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
        raise ValueProblem(str(value))
    return dt.datetime.combine(_EXCEL_EPOCH, dt.time()) + dt.timedelta(days=value)


def _day_from_text(text: str) -> tuple[dt.date, str]:
    text = unicodedata.normalize("NFKC", text).strip()
    match = _DAY.match(text) or _COMPACT.match(text)
    if match is None:
        raise ValueProblem(text)
    try:
        day = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise ValueProblem(text) from None
    return day, text[match.end():].strip()


def parse_day(value: object) -> dt.date | None:
    """A date from an Excel date, a serial number or text: 2021-03-01, 2021/3/1, 2021.3.1, 2021年3月1日.

    None for an empty cell; ValueProblem for anything else.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_serial(float(value)).date()
    day, rest = _day_from_text(str(value))
    if rest and not _TIME.fullmatch(rest.replace(" ", "")):
        raise ValueProblem(str(value))
    return day


def parse_moment(value: object, *, default_time: dt.time) -> dt.datetime | None:
    """A naive date and time: an Excel date-time, or text such as 2021-03-01 09:30 or 2021年3月1日 9时30分.

    A bare date gets ``default_time``. None for an empty cell; ValueProblem otherwise.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, default_time)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_serial(float(value)).replace(microsecond=0)
    day, rest = _day_from_text(str(value))
    rest = rest.replace(" ", "").removeprefix("T")
    if not rest:
        return dt.datetime.combine(day, default_time)
    match = _TIME.fullmatch(rest)
    if match is None:
        raise ValueProblem(str(value))
    hour, minute, second = (int(part) if part else 0 for part in match.groups())
    try:
        return dt.datetime.combine(day, dt.time(hour, minute, second))
    except ValueError:
        raise ValueProblem(str(value)) from None
