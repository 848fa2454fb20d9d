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
from typing import Final

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

EARLIEST_YEAR: Final = 1990
YEARS_AHEAD: Final = 10


def latest_year(today: dt.date | None = None) -> int:
    return (today or timezone.localdate()).year + YEARS_AHEAD


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
    today = timezone.localdate()
    if value is None or value <= today:
        return None
    return _("%(field)s（%(d)s）不能晚于今天（%(t)s）。") % {
        "field": label, "d": value.isoformat(), "t": today.isoformat(),
    }
