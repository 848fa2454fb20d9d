"""What the services' cross-row checks read about one agency, loaded once for a batch of rows.

A single write asks the database (is this user a member? a responsible leader? is the
number taken?); a batch of thousands of rows of one agency (the ledger import) loads
the answers once and passes them in, so the same checks run on in-memory rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cases.models import Case, Membership
from cases.services.calendar import workday_calendar
from casetracker.calendar import WorkdayCalendar


@dataclass
class AgencyLookups:
    """Members, responsible leaders and taken case keys of one agency, and the calendar."""

    agency_id: int
    members: frozenset[int]
    responsible: frozenset[int]
    calendar: WorkdayCalendar
    # (reviewing_body, number) exactly as stored: the case's uniqueness rule; batches add theirs.
    taken: set[tuple[str, str]] = field(default_factory=set)

    @classmethod
    def load(cls, agency_id: int) -> AgencyLookups:
        memberships = Membership.objects.filter(agency_id=agency_id)
        return cls(
            agency_id=agency_id,
            members=frozenset(memberships.values_list("user_id", flat=True)),
            responsible=frozenset(memberships.responsible_persons().values_list("user_id", flat=True)),
            calendar=workday_calendar(),
            taken=set(Case.objects.filter(agency_id=agency_id).values_list("reviewing_body", "number")),
        )
