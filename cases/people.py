"""How a person's name is shown: the one helper for pages, filters, exports, the API and reminders."""

from __future__ import annotations

import re
from typing import Any

# CJK Unified Ideographs (with Extension A): a name written in them is a Chinese name.
_CHINESE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def person_name(user: Any) -> str:
    """A user's name: Chinese names family name first with no space (王建国), others as
    "Given Family" (Django's own order); the username when no name is set; "" for nobody."""
    if user is None:
        return ""
    family, given = (user.last_name or "").strip(), (user.first_name or "").strip()
    if _CHINESE.search(family + given):
        full = f"{family}{given}"
    else:
        full = f"{given} {family}".strip()
    return full or str(user.get_username())
