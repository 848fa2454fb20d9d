"""Dates that cannot be: the one place the services refuse impossible or absurd dates.

Every message names the field in words, so the API, the pages, the admin, the
importer and the shell all say the same thing about the same mistake.

- A date anywhere in the tracker lies in a sane window: from 1990 (older proceedings
  are not tracked; before the 1989 ALL took effect in 1990 there was no administrative
  litigation) to ten years after the current year (anything later is a typo).
- A fact that has already happened (a case received, an act made, a hearing recorded as
  held, a case concluded) cannot be dated in the future.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Final

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

EARLIEST_YEAR: Final = 1990
YEARS_AHEAD: Final = 10


_PINNED: ContextVar[dt.date | None] = ContextVar("pinned_today", default=None)


def current_day() -> dt.date:
    """Today in the current time zone, or the day a batch pinned for all its rows (``one_day``)."""
    return _PINNED.get() or timezone.localdate()


@contextmanager
def one_day() -> Iterator[dt.date]:
    """Check every row of a batch against the same today (reading the time zone per date was ~8% of an import)."""
    token = _PINNED.set(current_day())
    try:
        yield current_day()
    finally:
        _PINNED.reset(token)


def latest_year(today: dt.date | None = None) -> int:
    return (today or current_day()).year + YEARS_AHEAD


def _day(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        # An aware datetime is already in the current (Beijing) time zone when it came from a
        # form or the API; converting it again could overflow at the edges of the calendar.
        return value.date()
    return value


def window_error(value: dt.date | dt.datetime | None, label: str) -> str | None:
    """The message for a date outside 1990 .. current year + 10, or None."""
    if value is None:
        return None
    year, last = _day(value).year, latest_year()
    if EARLIEST_YEAR <= year <= last:
        return None
    return _("%(field)s必须在 %(a)d 年至 %(b)d 年之间。") % {"field": label, "a": EARLIEST_YEAR, "b": last}


def check_window(value: dt.date | dt.datetime | None, *, field: str, label: str) -> None:
    """Refuse a date outside the sane window, keyed on ``field`` (forms and serializers call this too)."""
    message = window_error(value, label)
    if message:
        raise ValidationError({field: message})


def future_error(value: dt.date | None, label: str) -> str | None:
    """The message for a date of something that has happened, when it lies after today."""
    day = current_day()
    if value is None or value <= day:
        return None
    return _("%(field)s（%(d)s）不能晚于今天（%(t)s）。") % {
        "field": label, "d": value.isoformat(), "t": day.isoformat(),
    }
