"""Reads for agencies and members, scoped to what a user may see."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from cases.choices import RESPONSIBLE_RANKS, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class AgencyQuerySet(models.QuerySet):
    def for_user(self, user: AbstractBaseUser | AnonymousUser) -> AgencyQuerySet:
        from cases.permissions import visible_agency_ids

        ids = visible_agency_ids(user)
        return self if ids is None else self.filter(id__in=ids)


class MembershipQuerySet(models.QuerySet):
    def for_user(self, user: Any) -> MembershipQuerySet:
        from cases.permissions import visible_agency_ids

        ids = visible_agency_ids(user)
        return self if ids is None else self.filter(agency_id__in=ids)

    def responsible_persons(self) -> MembershipQuerySet:
        """Leaders whose rank counts under SPC20 Art. 2."""
        return self.filter(role=Role.LEADER, leader_rank__in=list(RESPONSIBLE_RANKS))
