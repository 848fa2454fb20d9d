"""Reads of the defence package: evidence lists and office templates, scoped to the user."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from cases.choices.defence import EvidenceGroup
from cases.querysets.scoped import ScopedQuerySet

if TYPE_CHECKING:
    from cases.models import EvidenceItem, EvidenceSubmission, FilingTemplate  # noqa: F401


class EvidenceSubmissionQuerySet(ScopedQuerySet["EvidenceSubmission"]):
    agency_lookup = "case__agency_id"


class EvidenceItemQuerySet(ScopedQuerySet["EvidenceItem"]):
    agency_lookup = "case__agency_id"

    def listed(self) -> EvidenceItemQuerySet:
        """In the order of the filed list: 证据, then 依据, then 程序材料, each by its number."""
        order = models.Case(
            *(models.When(group=code, then=models.Value(i)) for i, code in enumerate(EvidenceGroup.values)),
            output_field=models.IntegerField(),
        )
        return self.annotate(group_order=order).order_by("case_id", "group_order", "position")


class FilingTemplateQuerySet(ScopedQuerySet["FilingTemplate"]):
    agency_lookup = "agency_id"

    def active(self) -> FilingTemplateQuerySet:
        return self.filter(archived_at__isnull=True)
