"""The types of people in signatures: services take ``by: Actor``, reads take ``user: Viewer``.

The tracker uses Django's own user model (AUTH_USER_MODEL is auth.User); people's
roles and agencies are on Membership. A service's actor is a user, whose rights are
checked, or ``SYSTEM``: the tracker itself (a beat job, a management command, a
migration), which a caller passes on purpose. ``None`` is neither and is refused, so
a forgotten ``by`` never skips the permission check.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class SystemActor:
    """The tracker acting on its own; it has no rights to check and leaves no user in the history."""

    is_authenticated: Final = False
    pk: Final = None

    def __repr__(self) -> str:
        return "SYSTEM"

    def __str__(self) -> str:
        return "SYSTEM"


SYSTEM: Final = SystemActor()

Actor: TypeAlias = "User | SystemActor"
Viewer: TypeAlias = "User | AnonymousUser | None"


def acting_user(by: Actor | None) -> User | None:
    """The user behind an actor, for the "who did it" columns; None for SYSTEM."""
    return None if by is None or isinstance(by, SystemActor) else by
