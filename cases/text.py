"""Control characters (C0: U+0000-U+001F): refused at input, stripped at export.

A name with U+0001 looks empty on screen, breaks XML (XLSX, DOCX) and cannot be typed on
purpose; tab and line breaks are text only in long texts (a TextField, a textarea).
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_IN_SHORT_TEXT = re.compile(r"[\x00-\x1f]")
_IN_LONG_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # tab, LF and CR (a textarea's CRLF) stay


def refuse_control_characters(value: str, *, long_text: bool = False) -> None:
    """Raise ValidationError if the text holds a control character it must not."""
    pattern = _IN_LONG_TEXT if long_text else _IN_SHORT_TEXT
    found = pattern.search(value)
    if found is not None:
        raise ValidationError(
            _("不能包含控制字符(U+%(code)04X)。") % {"code": ord(found.group())}, code="control_character"
        )


def without_control_characters(value: Any) -> Any:
    """For exports: what is already stored is written without the characters XML cannot hold."""
    return _IN_LONG_TEXT.sub("", value) if isinstance(value, str) else value
