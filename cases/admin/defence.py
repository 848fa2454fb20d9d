"""The defence package in the admin: read-only, because its writes have their own pages.

The evidence list is kept on the case page (cases/services/evidence.py renumbers it
under a lock) and templates are checked on upload at /filing-templates/; here an
administrator can look rows up and read their history, never bypass those checks.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cases.admin.common import AgencyScopedAdmin, person_column
from cases.admin.site import site
from cases.models import EvidenceItem, EvidenceSubmission, FilingTemplate


class ReadOnlyHistoryAdmin(AgencyScopedAdmin):
    """Scoped rows and their scoped history (AgencyScopedAdmin), with no add or change."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(EvidenceItem, site=site)
class EvidenceItemAdmin(ReadOnlyHistoryAdmin):
    list_display = ["case", "group", "position", "name", "source", "pages", "original", "submission"]
    list_filter = ["group", "original"]
    search_fields = ["name", "case__number"]
    list_select_related = ["case", "submission"]


@admin.register(EvidenceSubmission, site=site)
class EvidenceSubmissionAdmin(ReadOnlyHistoryAdmin):
    list_display = ["case", "submitted_on", "supplementary", "due_on", "late", "items_count"]
    list_filter = ["late", "supplementary"]
    search_fields = ["case__number"]
    list_select_related = ["case"]


@admin.register(FilingTemplate, site=site)
class FilingTemplateAdmin(ReadOnlyHistoryAdmin):
    list_display = ["agency", "code", person_column("uploaded_by", _("上传人")), "uploaded_at", "archived_at"]
    list_filter = ["code"]
    list_select_related = ["agency", "uploaded_by"]
