"""Personal calendar feed tokens: issue one, or replace it when a link leaked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from cases.models.feeds import CalendarFeedToken, new_feed_token

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def feed_token_for(*, user: User) -> CalendarFeedToken:
    """The user's feed token, created on first use."""
    token, _created = CalendarFeedToken.objects.get_or_create(user=user)
    return token


@transaction.atomic
def feed_token_regenerate(*, user: User) -> CalendarFeedToken:
    """A new secret: every calendar app subscribed with the old link stops receiving updates."""
    token, created = CalendarFeedToken.objects.select_for_update().get_or_create(user=user)
    if not created:
        token.token = new_feed_token()
        token.save(update_fields=["token", "created_at"])
    return token
