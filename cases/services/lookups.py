"""What the services' cross-row checks read about one agency, loaded once for a batch of rows.

A single write asks the database (is this user a member? a responsible leader? is the
number taken?); a batch of thousands of rows of one agency (the ledger import) loads
the answers once and passes them in, so the same checks run on in-memory rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from cases.models import Case, Membership
from cases.services.calendar import workday_calendar
from casetracker.calendar import WorkdayCalendar


def digest(*parts: object) -> int:
    """A 96-bit digest of the strings: what a batch remembers of a key (~40 bytes, not the strings).

    Collisions are not a practical concern (~1e-19 for 50,000 keys, the import's row limit).
    """
    data = "\x1f".join(p if isinstance(p, str) else f"\x00{p!r}" for p in parts).encode()
    return int.from_bytes(hashlib.blake2b(data, digest_size=12).digest(), "big")


class TakenKeys(Protocol):
    """The uniqueness rule's taken (reviewing_body, number) keys: asked and added to by a batch."""

    def add(self, key: tuple[object, ...]) -> None: ...

    def __contains__(self, key: object) -> bool: ...


class KeySet:
    """A set of string tuples kept as digests: the memory of a batch grows by ~70 bytes a key, not ~300."""

    def __init__(self, keys: Iterable[tuple[object, ...]] = ()) -> None:
        self._digests = {digest(*key) for key in keys}

    def add(self, key: tuple[object, ...]) -> None:
        self._digests.add(digest(*key))

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and digest(*key) in self._digests

    def __len__(self) -> int:
        return len(self._digests)


@dataclass
class AgencyLookups:
    """Members, responsible leaders and taken case keys of one agency, and the calendar."""

    agency_id: int
    members: frozenset[int]
    responsible: frozenset[int]
    calendar: WorkdayCalendar
    # (reviewing_body, number) exactly as stored: the case's uniqueness rule; batches add theirs.
    taken: TakenKeys = field(default_factory=KeySet)

    @classmethod
    def load(cls, agency_id: int, *, taken: TakenKeys | None = None) -> AgencyLookups:
        """The agency's lookups; ``taken`` given (the ledger import's index, already holding the
        agency's keys) instead of loading every stored case's key into memory."""
        memberships = Membership.objects.filter(agency_id=agency_id)
        if taken is None:
            taken = KeySet(Case.objects.filter(agency_id=agency_id).values_list("reviewing_body", "number").iterator())
        return cls(
            agency_id=agency_id,
            members=frozenset(memberships.values_list("user_id", flat=True)),
            responsible=frozenset(memberships.responsible_persons().values_list("user_id", flat=True)),
            calendar=workday_calendar(),
            taken=taken,
        )
