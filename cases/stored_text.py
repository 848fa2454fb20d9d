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

# The patterns the services fill in (cases/services/), each as the msgids it is written from
# (a conclusion note is 结案:… followed by ;理由:… when grounds were given): keep in step.
PATTERNS: tuple[tuple[str, ...], ...] = (
    (gettext_noop("结案:%(o)s"), gettext_noop(";理由:%(g)s")), (gettext_noop("结案:%(o)s"),),
    (gettext_noop("中止:%(r)s"),), (gettext_noop("重新打开:%(r)s"),), (gettext_noop("归档:%(r)s"),),
    (gettext_noop("取消归档:%(r)s"),), (gettext_noop("延期:%(r)s"),), (gettext_noop("取消:%(r)s"),),
    (gettext_noop("整改:%(d)s"),), (gettext_noop("答复%(t)s %(n)s"),), (gettext_noop("登记%(t)s"),),
    (gettext_noop("按案件事实计算(%(f)s)"),), (gettext_noop("纠错/败诉理由:%(g)s"),),
)
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@cache
def _matcher(parts: tuple[str, ...]) -> re.Pattern[str]:
    pieces = _PLACEHOLDER.split("".join(parts))  # text, name, text, name, ..., text
    regex = "".join(re.escape(piece) if index % 2 == 0 else f"(?P<{piece}>.+?)" for index, piece in enumerate(pieces))
    return re.compile(regex, re.DOTALL)


def _value(text: str) -> str:
    """A filled-in part: a label the catalogue knows (维持), a list of them (主要证据不足、超越职权), or as typed."""
    translated = _(text)
    if translated != text or "、" not in text:
        return translated
    return _("、").join(_(piece) for piece in text.split("、"))


def stored_text(text: str) -> str:
    """``text`` in the active language as far as the catalogue knows it; free text stays as typed."""
    if not text:
        return ""
    translated = _(text)
    if translated != text:
        return translated
    for parts in PATTERNS:
        found = _matcher(parts).fullmatch(text)
        if found:
            values = {name: _value(value) for name, value in found.groupdict().items()}
            return "".join(_(part) % values for part in parts)
    return text
