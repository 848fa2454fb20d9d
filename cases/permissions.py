"""Who may see and change what: the one place agency scoping is decided.

Legal staff read and write their own agency; leaders and viewers read their
agency and its sub-agencies; administrators (role admin or superuser) see all.
Every queryset in the web pages and the API goes through these functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cases.choices import Role
from cases.users import SYSTEM, SystemActor, Viewer

if TYPE_CHECKING:
    from cases.models import Agency, Membership


def _membership(user: Viewer) -> Membership | None:
    if user is None or not user.is_authenticated:
        return None
    member: Membership | None = getattr(user, "membership", None)
    return member


def is_admin(user: Viewer) -> bool:
    if user is None or not user.is_authenticated:
        return False
    member = _membership(user)
    return bool(user.is_superuser or (member is not None and member.role == Role.ADMIN))


def visible_agency_ids(user: Viewer) -> set[int] | None:
    """Agency ids the user may read; None means every agency."""
    if is_admin(user):
        return None
    member = _membership(user)
    if member is None:
        return set()
    if member.role in (Role.LEADER, Role.VIEWER):
        return member.agency.descendant_ids()
    return {member.agency_id}


def writable_agency_ids(user: Viewer) -> set[int] | None:
    """Agency ids the user may change records of; None means every agency."""
    if is_admin(user):
        return None
    member = _membership(user)
    if member is None or member.role != Role.STAFF:
        return set()
    return {member.agency_id}


def can_write(user: Viewer, agency_id: int) -> bool:
    ids = writable_agency_ids(user)
    return ids is None or agency_id in ids


def can_read(user: Viewer, agency_id: int) -> bool:
    ids = visible_agency_ids(user)
    return ids is None or agency_id in ids


def can_import(user: Viewer | SystemActor, agency: Agency) -> bool:
    """Ledger imports: legal staff and administrators of the agency itself; the command line (SYSTEM).

    Narrower than can_write: an administrator imports into their own agency only (a
    superuser without a membership into any), and leaders never import.
    """
    if user is SYSTEM:
        return True
    if user is None or isinstance(user, SystemActor) or not user.is_authenticated:
        return False
    member = _membership(user)
    if member is None:
        return bool(user.is_superuser)
    return member.agency_id == agency.pk and member.role in (Role.STAFF, Role.ADMIN)
