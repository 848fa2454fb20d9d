"""The landing page: staff go to their ledger, leaders and viewers to the dashboard."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from cases.choices import Role


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Staff land on the ledger, leaders on the dashboard."""
    member = getattr(request.user, "membership", None)
    if member is not None and member.role in (Role.LEADER, Role.VIEWER):
        return redirect("dashboard")
    return redirect("case-list")
