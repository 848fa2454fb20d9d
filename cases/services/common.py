"""Helpers shared by the services: the acting user, permission checks, version locks, history notes."""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from cases.errors import StaleVersion
from cases.permissions import can_write
from cases.text import refuse_control_characters
from cases.users import SYSTEM as SYSTEM
from cases.users import Actor, SystemActor

M = TypeVar("M", bound=models.Model)


def is_system(by: Actor | None) -> bool:
    return by is SYSTEM


def ensure_can_write(user: Actor | None, agency_id: int) -> None:
    """Refuse a write the actor may not make; SYSTEM may, ``None`` (a forgotten actor) may not."""
    if user is SYSTEM:
        return
    if user is None or isinstance(user, SystemActor) or not can_write(user, agency_id):
        raise PermissionDenied(_("您无权修改该机关的案件。"))


def lock(instance: M, *, expected_version: int | None = None) -> M:
    """Re-read the row under a lock; refuse if it moved past the caller's version."""
    locked = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    current = getattr(locked, "version", None)
    if expected_version is not None and current is not None and current != expected_version:
        raise StaleVersion(current)
    return locked


def save_with_history(
    instance: models.Model, *, by: Actor, reason: str, update_fields: list[str] | None = None
) -> None:
    """full_clean, bump the version, save, and leave who and why in the history row."""
    try:
        instance.full_clean()
    except ValidationError:
        raise
    if update_fields is not None and hasattr(instance, "version"):
        instance.version += 1
        update_fields = sorted(set(update_fields) | {"version", "updated_at"})
    instance._change_reason = reason  # type: ignore[attr-defined]
    if getattr(by, "is_authenticated", False):
        instance._history_user = by  # type: ignore[attr-defined]
    instance.save(update_fields=update_fields)


def require_reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: _("请填写原因。")})
    try:
        refuse_control_characters(reason, long_text=True)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None
    return reason
