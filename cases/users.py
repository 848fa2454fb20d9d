"""The types of people in signatures: services take ``by: Actor``, reads take ``user: Viewer``.

The tracker uses Django's own user model (AUTH_USER_MODEL is auth.User); people's
roles and agencies are on Membership. ``None`` as an Actor is a system caller
(a beat job, a management command) and is only accepted where the service says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

Actor: TypeAlias = "User | None"
Viewer: TypeAlias = "User | AnonymousUser | None"
