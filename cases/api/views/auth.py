"""/api/auth/token/: a token for scripts."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken as BaseObtainAuthToken
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from cases.api import serializers as s
from cases.api.errors import ErrorSerializer


@extend_schema(request=AuthTokenSerializer, responses={200: s.TokenSerializer, 400: ErrorSerializer}, auth=[])
class ObtainAuthToken(BaseObtainAuthToken):
    """POST username and password, get ``{"token": ...}``; send it as ``Authorization: Token <token>``."""

    parser_classes = [JSONParser, FormParser, MultiPartParser]
