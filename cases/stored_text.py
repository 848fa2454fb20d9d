"""Text the services stored in the language of the moment (Chinese, the msgid, nearly always),
shown in the active language: history notes ("登记案件", "结案:维持") and the titles given to
deadlines ("整改:…", "答复检察建议 …").

A stored text that is a catalogue entry is translated whole; one built from a known pattern
is matched against it and each filled-in part is translated if the catalogue knows it (an
outcome's or a letter type's label), else kept as typed (a reason, a document number).
"""

from __future__ import annotations

import re
from functools import cache

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# The patterns the services fill in (cases/services/): keep in step when one is added there.
PATTERNS = (
    gettext_noop("结案:%(o)s"), gettext_noop("中止:%(r)s"), gettext_noop("重新打开:%(r)s"),
    gettext_noop("归档:%(r)s"), gettext_noop("取消归档:%(r)s"), gettext_noop("延期:%(r)s"),
    gettext_noop("取消:%(r)s"), gettext_noop("整改:%(d)s"), gettext_noop("答复%(t)s %(n)s"),
    gettext_noop("登记%(t)s"),
)
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@cache
def _matcher(pattern: str) -> re.Pattern[str]:
    parts = _PLACEHOLDER.split(pattern)  # text, name, text, name, ..., text
    regex = "".join(re.escape(part) if index % 2 == 0 else f"(?P<{part}>.+?)" for index, part in enumerate(parts))
    return re.compile(regex, re.DOTALL)


def stored_text(text: str) -> str:
    """``text`` in the active language as far as the catalogue knows it; free text stays as typed."""
    if not text:
        return ""
    translated = _(text)
    if translated != text:
        return translated
    for pattern in PATTERNS:
        found = _matcher(pattern).fullmatch(text)
        if found:
            return _(pattern) % {name: _(value) for name, value in found.groupdict().items()}
    return text
