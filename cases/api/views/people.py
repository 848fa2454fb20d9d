"""/api/agencies/ and /api/people/: read-only, scoped to the agencies the user may see."""

from __future__ import annotations

import re

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins

from cases.api import serializers as s
from cases.api.views.common import ScopedViewSet
from cases.filtersets import AgencyFilterSet, PersonFilterSet
from cases.models import Agency, Membership


class AgencyViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Agencies you may see: your own and, for leaders and viewers, those below it."""

    queryset = Agency.objects.select_related("parent")
    serializer_class = s.AgencySerializer
    filterset_class = AgencyFilterSet
    lookup_field = "code"
    lookup_pattern = re.compile(r"[-a-zA-Z0-9_]{1,60}")
    ordering_fields = ["code", "name", "id"]

    def get_queryset(self) -> QuerySet[Agency]:
        return super().get_queryset().for_user(self.request.user)


@extend_schema_view(
    retrieve=extend_schema(parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH,
                                                        description="User id")]),
)
class PersonViewSet(ScopedViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Members of the agencies you may see, with role and leader rank; ``id`` is the user id."""

    queryset = Membership.objects.select_related("user", "agency").order_by("agency__code", "user__username")
    serializer_class = s.PersonSerializer
    filterset_class = PersonFilterSet
    lookup_field = "user_id"
    lookup_url_kwarg = "id"
    ordering_fields = ["user__username", "role", "leader_rank", "agency__code"]

    def get_queryset(self) -> QuerySet[Membership]:
        return super().get_queryset().for_user(self.request.user)
