"""The API's JSON parser: a body nested too deep is a 400, never a RecursionError (500)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# No request of this API nests deeper than a few levels; anything past this is hostile or broken,
# and would recurse through validation, error rendering and the history diff further on.
MAX_JSON_DEPTH = 32


def json_depth_exceeds(data: Any, limit: int) -> bool:
    """Whether lists/objects nest deeper than ``limit``; iterative, so it cannot recurse itself."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        elif not isinstance(value, list):
            continue
        if depth > limit:
            return True
        stack.extend((item, depth + 1) for item in value)
    return False


class JSONParser(parsers.JSONParser):
    """DRF's parser plus a depth limit; the default for every API view (settings.REST_FRAMEWORK)."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            # The C decoder gives up past the interpreter's recursion limit (~1000 levels).
            raise ParseError(_("JSON 嵌套过深(超过 %(n)d 层)。") % {"n": MAX_JSON_DEPTH}) from None
        if json_depth_exceeds(data, MAX_JSON_DEPTH):
            raise ParseError(_("JSON 嵌套过深(超过 %(n)d 层)。") % {"n": MAX_JSON_DEPTH})
        return data
