"""API viewsets: reads scoped to the user's agencies, writes through the services.

One module per resource family; cases.api.urls registers them from here.
"""

from cases.api.views.auth import NotFoundView, ObtainAuthToken
from cases.api.views.cases import CaseViewSet, case_queryset
from cases.api.views.deadlines import DeadlineRuleViewSet, DeadlineViewSet
from cases.api.views.hearings import HearingViewSet
from cases.api.views.people import AgencyViewSet, PersonViewSet

__all__ = [
    "AgencyViewSet", "CaseViewSet", "DeadlineRuleViewSet", "DeadlineViewSet", "HearingViewSet", "NotFoundView",
    "ObtainAuthToken",
    "PersonViewSet", "case_queryset",
]
