"""/api/auth/token/: a token for scripts; throttled, and locked out with the login page (django-axes)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken as BaseObtainAuthToken
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle, ScopedRateThrottle
from rest_framework.views import APIView

from cases.api import serializers as s
from cases.api.errors import ErrorSerializer, LockedOut
from cases.api.parsers import JSONParser
from cases.services.tokens import api_token_revoke


@extend_schema(request=AuthTokenSerializer, responses={200: s.TokenSerializer, 400: ErrorSerializer,
                                                       429: ErrorSerializer}, auth=[])
class ObtainAuthToken(BaseObtainAuthToken):
    """POST username and password, get ``{"token": ...}``; send it as ``Authorization: Token <token>``.

    The same lockout as the login page: after a few wrong passwords for one user from one
    address, 429 until the cool-off ends or an administrator unlocks it. The endpoint is
    also throttled per address (``auth-token`` rate), whatever the usernames tried.
    """

    parser_classes = [JSONParser, FormParser, MultiPartParser]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth-token"

    def get_permissions(self) -> list[BasePermission]:
        # POST is how one signs in; DELETE ends the caller's own token, so it needs a caller.
        return [IsAuthenticated()] if self.request.method == "DELETE" else []

    def get_throttles(self) -> list[BaseThrottle]:
        # The throttle slows password guessing; revoking one's own token guesses nothing.
        return [] if self.request.method == "DELETE" else super().get_throttles()

    @extend_schema(request=None, responses={204: None, 401: ErrorSerializer}, auth=[{"tokenAuth": []}])
    def delete(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Revoke the caller's token: every script using it gets 401 from now on."""
        api_token_revoke(user=request.user)
        return Response(status=204)

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            return super().post(request, *args, **kwargs)
        except exceptions.ValidationError:
            # axes marks the request it refused (the DRF request, which Django's authenticate() saw).
            if getattr(request, "axes_locked_out", False) or getattr(request._request, "axes_locked_out", False):
                raise LockedOut from None
            raise





@extend_schema(exclude=True)
class NotFoundView(APIView):
    """Every /api/... path no route matches: 404 in the one error shape, credentials or not."""

    permission_classes = [AllowAny]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        raise exceptions.NotFound
