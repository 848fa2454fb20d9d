"""Agencies, memberships and user accounts: who exists, in which agency, with which role.

Only administrators change them (they decide what everyone else may see); the admin
calls these services and never saves those rows itself.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.models import Agency, CalendarFeedToken, Membership
from cases.permissions import is_admin
from cases.services.common import save_with_history
from cases.services.tokens import api_token_revoke
from cases.text import refuse_control_characters


def ensure_administrator(by: Any) -> None:
    if by is not None and not is_admin(by):
        raise PermissionDenied(_("只有系统管理员可以修改机关、人员和账号。"))


@transaction.atomic
def agency_save(*, agency: Agency, by: Any) -> Agency:
    """Create or change an agency (name, code, parent)."""
    ensure_administrator(by)
    save_with_history(agency, by=by, reason=_("修改机关") if agency.pk else _("新增机关"))
    return agency


@transaction.atomic
def membership_save(*, membership: Membership, by: Any) -> Membership:
    """Put a user in an agency with a role (and, for leaders, a rank)."""
    ensure_administrator(by)
    save_with_history(membership, by=by, reason=_("修改人员角色") if membership.pk else _("新增人员"))
    return membership


@transaction.atomic
def user_credentials_revoke(*, user: Any) -> None:
    """End every credential that works without a password: calendar feed tokens and API tokens.

    Called when a user is deactivated, so reactivating an account never revives an old link
    or an old script's token.
    """
    CalendarFeedToken.objects.filter(user=user).delete()
    api_token_revoke(user=user)


USER_TEXT_FIELDS = ("username", "first_name", "last_name", "email")


def user_text_check(user: Any) -> None:
    """Refuse control characters in an account's names and e-mail (they show on every page,
    reminder and export; cases/text.py), naming each field that holds one."""
    errors: dict[str, list[str]] = {}
    for field in USER_TEXT_FIELDS:
        try:
            refuse_control_characters(getattr(user, field, "") or "")
        except ValidationError as error:
            errors[field] = error.messages
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def user_save(*, user: Any, by: Any, was_active: bool) -> Any:
    """Save an account from the admin; deactivating it ends its tokens and feed links."""
    ensure_administrator(by)
    user_text_check(user)
    user.save()
    if was_active and not user.is_active:
        user_credentials_revoke(user=user)
    return user
