"""Counts that stop at a cap (issue 17): ``COUNT(*)`` over a province's history is itself the
cost of a page, and nobody reads "37,412 overdue items" differently from "10,000+".

    count = capped_count(Deadline.objects.overdue())   # one SELECT COUNT(*) FROM (... LIMIT 10001)
    int(count), count.capped, count.shown              # 10000, True, "10000+"

The API's paginator (cases/api/pagination.py, up to COUNT_CAP) and the dashboard's panels
(up to BADGE_CAP) count this way.
"""

from __future__ import annotations

from typing import Any

COUNT_CAP = 10_000  # the API's lists: pages reach up to it (cases/api/pagination.py)
# The dashboard's badges: a leader reads "1000+" overdue items the same as 10,000, and a
# national count then stops after a thousand rows instead of ten thousand.
BADGE_CAP = 1_000


class CappedCount(int):
    """An int that remembers whether counting stopped at the cap; ``shown`` is "10000+" then."""

    capped: bool

    def __new__(cls, value: int, capped: bool = False) -> CappedCount:
        count = super().__new__(cls, value)
        count.capped = capped
        return count

    @property
    def shown(self) -> str:
        return f"{int(self)}+" if self.capped else str(int(self))


def count_up_to(queryset: Any, cap: int | None = None) -> int:
    """The number of rows, or cap + 1 when there are more (cap: COUNT_CAP): only the primary keys are read."""
    cap = COUNT_CAP if cap is None else cap
    counted: int = queryset.order_by().values("pk")[: cap + 1].count()
    return counted


def capped_count(queryset: Any, cap: int | None = None) -> CappedCount:
    cap = COUNT_CAP if cap is None else cap
    counted = count_up_to(queryset, cap)
    return CappedCount(min(counted, cap), capped=counted > cap)
