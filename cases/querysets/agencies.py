"""Reads for agencies and members, scoped to what a user may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cases.choices import RESPONSIBLE_RANKS, Role
from cases.querysets.scoped import ScopedQuerySet

if TYPE_CHECKING:
    from cases.models import Agency, Membership  # noqa: F401


class AgencyQuerySet(ScopedQuerySet["Agency"]):
    agency_lookup = "pk"  # an agency is its own


class MembershipQuerySet(ScopedQuerySet["Membership"]):
    agency_lookup = "agency_id"

    def responsible_persons(self) -> MembershipQuerySet:
        """Leaders whose rank counts under SPC20 Art. 2."""
        return self.filter(role=Role.LEADER, leader_rank__in=list(RESPONSIBLE_RANKS))
