"""Reads of the defence package: evidence lists and office templates, scoped to the user."""

from __future__ import annotations

from typing import Any

from django.db import models


class EvidenceItemQuerySet(models.QuerySet):
    def for_user(self, user: Any) -> EvidenceItemQuerySet:
        """Items of cases the user may read (cases.permissions decides)."""
        from cases.permissions import visible_agency_ids

        ids = visible_agency_ids(user)
        return self if ids is None else self.filter(case__agency_id__in=ids)

    def listed(self) -> EvidenceItemQuerySet:
        """In the order of the filed list: 证据, then 依据, then 程序材料, each by its number."""
        from cases.choices_defence import EvidenceGroup

        order = models.Case(
            *(models.When(group=code, then=models.Value(i)) for i, code in enumerate(EvidenceGroup.values)),
            output_field=models.IntegerField(),
        )
        return self.annotate(group_order=order).order_by("case_id", "group_order", "position")


class FilingTemplateQuerySet(models.QuerySet):
    def for_user(self, user: Any) -> FilingTemplateQuerySet:
        from cases.permissions import visible_agency_ids

        ids = visible_agency_ids(user)
        return self if ids is None else self.filter(agency_id__in=ids)

    def active(self) -> FilingTemplateQuerySet:
        return self.filter(archived_at__isnull=True)
